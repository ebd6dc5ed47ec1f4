// SPDX-License-Identifier: Apache-2.0
//! Identity providers (Create-, Describe-, Update-, Delete-, ListIdentityProviders,
//! GetIdentityProviderByIdentifier) and the external identities linked to a pool's users
//! (AdminLinkProviderForUser, AdminDisableProviderForUser), live and across a restart.

mod common;

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::{
    IdentityProviderType, IdentityProviderTypeType, ProviderUserIdentifierType,
};
use common::{Harness, PASSWORD, Pool, error_code, outcome, verified_claims};
use serde_json::Value;

const METADATA: &str = r#"<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#;

fn details(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn oidc_details() -> HashMap<String, String> {
    details(&[
        ("client_id", "corp-client"),
        ("client_secret", "corp-secret"),
        ("attributes_request_method", "GET"),
        ("oidc_issuer", "https://idp.example.com"),
        ("authorize_scopes", "openid email"),
        ("authorize_url", "https://idp.example.com/authorize"),
    ])
}

fn social_details() -> HashMap<String, String> {
    details(&[
        ("client_id", "social-client"),
        ("client_secret", "social-secret"),
        ("authorize_scopes", "openid email profile"),
    ])
}

async fn create_provider(
    harness: &Harness,
    pool: &Pool,
    name: &str,
    provider_type: IdentityProviderTypeType,
    details: HashMap<String, String>,
    identifiers: &[&str],
) -> Result<IdentityProviderType, (String, String)> {
    let mut create = harness
        .client
        .create_identity_provider()
        .user_pool_id(&pool.id)
        .provider_name(name)
        .provider_type(provider_type)
        .set_provider_details(Some(details))
        .attribute_mapping("email", "email");
    for identifier in identifiers {
        create = create.idp_identifiers(*identifier);
    }
    outcome(create.send().await).map(|answer| answer.identity_provider.unwrap())
}

async fn describe(
    harness: &Harness,
    pool: &Pool,
    name: &str,
) -> Result<IdentityProviderType, String> {
    let answer = harness
        .client
        .describe_identity_provider()
        .user_pool_id(&pool.id)
        .provider_name(name)
        .send()
        .await;
    outcome(answer)
        .map(|answer| answer.identity_provider.unwrap())
        .map_err(|(code, _)| code)
}

async fn by_identifier(harness: &Harness, pool: &Pool, identifier: &str) -> Result<String, String> {
    let answer = harness
        .client
        .get_identity_provider_by_identifier()
        .user_pool_id(&pool.id)
        .idp_identifier(identifier)
        .send()
        .await;
    outcome(answer)
        .map(|answer| answer.identity_provider.unwrap().provider_name.unwrap())
        .map_err(|(code, _)| code)
}

fn detail<'a>(provider: &'a IdentityProviderType, key: &str) -> Option<&'a str> {
    provider.provider_details()?.get(key).map(String::as_str)
}

