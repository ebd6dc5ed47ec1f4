// SPDX-License-Identifier: Apache-2.0
//! Identity providers, linked identities, resource servers, domains and the signing
//! certificate, on a pool of their own.

use serde_json::json;

use super::super::answered;
use crate::common::Harness;

pub async fn operations(harness: &Harness) {
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness.confirmed_user(&pool, "frank").await;
    let oidc = json!({
        "UserPoolId": pool.id, "ProviderName": "Corporate", "ProviderType": "OIDC",
        "ProviderDetails": {
            "client_id": "corporate-client", "client_secret": "corporate-secret",
            "attributes_request_method": "GET", "oidc_issuer": "https://idp.example.com",
            "authorize_scopes": "openid email",
        },
        "AttributeMapping": { "email": "email" },
        "IdpIdentifiers": ["example.com"],
    });
    answered(harness, "CreateIdentityProvider", oidc).await;
    let named = json!({ "UserPoolId": pool.id, "ProviderName": "Corporate" });
    answered(harness, "DescribeIdentityProvider", named.clone()).await;
    let update = json!({
        "UserPoolId": pool.id, "ProviderName": "Corporate", "IdpIdentifiers": ["example.org"],
    });
    answered(harness, "UpdateIdentityProvider", update).await;
    let list = json!({ "UserPoolId": pool.id, "MaxResults": 10 });
    answered(harness, "ListIdentityProviders", list).await;
    let by_identifier = json!({ "UserPoolId": pool.id, "IdpIdentifier": "example.org" });
    answered(harness, "GetIdentityProviderByIdentifier", by_identifier).await;
    let external = json!({
        "ProviderName": "Corporate", "ProviderAttributeName": "Cognito_Subject",
        "ProviderAttributeValue": "corp-123",
    });
    let link = json!({
        "UserPoolId": pool.id, "SourceUser": external,
        "DestinationUser": { "ProviderName": "Cognito", "ProviderAttributeValue": "frank" },
    });
    answered(harness, "AdminLinkProviderForUser", link).await;
    let user = json!({ "UserPoolId": pool.id, "Username": "frank" });
    // AdminGetUser answers with the `identities` attribute.
    answered(harness, "AdminGetUser", user).await;
    let disable = json!({ "UserPoolId": pool.id, "User": external });
    answered(harness, "AdminDisableProviderForUser", disable).await;
    answered(harness, "DeleteIdentityProvider", named).await;

    let server = json!({
        "UserPoolId": pool.id, "Identifier": "https://api.example.com", "Name": "api",
        "Scopes": [{ "ScopeName": "read", "ScopeDescription": "Reads" }],
    });
    answered(harness, "CreateResourceServer", server.clone()).await;
    answered(harness, "UpdateResourceServer", server).await;
    let identifier = json!({ "UserPoolId": pool.id, "Identifier": "https://api.example.com" });
    answered(harness, "DescribeResourceServer", identifier.clone()).await;
    let list = json!({ "UserPoolId": pool.id, "MaxResults": 5 });
    answered(harness, "ListResourceServers", list).await;
    answered(harness, "DeleteResourceServer", identifier).await;

    let domain = json!({ "UserPoolId": pool.id, "Domain": "answer-shapes-federation" });
    answered(harness, "CreateUserPoolDomain", domain.clone()).await;
    let describe = json!({ "Domain": "answer-shapes-federation" });
    answered(harness, "DescribeUserPoolDomain", describe).await;
    let update = json!({
        "UserPoolId": pool.id, "Domain": "answer-shapes-federation", "ManagedLoginVersion": 2,
    });
    answered(harness, "UpdateUserPoolDomain", update).await;
    answered(harness, "DeleteUserPoolDomain", domain).await;

    let pool_id = json!({ "UserPoolId": pool.id });
    answered(harness, "GetSigningCertificate", pool_id).await;
}
