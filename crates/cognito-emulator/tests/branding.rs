// SPDX-License-Identifier: Apache-2.0
//! Managed-login branding styles and terms documents through the AWS SDK for Rust: one style
//! per app client, Cognito's defaults or the caller's settings and images, updates that keep
//! what they leave out, terms of use and privacy policies, the documented errors, and all of it
//! across a restart and gone with the app client.

mod common;

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::primitives::Blob;
use aws_sdk_cognitoidentityprovider::types::{
    AssetCategoryType, AssetExtensionType, AssetType, ColorSchemeModeType, TermsEnforcementType,
    TermsSourceType, UserPoolTierType,
};
use common::{Harness, Pool, error_code};
use serde_json::{Value, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nlogo";

/// A JSON value as the SDK's `Document`, which the SDK does not re-export by name.
fn document<D>(value: &Value) -> D
where
    D: From<bool> + From<String> + From<f64> + From<Vec<D>> + From<HashMap<String, D>>,
{
    match value {
        Value::Bool(b) => D::from(*b),
        Value::Number(n) => D::from(n.as_f64().unwrap_or_default()),
        Value::String(s) => D::from(s.clone()),
        Value::Array(items) => D::from(items.iter().map(document).collect::<Vec<D>>()),
        Value::Object(map) => D::from(
            map.iter()
                .map(|(k, v)| (k.clone(), document(v)))
                .collect::<HashMap<String, D>>(),
        ),
        Value::Null => D::from(HashMap::new()),
    }
}

fn form_logo(mode: ColorSchemeModeType) -> AssetType {
    AssetType::builder()
        .category(AssetCategoryType::FormLogo)
        .color_mode(mode)
        .extension(AssetExtensionType::Png)
        .bytes(Blob::new(PNG))
        .build()
        .unwrap()
}

async fn pool(harness: &Harness) -> Pool {
    harness.pool_without_mfa(|create| create, false).await
}

/// The raw JSON of a style, as DescribeManagedLoginBrandingByClient answers it.
async fn described(harness: &Harness, pool: &Pool, merged: bool) -> (u16, Value) {
    let body = json!({
        "UserPoolId": pool.id, "ClientId": pool.client_id, "ReturnMergedResources": merged,
    });
    harness
        .call("DescribeManagedLoginBrandingByClient", &body.to_string())
        .await
}

#[tokio::test]
async fn an_app_client_has_one_branding_style() {
    let harness = Harness::start().await;
    let pool = pool(&harness).await;
    let create = || {
        harness
            .client
            .create_managed_login_branding()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .use_cognito_provided_values(true)
    };
    let style = create()
        .send()
        .await
        .unwrap()
        .managed_login_branding
        .unwrap();
    let style_id = style.managed_login_branding_id.clone().unwrap();
    assert!(style.use_cognito_provided_values);
    assert!(style.settings.is_none());
    let (code, _) = error_code(create().send().await);
    assert_eq!(code, "ManagedLoginBrandingExistsException");

    let (status, plain) = described(&harness, &pool, false).await;
    assert_eq!(status, 200);
    assert_eq!(
        plain["ManagedLoginBranding"]["ManagedLoginBrandingId"],
        style_id
    );
    assert!(plain["ManagedLoginBranding"].get("Settings").is_none());
    // Merged: Amazon Cognito's defaults, which the style takes.
    let (_, merged) = described(&harness, &pool, true).await;
    let settings = &merged["ManagedLoginBranding"]["Settings"];
    assert_eq!(settings["categories"]["global"]["colorSchemeMode"], "LIGHT");
    assert_eq!(
        settings["components"]["primaryButton"]["lightMode"]["defaults"]["backgroundColor"],
        "0972d3ff"
    );

    let delete = || {
        harness
            .client
            .delete_managed_login_branding()
            .user_pool_id(&pool.id)
            .managed_login_branding_id(&style_id)
    };
    delete().send().await.unwrap();
    let (code, _) = error_code(delete().send().await);
    assert_eq!(code, "ResourceNotFoundException");
    let described_by_id = harness
        .client
        .describe_managed_login_branding()
        .user_pool_id(&pool.id)
        .managed_login_branding_id(&style_id)
        .send()
        .await;
    assert_eq!(error_code(described_by_id).0, "ResourceNotFoundException");
    assert_eq!(described(&harness, &pool, false).await.0, 400);
    // The client may have a style again.
    create().send().await.unwrap();
}

#[tokio::test]
async fn updates_keep_the_settings_and_images_they_leave_out() {
    let harness = Harness::start().await;
    let pool = pool(&harness).await;
    let button = json!({ "components": { "primaryButton": { "lightMode": {
        "defaults": { "backgroundColor": "ff0000ff" } } } } });
    let style = harness
        .client
        .create_managed_login_branding()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .settings(document(&button))
        .assets(form_logo(ColorSchemeModeType::Light))
        .send()
        .await
        .unwrap()
        .managed_login_branding
        .unwrap();
    let style_id = style.managed_login_branding_id.unwrap();
    assert!(!style.use_cognito_provided_values);
    assert_eq!(
        style.assets.unwrap()[0].bytes.as_ref().unwrap().as_ref(),
        PNG
    );

    let dark = json!({ "categories": { "global": { "colorSchemeMode": "DARK" } } });
    harness
        .client
        .update_managed_login_branding()
        .user_pool_id(&pool.id)
        .managed_login_branding_id(&style_id)
        .settings(document(&dark))
        .assets(form_logo(ColorSchemeModeType::Dark))
        .send()
        .await
        .unwrap();
    let (_, answer) = described(&harness, &pool, false).await;
    let kept = &answer["ManagedLoginBranding"];
    assert_eq!(
        kept["Settings"],
        json!({
            "components": { "primaryButton": { "lightMode": { "defaults": { "backgroundColor": "ff0000ff" } } } },
            "categories": { "global": { "colorSchemeMode": "DARK" } },
        })
    );
    let modes: Vec<&str> = kept["Assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|asset| asset["ColorMode"].as_str().unwrap())
        .collect();
    assert_eq!(modes, ["LIGHT", "DARK"]);

    // Back to Amazon Cognito's style.
    let reset = harness
        .client
        .update_managed_login_branding()
        .user_pool_id(&pool.id)
        .managed_login_branding_id(&style_id)
        .use_cognito_provided_values(true)
        .send()
        .await
        .unwrap()
        .managed_login_branding
        .unwrap();
    assert!(reset.use_cognito_provided_values);
    assert!(reset.settings.is_none());
    assert!(reset.assets.unwrap_or_default().is_empty());
}

#[tokio::test]
async fn wrong_branding_requests_are_refused() {
    let harness = Harness::start().await;
    let pool = pool(&harness).await;
    let create = |body: Value| {
        let harness = &harness;
        async move {
            let (status, answer) = harness
                .call("CreateManagedLoginBranding", &body.to_string())
                .await;
            assert_eq!(status, 400, "{answer}");
            answer["__type"].as_str().unwrap().to_owned()
        }
    };
    let ids = json!({ "UserPoolId": pool.id, "ClientId": pool.client_id });
    let with = |extra: Value| {
        let mut body = ids.clone();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let both = with(json!({ "UseCognitoProvidedValues": true, "Settings": {} }));
    assert_eq!(create(both).await, "InvalidParameterException");
    let not_an_object = with(json!({ "Settings": [1, 2] }));
    assert_eq!(create(not_an_object).await, "InvalidParameterException");
    let logo = json!({ "Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG" });
    let twice = with(json!({ "Assets": [logo, logo] }));
    assert_eq!(create(twice).await, "InvalidParameterException");
    let not_base64 = json!({ "Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG",
        "Bytes": "not base64!" });
    assert_eq!(
        create(with(json!({ "Assets": [not_base64] }))).await,
        "InvalidParameterException"
    );
    let unknown_client = json!({ "UserPoolId": pool.id, "ClientId": "nosuchclient1234567890" });
    assert_eq!(create(unknown_client).await, "ResourceNotFoundException");
    let unknown_pool = json!({ "UserPoolId": "us-east-1_Nothing1", "ClientId": pool.client_id });
    assert_eq!(create(unknown_pool).await, "ResourceNotFoundException");

    let (status, answer) = harness
        .call(
            "UpdateManagedLoginBranding",
            &json!({ "UserPoolId": pool.id }).to_string(),
        )
        .await;
    assert_eq!(
        (status, answer["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
    let unknown_style = json!({ "UserPoolId": pool.id,
        "ManagedLoginBrandingId": "6a1f3c1e-0c4f-4e4a-9b7e-2f1d2c3b4a59" });
    let (_, answer) = harness
        .call("UpdateManagedLoginBranding", &unknown_style.to_string())
        .await;
    assert_eq!(answer["__type"], "ResourceNotFoundException");

    // The branding editor is not in the Lite plan.
    let lite = harness
        .pool_without_mfa(
            |create| create.user_pool_tier(UserPoolTierType::Lite),
            false,
        )
        .await;
    let lite_create = json!({ "UserPoolId": lite.id, "ClientId": lite.client_id,
        "UseCognitoProvidedValues": true });
    assert_eq!(
        create(lite_create).await,
        "FeatureUnavailableInTierException"
    );
}

async fn create_terms(harness: &Harness, pool: &Pool, name: &str, url: &str) -> String {
    harness
        .client
        .create_terms()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .terms_name(name)
        .terms_source(TermsSourceType::Link)
        .enforcement(TermsEnforcementType::None)
        .links("cognito:default", url)
        .send()
        .await
        .unwrap()
        .terms
        .unwrap()
        .terms_id
}

#[tokio::test]
async fn an_app_client_has_a_terms_of_use_and_a_privacy_policy() {
    let harness = Harness::start().await;
    let pool = pool(&harness).await;
    let terms_id = create_terms(&harness, &pool, "terms-of-use", "https://example.com/t").await;
    create_terms(&harness, &pool, "privacy-policy", "https://example.com/p").await;
    let again = harness
        .client
        .create_terms()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .terms_name("terms-of-use")
        .terms_source(TermsSourceType::Link)
        .enforcement(TermsEnforcementType::None)
        .links("cognito:default", "https://example.com/other")
        .send()
        .await;
    assert_eq!(error_code(again).0, "TermsExistsException");

    let first = harness
        .client
        .list_terms()
        .user_pool_id(&pool.id)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(first.terms.len(), 1);
    let rest = harness
        .client
        .list_terms()
        .user_pool_id(&pool.id)
        .next_token(first.next_token.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.terms.len(), 1);
    assert!(rest.next_token.is_none());

    let by_client = harness
        .client
        .describe_terms_by_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .terms_name("terms-of-use")
        .send()
        .await
        .unwrap()
        .terms
        .unwrap();
    assert_eq!(by_client.terms_id, terms_id);
    assert_eq!(by_client.links["cognito:default"], "https://example.com/t");

    let update = || {
        harness
            .client
            .update_terms()
            .user_pool_id(&pool.id)
            .terms_id(&terms_id)
    };
    let updated = update()
        .links("cognito:french", "https://example.com/fr/t")
        .send()
        .await
        .unwrap()
        .terms
        .unwrap();
    assert_eq!(updated.links.len(), 1);
    assert_eq!(updated.terms_name, "terms-of-use");
    let renamed = update().terms_name("privacy-policy").send().await;
    assert_eq!(error_code(renamed).0, "TermsExistsException");

    let delete = || {
        harness
            .client
            .delete_terms()
            .user_pool_id(&pool.id)
            .terms_id(&terms_id)
    };
    delete().send().await.unwrap();
    assert_eq!(
        error_code(delete().send().await).0,
        "ResourceNotFoundException"
    );
    let gone = harness
        .client
        .describe_terms()
        .user_pool_id(&pool.id)
        .terms_id(&terms_id)
        .send()
        .await;
    assert_eq!(error_code(gone).0, "ResourceNotFoundException");
}

#[tokio::test]
async fn wrong_terms_requests_are_refused() {
    let harness = Harness::start().await;
    let pool = pool(&harness).await;
    let create = |links: Value| {
        let mut body = json!({ "UserPoolId": pool.id, "ClientId": pool.client_id,
            "TermsName": "terms-of-use", "TermsSource": "LINK", "Enforcement": "NONE" });
        if !links.is_null() {
            body["Links"] = links;
        }
        let harness = &harness;
        async move {
            let (status, answer) = harness.call("CreateTerms", &body.to_string()).await;
            assert_eq!(status, 400, "{answer}");
            answer["__type"].as_str().unwrap().to_owned()
        }
    };
    assert_eq!(create(Value::Null).await, "InvalidParameterException");
    let script = json!({ "cognito:default": "javascript:alert(1)" });
    assert_eq!(create(script).await, "InvalidParameterException");
    let klingon = json!({ "cognito:klingon": "https://example.com/t" });
    assert_eq!(create(klingon).await, "InvalidParameterException");
    let by_client = harness
        .client
        .describe_terms_by_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .terms_name("privacy-policy")
        .send()
        .await;
    assert_eq!(error_code(by_client).0, "ResourceNotFoundException");
}

#[tokio::test]
async fn a_deleted_app_client_takes_its_branding_and_terms_with_it() {
    let harness = Harness::start().await;
    let pool = pool(&harness).await;
    let style_id = harness
        .client
        .create_managed_login_branding()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .use_cognito_provided_values(true)
        .send()
        .await
        .unwrap()
        .managed_login_branding
        .unwrap()
        .managed_login_branding_id
        .unwrap();
    create_terms(&harness, &pool, "terms-of-use", "https://example.com/t").await;
    harness
        .client
        .delete_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap();
    let style = harness
        .client
        .describe_managed_login_branding()
        .user_pool_id(&pool.id)
        .managed_login_branding_id(&style_id)
        .send()
        .await;
    assert_eq!(error_code(style).0, "ResourceNotFoundException");
    let listed = harness
        .client
        .list_terms()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    assert!(listed.terms.is_empty());
}

#[tokio::test]
async fn branding_and_terms_are_kept_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool(&harness).await;
    let settings = json!({ "categories": { "global": { "colorSchemeMode": "DYNAMIC" } } });
    harness
        .client
        .create_managed_login_branding()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .settings(document(&settings))
        .assets(form_logo(ColorSchemeModeType::Dynamic))
        .send()
        .await
        .unwrap();
    let terms_id = create_terms(&harness, &pool, "privacy-policy", "https://example.com/p").await;
    let (_, before) = described(&harness, &pool, false).await;

    let harness = harness.restart().await;
    let (status, after) = described(&harness, &pool, false).await;
    assert_eq!(status, 200);
    assert_eq!(after, before);
    let terms = harness
        .client
        .describe_terms()
        .user_pool_id(&pool.id)
        .terms_id(&terms_id)
        .send()
        .await
        .unwrap()
        .terms
        .unwrap();
    assert_eq!(terms.links["cognito:default"], "https://example.com/p");

    // A deletion is kept too.
    harness
        .client
        .delete_terms()
        .user_pool_id(&pool.id)
        .terms_id(&terms_id)
        .send()
        .await
        .unwrap();
    let harness = harness.restart().await;
    let listed = harness
        .client
        .list_terms()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    assert!(listed.terms.is_empty());
}

#[tokio::test]
async fn an_image_of_a_million_bytes_is_taken_and_a_larger_one_refused() {
    let harness = Harness::start().await;
    let pool = pool(&harness).await;
    let create = |size: usize| {
        let mut image = PNG.to_vec();
        image.resize(size, 0);
        harness
            .client
            .create_managed_login_branding()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .assets(
                AssetType::builder()
                    .category(AssetCategoryType::PageBackground)
                    .color_mode(ColorSchemeModeType::Light)
                    .extension(AssetExtensionType::Png)
                    .bytes(Blob::new(image))
                    .build()
                    .unwrap(),
            )
            .send()
    };
    let (code, message) = error_code(create(1_000_001).await);
    assert_eq!(code, "InvalidParameterException", "{message}");
    let style = create(1_000_000)
        .await
        .unwrap()
        .managed_login_branding
        .unwrap();
    assert_eq!(
        style.assets.unwrap()[0]
            .bytes
            .as_ref()
            .unwrap()
            .as_ref()
            .len(),
        1_000_000
    );
}