#[tokio::test]
async fn an_oidc_provider_is_created_described_updated_and_deleted() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let created = create_provider(
        &harness,
        &pool,
        "Corporate",
        IdentityProviderTypeType::Oidc,
        oidc_details(),
        &["example.com", "corp"],
    )
    .await
    .expect("CreateIdentityProvider");
    assert_eq!(created.user_pool_id(), Some(pool.id.as_str()));
    assert_eq!(
        created.provider_type(),
        Some(&IdentityProviderTypeType::Oidc)
    );
    assert_eq!(detail(&created, "client_id"), Some("corp-client"));
    assert_eq!(
        detail(&created, "authorize_url"),
        Some("https://idp.example.com/authorize")
    );
    assert_eq!(
        detail(&created, "attributes_url_add_attributes"),
        Some("false")
    );
    // Endpoints are discovered from the issuer on the service; offline, none is made up.
    assert_eq!(detail(&created, "jwks_uri"), None);
    let mapping = created.attribute_mapping().unwrap();
    assert_eq!(mapping.get("email").map(String::as_str), Some("email"));
    assert_eq!(mapping.get("username").map(String::as_str), Some("sub"));
    assert_eq!(created.idp_identifiers(), ["example.com", "corp"]);
    assert!(created.creation_date().is_some());

    let described = describe(&harness, &pool, "Corporate").await.unwrap();
    assert_eq!(described.provider_details(), created.provider_details());
    assert_eq!(
        by_identifier(&harness, &pool, "corp").await.unwrap(),
        "Corporate"
    );

    let mut changed = oidc_details();
    changed.insert("client_id".into(), "new-client".into());
    let updated = harness
        .client
        .update_identity_provider()
        .user_pool_id(&pool.id)
        .provider_name("Corporate")
        .set_provider_details(Some(changed))
        .idp_identifiers("example.org")
        .send()
        .await
        .expect("UpdateIdentityProvider")
        .identity_provider
        .unwrap();
    assert_eq!(detail(&updated, "client_id"), Some("new-client"));
    assert_eq!(updated.attribute_mapping(), created.attribute_mapping());
    assert_eq!(
        by_identifier(&harness, &pool, "example.org").await.unwrap(),
        "Corporate"
    );
    assert_eq!(
        by_identifier(&harness, &pool, "example.com").await,
        Err("ResourceNotFoundException".to_owned()),
        "an identifier the update dropped finds nothing"
    );

    harness
        .client
        .delete_identity_provider()
        .user_pool_id(&pool.id)
        .provider_name("Corporate")
        .send()
        .await
        .expect("DeleteIdentityProvider");
    assert_eq!(
        describe(&harness, &pool, "Corporate").await.unwrap_err(),
        "ResourceNotFoundException"
    );
    assert_eq!(
        by_identifier(&harness, &pool, "example.org")
            .await
            .unwrap_err(),
        "ResourceNotFoundException"
    );
    let again = harness
        .client
        .delete_identity_provider()
        .user_pool_id(&pool.id)
        .provider_name("Corporate")
        .send()
        .await;
    assert_eq!(error_code(again).0, "ResourceNotFoundException");
}

#[tokio::test]
async fn each_provider_type_needs_its_keys_and_gets_what_the_service_adds() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    use IdentityProviderTypeType::{
        Facebook, Google, LoginWithAmazon, Oidc, Saml, SignInWithApple,
    };
    let google = create_provider(&harness, &pool, "Google", Google, social_details(), &[])
        .await
        .unwrap();
    assert_eq!(
        detail(&google, "oidc_issuer"),
        Some("https://accounts.google.com")
    );
    assert_eq!(detail(&google, "client_secret"), Some("social-secret"));
    assert!(detail(&google, "token_url").is_some());
    let facebook = create_provider(&harness, &pool, "Facebook", Facebook, social_details(), &[])
        .await
        .unwrap();
    assert!(detail(&facebook, "authorize_url").is_some());
    let username = |p: &IdentityProviderType| p.attribute_mapping().unwrap()["username"].clone();
    assert_eq!(username(&facebook), "id");
    let amazon = create_provider(
        &harness,
        &pool,
        "LoginWithAmazon",
        LoginWithAmazon,
        social_details(),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(username(&amazon), "user_id");
    let apple_details = details(&[
        ("client_id", "com.example.app"),
        ("team_id", "TEAM123"),
        ("key_id", "KEY123"),
        ("private_key", "-----BEGIN PRIVATE KEY-----"),
        ("authorize_scopes", "email name"),
    ]);
    let apple = create_provider(
        &harness,
        &pool,
        "SignInWithApple",
        SignInWithApple,
        apple_details,
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        detail(&apple, "oidc_issuer"),
        Some("https://appleid.apple.com")
    );

    let saml = create_provider(
        &harness,
        &pool,
        "Okta",
        Saml,
        details(&[("MetadataFile", METADATA)]),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        detail(&saml, "SSORedirectBindingURI"),
        Some("https://idp.example.com/sso")
    );
    assert_eq!(
        detail(&saml, "SLORedirectBindingURI"),
        Some("https://idp.example.com/slo")
    );
    assert!(!saml.attribute_mapping().unwrap().contains_key("username"));
    let by_url = details(&[("MetadataURL", "https://idp.example.com/metadata")]);
    let by_url = create_provider(&harness, &pool, "Remote", Saml, by_url, &[])
        .await
        .unwrap();
    assert_eq!(
        detail(&by_url, "SSORedirectBindingURI"),
        None,
        "nothing is fetched"
    );

    let refused = [
        (
            "Google",
            Google,
            details(&[("client_id", "x"), ("authorize_scopes", "openid")]),
        ),
        ("SignInWithApple2", Oidc, details(&[("client_id", "x")])),
        ("Saml2", Saml, details(&[])),
        (
            "Saml3",
            Saml,
            details(&[
                ("MetadataFile", METADATA),
                ("MetadataURL", "https://x.example"),
            ]),
        ),
        ("Saml4", Saml, details(&[("MetadataFile", "<nothing/>")])),
        (
            "Saml5",
            Saml,
            details(&[
                ("MetadataURL", "https://x.example"),
                ("IDPSignout", "maybe"),
            ]),
        ),
        ("Oidc2", Oidc, {
            let mut d = oidc_details();
            d.insert("attributes_request_method".into(), "PUT".into());
            d
        }),
        ("Twitter", Google, social_details()),
        ("Cognito", Oidc, oidc_details()),
    ];
    let fresh = harness.pool_without_mfa(|create| create, false).await;
    for (name, provider_type, given) in refused {
        let answer =
            create_provider(&harness, &fresh, name, provider_type.clone(), given, &[]).await;
        let (code, message) = answer.expect_err(name);
        assert_eq!(code, "InvalidParameterException", "{name}: {message}");
    }
}

