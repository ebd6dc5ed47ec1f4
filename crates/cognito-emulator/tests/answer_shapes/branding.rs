// SPDX-License-Identifier: Apache-2.0
//! Managed-login branding styles and terms documents, on a pool of their own.

use serde_json::json;

use super::super::answered;
use crate::common::Harness;

pub async fn operations(harness: &Harness) {
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let client = json!({ "UserPoolId": pool.id, "ClientId": pool.client_id });
    let create = json!({
        "UserPoolId": pool.id, "ClientId": pool.client_id,
        "Settings": { "categories": { "global": { "colorSchemeMode": "DARK" } } },
        "Assets": [{ "Category": "FORM_LOGO", "ColorMode": "DARK", "Extension": "PNG",
            "Bytes": "iVBORw0KGgo=" }],
    });
    let created = answered(harness, "CreateManagedLoginBranding", create).await;
    let style_id = created["ManagedLoginBranding"]["ManagedLoginBrandingId"].clone();
    let style = json!({ "UserPoolId": pool.id, "ManagedLoginBrandingId": style_id });
    let merged = json!({ "UserPoolId": pool.id, "ManagedLoginBrandingId": style_id,
        "ReturnMergedResources": true });
    answered(harness, "DescribeManagedLoginBranding", merged).await;
    let by_client = json!({ "UserPoolId": pool.id, "ClientId": pool.client_id,
        "ReturnMergedResources": false });
    answered(harness, "DescribeManagedLoginBrandingByClient", by_client).await;
    let reset = json!({ "UserPoolId": pool.id, "ManagedLoginBrandingId": style_id,
        "UseCognitoProvidedValues": true });
    answered(harness, "UpdateManagedLoginBranding", reset).await;
    answered(harness, "DeleteManagedLoginBranding", style).await;

    let mut terms = client.clone();
    terms.as_object_mut().unwrap().extend(
        json!({ "TermsName": "terms-of-use", "TermsSource": "LINK", "Enforcement": "NONE",
            "Links": { "cognito:default": "https://example.com/terms" } })
        .as_object()
        .unwrap()
        .clone(),
    );
    let created = answered(harness, "CreateTerms", terms).await;
    let terms_id = json!({ "UserPoolId": pool.id, "TermsId": created["Terms"]["TermsId"] });
    answered(harness, "DescribeTerms", terms_id.clone()).await;
    let mut by_client = client.clone();
    by_client["TermsName"] = json!("terms-of-use");
    answered(harness, "DescribeTermsByClient", by_client).await;
    answered(
        harness,
        "ListTerms",
        json!({ "UserPoolId": pool.id, "MaxResults": 5 }),
    )
    .await;
    let mut update = terms_id.clone();
    update["Links"] = json!({ "cognito:french": "https://example.com/fr" });
    answered(harness, "UpdateTerms", update).await;
    answered(harness, "DeleteTerms", terms_id).await;
}
