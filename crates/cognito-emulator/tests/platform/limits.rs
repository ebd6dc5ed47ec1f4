// SPDX-License-Identifier: Apache-2.0
//! GetProvisionedLimit, UpdateProvisionedLimit.

use aws_sdk_cognitoidentityprovider::types::{LimitClass, LimitDefinitionType, LimitType};

use crate::common::{Harness, error_code};

fn category(name: &str) -> LimitDefinitionType {
    LimitDefinitionType::builder()
        .limit_class(LimitClass::ApiCategory)
        .attributes("Category", name)
        .build()
        .unwrap()
}

async fn limit(harness: &Harness, name: &str) -> LimitType {
    harness
        .client
        .get_provisioned_limit()
        .limit_definition(category(name))
        .send()
        .await
        .expect("GetProvisionedLimit")
        .limit
        .unwrap()
}

async fn provision(
    harness: &Harness,
    name: &str,
    rate: i32,
) -> Result<LimitType, (String, String)> {
    harness
        .client
        .update_provisioned_limit()
        .limit_definition(category(name))
        .requested_limit_value(rate)
        .send()
        .await
        .map(|answer| answer.limit.unwrap())
        .map_err(|error| error_code::<(), _>(Err(error)))
}

#[tokio::test]
async fn a_category_starts_at_its_default_and_keeps_what_is_provisioned() {
    let harness = Harness::start().await;
    let before = limit(&harness, "UserAuthentication").await;
    assert_eq!(before.provisioned_limit_value, 120);
    assert_eq!(before.free_limit_value, 120);
    assert_eq!(
        before
            .limit_definition
            .unwrap()
            .attributes
            .get("Category")
            .map(String::as_str),
        Some("UserAuthentication")
    );
    let raised = provision(&harness, "UserAuthentication", 300)
        .await
        .unwrap();
    assert_eq!(
        (raised.provisioned_limit_value, raised.free_limit_value),
        (300, 120)
    );
    assert_eq!(
        limit(&harness, "UserAuthentication")
            .await
            .provisioned_limit_value,
        300
    );
    assert_eq!(
        limit(&harness, "UserCreation")
            .await
            .provisioned_limit_value,
        50,
        "others untouched"
    );
}

#[tokio::test]
async fn a_rate_must_lie_between_the_default_and_the_account_maximum() {
    let harness = Harness::start().await;
    let (below, _) = provision(&harness, "UserCreation", 49).await.unwrap_err();
    assert_eq!(below, "InvalidParameterException");
    let (above, _) = provision(&harness, "UserCreation", 501).await.unwrap_err();
    assert_eq!(above, "ServiceQuotaExceededException");
    provision(&harness, "UserCreation", 500)
        .await
        .expect("the maximum itself");
    let (unknown, _) = provision(&harness, "Teleportation", 100).await.unwrap_err();
    assert_eq!(unknown, "ResourceNotFoundException");
    let nameless = harness
        .client
        .get_provisioned_limit()
        .limit_definition(
            LimitDefinitionType::builder()
                .limit_class(LimitClass::ApiCategory)
                .attributes("Region", "us-east-1")
                .build()
                .unwrap(),
        )
        .send()
        .await;
    assert_eq!(error_code(nameless).0, "InvalidParameterException");
}

#[tokio::test]
async fn provisioned_rates_survive_a_restart_and_a_reset_to_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    provision(&harness, "UserRead", 240).await.unwrap();
    provision(&harness, "UserList", 90).await.unwrap();
    let harness = harness.restart().await;
    assert_eq!(
        limit(&harness, "UserRead").await.provisioned_limit_value,
        240
    );
    assert_eq!(
        limit(&harness, "UserList").await.provisioned_limit_value,
        90
    );
    provision(&harness, "UserList", 30).await.unwrap();
    let harness = harness.restart().await;
    assert_eq!(
        limit(&harness, "UserList").await.provisioned_limit_value,
        30
    );
    assert_eq!(
        limit(&harness, "UserRead").await.provisioned_limit_value,
        240
    );
}