#[tokio::test]
async fn names_and_identifiers_are_unique_within_a_pool() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let other = harness.pool_without_mfa(|create| create, false).await;
    let saml = || details(&[("MetadataFile", METADATA)]);
    create_provider(
        &harness,
        &pool,
        "Okta",
        IdentityProviderTypeType::Saml,
        saml(),
        &["okta"],
    )
    .await
    .unwrap();
    let same_name = create_provider(
        &harness,
        &pool,
        "Okta",
        IdentityProviderTypeType::Saml,
        saml(),
        &[],
    )
    .await;
    assert_eq!(same_name.unwrap_err().0, "DuplicateProviderException");
    let same_identifier = create_provider(
        &harness,
        &pool,
        "Ping",
        IdentityProviderTypeType::Saml,
        saml(),
        &["okta"],
    )
    .await;
    assert_eq!(same_identifier.unwrap_err().0, "DuplicateProviderException");
    let repeated = create_provider(
        &harness,
        &pool,
        "Ping",
        IdentityProviderTypeType::Saml,
        saml(),
        &["ping", "ping"],
    )
    .await;
    assert_eq!(repeated.unwrap_err().0, "DuplicateProviderException");
    // Another pool has names and identifiers of its own.
    create_provider(
        &harness,
        &other,
        "Okta",
        IdentityProviderTypeType::Saml,
        saml(),
        &["okta"],
    )
    .await
    .expect("the same name and identifier in another pool");
    let unmapped = harness
        .client
        .create_identity_provider()
        .user_pool_id(&pool.id)
        .provider_name("Ping")
        .provider_type(IdentityProviderTypeType::Saml)
        .set_provider_details(Some(saml()))
        .attribute_mapping("custom:missing", "department")
        .send()
        .await;
    assert_eq!(error_code(unmapped).0, "InvalidParameterException");
    let no_pool = harness
        .client
        .describe_identity_provider()
        .user_pool_id("us-east-1_Nowhere00")
        .provider_name("Okta")
        .send()
        .await;
    assert_eq!(error_code(no_pool).0, "ResourceNotFoundException");
}

#[tokio::test]
async fn providers_are_listed_page_by_page() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    for name in ["Delta", "Alpha", "Echo", "Charlie", "Bravo"] {
        let given = details(&[("MetadataURL", "https://idp.example.com/metadata")]);
        create_provider(
            &harness,
            &pool,
            name,
            IdentityProviderTypeType::Saml,
            given,
            &[],
        )
        .await
        .unwrap();
    }
    let first = harness
        .client
        .list_identity_providers()
        .user_pool_id(&pool.id)
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(first.providers().len(), 2);
    assert!(first.next_token().is_some());
    let names: Vec<String> = harness
        .client
        .list_identity_providers()
        .user_pool_id(&pool.id)
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every page")
        .into_iter()
        .map(|provider| provider.provider_name.unwrap())
        .collect();
    assert_eq!(names, ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]);
    let all = harness
        .client
        .list_identity_providers()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    assert_eq!(all.providers().len(), 5);
    assert_eq!(all.next_token(), None);
    let bad_token = harness
        .client
        .list_identity_providers()
        .user_pool_id(&pool.id)
        .next_token("not-a-token!")
        .send()
        .await;
    assert_eq!(error_code(bad_token).0, "InvalidParameterException");
}

