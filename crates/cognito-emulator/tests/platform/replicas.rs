// SPDX-License-Identifier: Apache-2.0
//! CreateUserPoolReplica, UpdateUserPoolReplica, DeleteUserPoolReplica, ListUserPoolReplicas.

use aws_sdk_cognitoidentityprovider::types::{
    ReplicaRoleType, ReplicaStatusType, UpdateReplicaStatusType, UserPoolReplicaType,
    UserPoolTierType,
};

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::Region;

use super::support::pool_in_tier;
use crate::common::{Harness, error_code};

async fn replicas(harness: &Harness, pool_id: &str) -> Vec<UserPoolReplicaType> {
    harness
        .client
        .list_user_pool_replicas()
        .user_pool_id(pool_id)
        .send()
        .await
        .expect("ListUserPoolReplicas")
        .user_pool_replicas
        .unwrap_or_default()
}

/// A client whose requests are signed for `region`, as one of that Region would be.
fn in_region(harness: &Harness, region: &'static str) -> Client {
    let config = harness
        .client
        .config()
        .to_builder()
        .region(Region::new(region))
        .build();
    Client::from_conf(config)
}

async fn set_status(
    harness: &Harness,
    pool_id: &str,
    region: &str,
    status: UpdateReplicaStatusType,
) -> ReplicaStatusType {
    harness
        .client
        .update_user_pool_replica()
        .user_pool_id(pool_id)
        .region_name(region)
        .status(status)
        .send()
        .await
        .expect("UpdateUserPoolReplica")
        .user_pool_replica
        .unwrap()
        .status
        .unwrap()
}

#[tokio::test]
async fn a_replica_starts_inactive_and_is_deleted_only_once_inactive_again() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    let created = harness
        .client
        .create_user_pool_replica()
        .user_pool_id(&pool.id)
        .region_name("eu-west-1")
        .user_pool_tags("team", "identity")
        .send()
        .await
        .expect("CreateUserPoolReplica")
        .user_pool_replica
        .unwrap();
    assert_eq!(created.status, Some(ReplicaStatusType::Inactive));
    assert_eq!(created.role, Some(ReplicaRoleType::Secondary));
    let arn = created.user_pool_arn.unwrap();
    assert_eq!(
        arn,
        format!(
            "arn:aws:cognito-idp:eu-west-1:000000000000:userpool/{}",
            pool.id
        )
    );

    let listed = replicas(&harness, &pool.id).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].role, Some(ReplicaRoleType::Primary));
    assert_eq!(listed[0].region_name.as_deref(), Some("us-east-1"));
    assert_eq!(listed[0].status, Some(ReplicaStatusType::Active));
    assert_eq!(listed[1].region_name.as_deref(), Some("eu-west-1"));

    let active = set_status(
        &harness,
        &pool.id,
        "eu-west-1",
        UpdateReplicaStatusType::Active,
    )
    .await;
    assert_eq!(active, ReplicaStatusType::Active);
    let delete = || {
        harness
            .client
            .delete_user_pool_replica()
            .user_pool_id(&pool.id)
            .region_name("eu-west-1")
            .send()
    };
    assert_eq!(error_code(delete().await).0, "InvalidParameterException");
    set_status(
        &harness,
        &pool.id,
        "eu-west-1",
        UpdateReplicaStatusType::Inactive,
    )
    .await;
    let from_the_replica = in_region(&harness, "eu-west-1")
        .delete_user_pool_replica()
        .user_pool_id(&pool.id)
        .region_name("eu-west-1")
        .send()
        .await;
    assert_eq!(error_code(from_the_replica).0, "InvalidParameterException");
    let deleted = delete().await.expect("DeleteUserPoolReplica");
    assert_eq!(
        deleted.user_pool_replica.unwrap().status,
        Some(ReplicaStatusType::Deleting)
    );
    assert_eq!(
        replicas(&harness, &pool.id).await.len(),
        1,
        "only the primary is left"
    );
    assert_eq!(error_code(delete().await).0, "ResourceNotFoundException");
}

#[tokio::test]
async fn replicas_follow_the_documented_rules() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Plus).await;
    let create = |region: &'static str| {
        harness
            .client
            .create_user_pool_replica()
            .user_pool_id(&pool.id)
            .region_name(region)
            .send()
    };
    assert_eq!(
        error_code(create("us-east-1").await).0,
        "InvalidParameterException",
        "its own Region"
    );
    assert_eq!(
        error_code(create("not-a-region").await).0,
        "InvalidParameterException"
    );
    create("ap-southeast-2").await.expect("the one secondary");
    assert_eq!(
        error_code(create("ap-southeast-2").await).0,
        "InvalidParameterException",
        "twice"
    );
    assert_eq!(
        error_code(create("eu-central-1").await).0,
        "LimitExceededException",
        "a second one"
    );

    let tagged = harness
        .client
        .create_user_pool_replica()
        .user_pool_id(&pool.id)
        .region_name("eu-north-1")
        .user_pool_tags("aws:owner", "me")
        .send()
        .await;
    assert_eq!(error_code(tagged).0, "UserPoolTaggingException");

    let update = |region: &'static str| {
        harness
            .client
            .update_user_pool_replica()
            .user_pool_id(&pool.id)
            .region_name(region)
            .status(UpdateReplicaStatusType::Active)
            .send()
    };
    assert_eq!(
        error_code(update("us-east-1").await).0,
        "InvalidParameterException",
        "the primary"
    );
    assert_eq!(
        error_code(update("sa-east-1").await).0,
        "ResourceNotFoundException"
    );
    let primary = harness
        .client
        .delete_user_pool_replica()
        .user_pool_id(&pool.id)
        .region_name("us-east-1")
        .send()
        .await;
    assert_eq!(error_code(primary).0, "InvalidParameterException");

    let lite = pool_in_tier(&harness, UserPoolTierType::Lite).await;
    let refused = harness
        .client
        .create_user_pool_replica()
        .user_pool_id(&lite.id)
        .region_name("eu-west-1")
        .send()
        .await;
    assert_eq!(error_code(refused).0, "FeatureUnavailableInTierException");
    let unknown = harness
        .client
        .list_user_pool_replicas()
        .user_pool_id("us-east-1_Nothere00")
        .send()
        .await;
    assert_eq!(error_code(unknown).0, "ResourceNotFoundException");
}

#[tokio::test]
async fn replicas_and_their_status_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    harness
        .client
        .create_user_pool_replica()
        .user_pool_id(&pool.id)
        .region_name("eu-west-2")
        .send()
        .await
        .expect("CreateUserPoolReplica");
    set_status(
        &harness,
        &pool.id,
        "eu-west-2",
        UpdateReplicaStatusType::Active,
    )
    .await;
    let harness = harness.restart().await;
    let listed = replicas(&harness, &pool.id).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1].region_name.as_deref(), Some("eu-west-2"));
    assert_eq!(listed[1].status, Some(ReplicaStatusType::Active));
}