fn identity(provider: &str, attribute: &str, value: &str) -> ProviderUserIdentifierType {
    ProviderUserIdentifierType::builder()
        .provider_name(provider)
        .provider_attribute_name(attribute)
        .provider_attribute_value(value)
        .build()
}

fn cognito_user(username: &str) -> ProviderUserIdentifierType {
    ProviderUserIdentifierType::builder()
        .provider_name("Cognito")
        .provider_attribute_value(username)
        .build()
}

async fn link(
    harness: &Harness,
    pool: &Pool,
    source: ProviderUserIdentifierType,
    username: &str,
) -> Result<(), (String, String)> {
    let answer = harness
        .client
        .admin_link_provider_for_user()
        .user_pool_id(&pool.id)
        .source_user(source)
        .destination_user(cognito_user(username))
        .send()
        .await;
    outcome(answer).map(|_| ())
}

async fn disable(
    harness: &Harness,
    pool: &Pool,
    user: ProviderUserIdentifierType,
) -> Result<(), (String, String)> {
    let answer = harness
        .client
        .admin_disable_provider_for_user()
        .user_pool_id(&pool.id)
        .user(user)
        .send()
        .await;
    outcome(answer).map(|_| ())
}

/// The user's `identities` attribute, parsed (empty when it has none).
async fn identities(harness: &Harness, pool: &Pool, username: &str) -> Vec<Value> {
    let user = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username(username)
        .send()
        .await
        .expect("AdminGetUser");
    user.user_attributes()
        .iter()
        .find(|attribute| attribute.name() == "identities")
        .map(|attribute| serde_json::from_str(attribute.value().unwrap()).expect("a JSON array"))
        .map(|value: Value| value.as_array().unwrap().clone())
        .unwrap_or_default()
}

async fn linking_pool(harness: &Harness) -> Pool {
    let pool = harness.pool_without_mfa(|create| create, false).await;
    create_provider(
        harness,
        &pool,
        "Google",
        IdentityProviderTypeType::Google,
        social_details(),
        &[],
    )
    .await
    .unwrap();
    create_provider(
        harness,
        &pool,
        "Corporate",
        IdentityProviderTypeType::Oidc,
        oidc_details(),
        &[],
    )
    .await
    .unwrap();
    for name in ["alice", "bob"] {
        harness.confirmed_user(&pool, name).await;
    }
    pool
}

#[tokio::test]
async fn a_linked_identity_is_listed_in_the_users_identities() {
    let harness = Harness::start().await;
    let pool = linking_pool(&harness).await;
    assert!(identities(&harness, &pool, "alice").await.is_empty());
    link(
        &harness,
        &pool,
        identity("Google", "Cognito_Subject", "1001"),
        "alice",
    )
    .await
    .expect("AdminLinkProviderForUser");
    link(
        &harness,
        &pool,
        identity("Corporate", "email", "alice@corp.example"),
        "alice",
    )
    .await
    .expect("a mapped OIDC attribute links too");
    let linked = identities(&harness, &pool, "alice").await;
    assert_eq!(linked.len(), 2);
    let google = &linked[0];
    assert_eq!(google["userId"], "1001");
    assert_eq!(google["providerName"], "Google");
    assert_eq!(google["providerType"], "Google");
    assert_eq!(google["issuer"], Value::Null);
    assert_eq!(google["primary"], false);
    assert!(
        google["dateCreated"].as_i64().unwrap() > 1_000_000_000_000,
        "milliseconds"
    );
    assert_eq!(linked[1]["providerType"], "OIDC");
    assert_eq!(linked[1]["issuer"], "https://idp.example.com");

    disable(
        &harness,
        &pool,
        identity("Google", "Cognito_Subject", "1001"),
    )
    .await
    .expect("AdminDisableProviderForUser");
    let left = identities(&harness, &pool, "alice").await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["providerName"], "Corporate");
    let gone = disable(
        &harness,
        &pool,
        identity("Google", "Cognito_Subject", "1001"),
    )
    .await;
    assert_eq!(gone.unwrap_err().0, "UserNotFoundException");
    link(
        &harness,
        &pool,
        identity("Google", "Cognito_Subject", "1001"),
        "bob",
    )
    .await
    .expect("a disabled identity can be linked again");
}

#[tokio::test]
async fn linking_refuses_what_the_service_refuses() {
    let harness = Harness::start().await;
    let pool = linking_pool(&harness).await;
    link(
        &harness,
        &pool,
        identity("Google", "Cognito_Subject", "1001"),
        "alice",
    )
    .await
    .unwrap();
    let cases = [
        (
            "already linked",
            identity("Google", "Cognito_Subject", "1001"),
            "bob",
            "AliasExistsException",
        ),
        (
            "no such user",
            identity("Google", "Cognito_Subject", "1002"),
            "nobody",
            "UserNotFoundException",
        ),
        (
            "no such provider",
            identity("Facebook", "Cognito_Subject", "1"),
            "bob",
            "InvalidParameterException",
        ),
        (
            "own user as source",
            identity("Cognito", "Cognito_Subject", "alice"),
            "bob",
            "InvalidParameterException",
        ),
        (
            "social by attribute",
            identity("Google", "email", "b@example.com"),
            "bob",
            "InvalidParameterException",
        ),
        (
            "unmapped attribute",
            identity("Corporate", "nickname", "b"),
            "bob",
            "InvalidParameterException",
        ),
        (
            "no value",
            identity("Google", "Cognito_Subject", ""),
            "bob",
            "InvalidParameterException",
        ),
    ];
    for (case, source, destination, expected) in cases {
        let answer = link(&harness, &pool, source, destination).await;
        assert_eq!(answer.expect_err(case).0, expected, "{case}");
    }
    let to_federated = harness
        .client
        .admin_link_provider_for_user()
        .user_pool_id(&pool.id)
        .source_user(identity("Google", "Cognito_Subject", "1003"))
        .destination_user(identity("Google", "Cognito_Subject", "1001"))
        .send()
        .await;
    assert_eq!(error_code(to_federated).0, "InvalidParameterException");

    for (case, user) in [
        (
            "no such provider",
            identity("Facebook", "Cognito_Subject", "1"),
        ),
        (
            "own sign-in by attribute",
            identity("Cognito", "email", "alice"),
        ),
        (
            "social by attribute",
            identity("Google", "email", "a@example.com"),
        ),
    ] {
        let answer = disable(&harness, &pool, user).await;
        assert_eq!(
            answer.expect_err(case).0,
            "InvalidParameterException",
            "{case}"
        );
    }

    // A user made by signing in with the identity cannot be linked to another user.
    harness.confirmed_user(&pool, "Google_2002").await;
    let merged = link(
        &harness,
        &pool,
        identity("Google", "Cognito_Subject", "2002"),
        "bob",
    )
    .await;
    let (code, message) = merged.unwrap_err();
    assert_eq!(code, "InvalidParameterException");
    assert!(
        message.starts_with("Merging is not currently supported"),
        "{message}"
    );

    // Five identities at most per user.
    for n in 0..4 {
        link(
            &harness,
            &pool,
            identity("Google", "Cognito_Subject", &format!("b{n}")),
            "bob",
        )
        .await
        .unwrap();
    }
    link(
        &harness,
        &pool,
        identity("Corporate", "Cognito_Subject", "b4"),
        "bob",
    )
    .await
    .unwrap();
    let sixth = link(
        &harness,
        &pool,
        identity("Corporate", "Cognito_Subject", "b5"),
        "bob",
    )
    .await;
    assert_eq!(sixth.unwrap_err().0, "LimitExceededException");
}

#[tokio::test]
async fn deleting_a_user_frees_its_identities() {
    let harness = Harness::start().await;
    let pool = linking_pool(&harness).await;
    link(
        &harness,
        &pool,
        identity("Google", "Cognito_Subject", "1001"),
        "alice",
    )
    .await
    .unwrap();
    harness
        .client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await
        .unwrap();
    link(
        &harness,
        &pool,
        identity("Google", "Cognito_Subject", "1001"),
        "bob",
    )
    .await
    .expect("the deleted user's identity is free");
}

#[tokio::test]
async fn providers_and_links_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = linking_pool(&harness).await;
    create_provider(
        &harness,
        &pool,
        "Okta",
        IdentityProviderTypeType::Saml,
        details(&[("MetadataFile", METADATA)]),
        &["okta.example"],
    )
    .await
    .unwrap();
    link(
        &harness,
        &pool,
        identity("Google", "Cognito_Subject", "1001"),
        "alice",
    )
    .await
    .unwrap();
    link(
        &harness,
        &pool,
        identity("Okta", "Cognito_Subject", "okta-7"),
        "bob",
    )
    .await
    .unwrap();
    let before = describe(&harness, &pool, "Okta").await.unwrap();

    let harness = harness.restart().await;
    let after = describe(&harness, &pool, "Okta").await.unwrap();
    assert_eq!(after.provider_details(), before.provider_details());
    assert_eq!(after.creation_date(), before.creation_date());
    assert_eq!(
        by_identifier(&harness, &pool, "okta.example")
            .await
            .unwrap(),
        "Okta"
    );
    let bob = identities(&harness, &pool, "bob").await;
    assert_eq!(bob[0]["issuer"], "https://idp.example.com/saml");
    let again = link(
        &harness,
        &pool,
        identity("Google", "Cognito_Subject", "1001"),
        "bob",
    )
    .await;
    assert_eq!(
        again.unwrap_err().0,
        "AliasExistsException",
        "the link index is rebuilt"
    );
    disable(
        &harness,
        &pool,
        identity("Okta", "Cognito_Subject", "okta-7"),
    )
    .await
    .expect("a link made before the restart is found");
    assert!(identities(&harness, &pool, "bob").await.is_empty());
}

#[tokio::test]
async fn a_linked_users_id_token_lists_its_identities() {
    let harness = Harness::start().await;
    let pool = linking_pool(&harness).await;
    link(
        &harness,
        &pool,
        identity("Google", "Cognito_Subject", "1001"),
        "alice",
    )
    .await
    .unwrap();
    let tokens = harness
        .password_sign_in(&pool, "alice", PASSWORD)
        .await
        .expect("InitiateAuth")
        .authentication_result
        .unwrap();
    let claims = verified_claims(&harness, &pool.id, tokens.id_token().unwrap()).await;
    let identities = claims["identities"]
        .as_array()
        .expect("an array, not a string");
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0]["userId"], "1001");
    assert_eq!(identities[0]["providerName"], "Google");
    assert_eq!(identities[0]["primary"], "false");
    assert!(
        identities[0]["dateCreated"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .is_ok()
    );
    assert_eq!(identities[0]["issuer"], Value::Null);
}

#[tokio::test]
async fn a_pool_has_at_most_300_identity_providers() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let metadata = || details(&[("MetadataURL", "https://idp.example.com/metadata")]);
    for n in 0..300 {
        let name = format!("Idp{n:03}");
        create_provider(
            &harness,
            &pool,
            &name,
            IdentityProviderTypeType::Saml,
            metadata(),
            &[],
        )
        .await
        .unwrap();
    }
    let over = create_provider(
        &harness,
        &pool,
        "Idp300",
        IdentityProviderTypeType::Saml,
        metadata(),
        &[],
    )
    .await;
    assert_eq!(over.unwrap_err().0, "LimitExceededException");
    let page = harness
        .client
        .list_identity_providers()
        .user_pool_id(&pool.id)
        .max_results(60)
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.providers().len(),
        50,
        "the answer's list holds 50 at most"
    );
}

#[tokio::test]
async fn disabling_the_cognito_provider_ends_a_users_password_sign_in_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness.confirmed_user(&pool, "alice").await;
    harness.confirmed_user(&pool, "bob").await;
    assert!(
        harness
            .password_sign_in(&pool, "alice", PASSWORD)
            .await
            .is_ok()
    );

    let unknown = disable(
        &harness,
        &pool,
        identity("Cognito", "Cognito_Subject", "nobody"),
    )
    .await;
    assert_eq!(unknown.unwrap_err().0, "UserNotFoundException");
    disable(
        &harness,
        &pool,
        identity("Cognito", "Cognito_Subject", "alice"),
    )
    .await
    .expect("alice's password sign-in disabled");

    let harness = harness.restart().await;
    let refused = harness.password_sign_in(&pool, "alice", PASSWORD).await;
    let (code, message) = error_code(refused);
    assert_eq!(code, "NotAuthorizedException");
    assert!(message.contains("disabled"), "{message}");
    // The account itself stays, and other users sign in as before.
    let alice = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await
        .expect("alice is still there");
    assert!(alice.enabled());
    assert!(
        harness
            .password_sign_in(&pool, "bob", PASSWORD)
            .await
            .is_ok()
    );
}
