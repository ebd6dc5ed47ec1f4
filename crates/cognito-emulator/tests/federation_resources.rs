// SPDX-License-Identifier: Apache-2.0
//! Resource servers (Create-, Describe-, Update-, Delete-, ListResourceServers), user-pool
//! domains (Create-, Describe-, Update-, DeleteUserPoolDomain) and the SAML signing certificate
//! (GetSigningCertificate), live and across a restart.

mod common;

use std::process::Command;

use aws_sdk_cognitoidentityprovider::types::{
    CustomDomainConfigType, DomainDescriptionType, DomainStatusType, ResourceServerScopeType,
};
use base64::Engine;
use common::{Harness, Pool, error_code, outcome};

const CERTIFICATE_ARN: &str =
    "arn:aws:acm:us-east-1:123456789012:certificate/0f3c3b4e-9a3e-4a7c-8d0e-6f1b2c3d4e5f";

fn scope(name: &str) -> ResourceServerScopeType {
    ResourceServerScopeType::builder()
        .scope_name(name)
        .scope_description(format!("Lets the app {name}"))
        .build()
        .unwrap()
}

async fn create_server(
    harness: &Harness,
    pool: &Pool,
    identifier: &str,
    scopes: &[&str],
) -> Result<(), (String, String)> {
    let mut create = harness
        .client
        .create_resource_server()
        .user_pool_id(&pool.id)
        .identifier(identifier)
        .name("api");
    for name in scopes {
        create = create.scopes(scope(name));
    }
    outcome(create.send().await).map(|_| ())
}

async fn scopes_of(
    harness: &Harness,
    pool: &Pool,
    identifier: &str,
) -> Result<Vec<String>, String> {
    let answer = harness
        .client
        .describe_resource_server()
        .user_pool_id(&pool.id)
        .identifier(identifier)
        .send()
        .await;
    outcome(answer)
        .map(|answer| {
            let server = answer.resource_server.unwrap();
            server
                .scopes()
                .iter()
                .map(|s| s.scope_name().to_owned())
                .collect()
        })
        .map_err(|(code, _)| code)
}

#[tokio::test]
async fn a_resource_server_and_its_scopes_are_kept_replaced_and_deleted() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let created = harness
        .client
        .create_resource_server()
        .user_pool_id(&pool.id)
        .identifier("https://api.example.com")
        .name("Example API")
        .scopes(scope("read"))
        .scopes(scope("write"))
        .send()
        .await
        .expect("CreateResourceServer")
        .resource_server
        .unwrap();
    assert_eq!(created.user_pool_id(), Some(pool.id.as_str()));
    assert_eq!(created.name(), Some("Example API"));
    assert_eq!(
        created.scopes()[1].scope_description(),
        "Lets the app write"
    );
    let server = "https://api.example.com";
    assert_eq!(
        scopes_of(&harness, &pool, server).await.unwrap(),
        ["read", "write"]
    );

    let updated = harness
        .client
        .update_resource_server()
        .user_pool_id(&pool.id)
        .identifier(server)
        .name("Renamed")
        .scopes(scope("admin"))
        .send()
        .await
        .expect("UpdateResourceServer")
        .resource_server
        .unwrap();
    assert_eq!(updated.name(), Some("Renamed"));
    assert_eq!(scopes_of(&harness, &pool, server).await.unwrap(), ["admin"]);

    harness
        .client
        .delete_resource_server()
        .user_pool_id(&pool.id)
        .identifier(server)
        .send()
        .await
        .expect("DeleteResourceServer");
    let gone = scopes_of(&harness, &pool, server).await;
    assert_eq!(gone.unwrap_err(), "ResourceNotFoundException");
    let update_gone = harness
        .client
        .update_resource_server()
        .user_pool_id(&pool.id)
        .identifier(server)
        .name("x")
        .send()
        .await;
    assert_eq!(error_code(update_gone).0, "ResourceNotFoundException");
    let delete_gone = harness
        .client
        .delete_resource_server()
        .user_pool_id(&pool.id)
        .identifier(server)
        .send()
        .await;
    assert_eq!(error_code(delete_gone).0, "ResourceNotFoundException");
}

#[tokio::test]
async fn resource_servers_are_unique_limited_and_listed_page_by_page() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    create_server(&harness, &pool, "orders", &["read"])
        .await
        .unwrap();
    let again = create_server(&harness, &pool, "orders", &["read"]).await;
    assert_eq!(again.unwrap_err().0, "InvalidParameterException");
    let repeated = create_server(&harness, &pool, "stock", &["read", "read"]).await;
    assert_eq!(repeated.unwrap_err().0, "InvalidParameterException");
    for n in 1..25 {
        create_server(&harness, &pool, &format!("server-{n:02}"), &[])
            .await
            .unwrap();
    }
    let over = create_server(&harness, &pool, "one-too-many", &[]).await;
    assert_eq!(over.unwrap_err().0, "LimitExceededException", "25 per pool");

    let first = harness
        .client
        .list_resource_servers()
        .user_pool_id(&pool.id)
        .max_results(10)
        .send()
        .await
        .unwrap();
    assert_eq!(first.resource_servers().len(), 10);
    assert!(first.next_token().is_some());
    let identifiers: Vec<String> = harness
        .client
        .list_resource_servers()
        .user_pool_id(&pool.id)
        .max_results(10)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every page")
        .into_iter()
        .map(|server| server.identifier.unwrap())
        .collect();
    assert_eq!(identifiers.len(), 25);
    assert_eq!(identifiers[0], "orders");
    assert_eq!(identifiers[24], "server-24");
    let no_pool = harness
        .client
        .list_resource_servers()
        .user_pool_id("us-east-1_Nowhere00")
        .max_results(10)
        .send()
        .await;
    assert_eq!(error_code(no_pool).0, "ResourceNotFoundException");
}

async fn create_domain(
    harness: &Harness,
    pool: &Pool,
    domain: &str,
    certificate_arn: Option<&str>,
) -> Result<Option<String>, (String, String)> {
    let config = certificate_arn.map(|arn| {
        CustomDomainConfigType::builder()
            .certificate_arn(arn)
            .build()
            .unwrap()
    });
    let answer = harness
        .client
        .create_user_pool_domain()
        .user_pool_id(&pool.id)
        .domain(domain)
        .set_custom_domain_config(config)
        .send()
        .await;
    outcome(answer).map(|answer| answer.cloud_front_domain)
}

async fn described(harness: &Harness, domain: &str) -> DomainDescriptionType {
    harness
        .client
        .describe_user_pool_domain()
        .domain(domain)
        .send()
        .await
        .expect("DescribeUserPoolDomain")
        .domain_description
        .expect("a DomainDescription, empty or not")
}

async fn delete_domain(harness: &Harness, pool: &Pool, domain: &str) -> Result<(), String> {
    let answer = harness
        .client
        .delete_user_pool_domain()
        .user_pool_id(&pool.id)
        .domain(domain)
        .send()
        .await;
    outcome(answer).map(|_| ()).map_err(|(code, _)| code)
}

#[tokio::test]
async fn a_prefix_domain_is_described_updated_and_deleted() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let cloudfront = create_domain(&harness, &pool, "shop-login", None)
        .await
        .unwrap();
    assert_eq!(
        cloudfront, None,
        "a prefix domain has no distribution of its own to point at"
    );
    let description = described(&harness, "shop-login").await;
    assert_eq!(description.user_pool_id(), Some(pool.id.as_str()));
    assert_eq!(description.domain(), Some("shop-login"));
    assert_eq!(description.aws_account_id(), Some("000000000000"));
    assert_eq!(description.status(), Some(&DomainStatusType::Active));
    assert_eq!(description.managed_login_version(), Some(1));
    assert!(description.custom_domain_config().is_none());
    assert_eq!(
        description.cloud_front_distribution(),
        Some("shop-login.auth.localhost"),
        "where the emulator serves the domain's pages"
    );
    assert!(description.s3_bucket().is_some());
    assert_eq!(description.version().map(str::len), Some(14), "a timestamp");

    let updated = harness
        .client
        .update_user_pool_domain()
        .user_pool_id(&pool.id)
        .domain("shop-login")
        .managed_login_version(2)
        .send()
        .await
        .expect("UpdateUserPoolDomain");
    assert_eq!(updated.managed_login_version(), Some(2));
    assert_eq!(
        described(&harness, "shop-login")
            .await
            .managed_login_version(),
        Some(2)
    );
    let bad_version = harness
        .client
        .update_user_pool_domain()
        .user_pool_id(&pool.id)
        .domain("shop-login")
        .managed_login_version(3)
        .send()
        .await;
    assert_eq!(error_code(bad_version).0, "InvalidParameterException");
    let with_certificate = harness
        .client
        .update_user_pool_domain()
        .user_pool_id(&pool.id)
        .domain("shop-login")
        .custom_domain_config(
            CustomDomainConfigType::builder()
                .certificate_arn(CERTIFICATE_ARN)
                .build()
                .unwrap(),
        )
        .send()
        .await;
    assert_eq!(error_code(with_certificate).0, "InvalidParameterException");

    delete_domain(&harness, &pool, "shop-login")
        .await
        .expect("DeleteUserPoolDomain");
    let empty = described(&harness, "shop-login").await;
    assert_eq!(empty.domain(), None, "an unknown domain is described empty");
    assert_eq!(empty.user_pool_id(), None);
    let again = delete_domain(&harness, &pool, "shop-login").await;
    assert_eq!(again.unwrap_err(), "ResourceNotFoundException");
}

#[tokio::test]
async fn a_domain_belongs_to_one_pool_and_a_pool_has_one_of_each_kind() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let other = harness.pool_without_mfa(|create| create, false).await;
    create_domain(&harness, &pool, "shop-login", None)
        .await
        .unwrap();
    let taken = create_domain(&harness, &other, "shop-login", None).await;
    let (code, message) = taken.unwrap_err();
    assert_eq!(code, "InvalidParameterException");
    assert_eq!(message, "Domain already associated with another user pool.");
    let second = create_domain(&harness, &pool, "shop-login-2", None).await;
    assert_eq!(second.unwrap_err().0, "InvalidParameterException");
    for reserved in ["my-aws-login", "amazonshop", "cognito-test"] {
        let answer = create_domain(&harness, &other, reserved, None).await;
        assert_eq!(
            answer.unwrap_err().0,
            "InvalidParameterException",
            "{reserved}"
        );
    }
    let not_its_own = delete_domain(&harness, &other, "shop-login").await;
    assert_eq!(not_its_own.unwrap_err(), "ResourceNotFoundException");

    // A prefix is one label; a full name is a custom domain's.
    let dotted_prefix = create_domain(&harness, &other, "login.shop", None).await;
    assert_eq!(dotted_prefix.unwrap_err().0, "InvalidParameterException");

    // A custom domain besides the prefix one, with an ACM certificate from us-east-1.
    let cloudfront = create_domain(&harness, &pool, "login.shop.example", Some(CERTIFICATE_ARN))
        .await
        .expect("a custom domain");
    assert!(cloudfront.unwrap().ends_with(".cloudfront.net"));
    let custom = described(&harness, "login.shop.example").await;
    let config = custom.custom_domain_config().unwrap();
    assert_eq!(config.certificate_arn(), CERTIFICATE_ARN);
    let elsewhere = CERTIFICATE_ARN.replace("us-east-1", "eu-west-1");
    let refused = create_domain(&harness, &other, "other-shop", Some(&elsewhere)).await;
    assert_eq!(refused.unwrap_err().0, "InvalidParameterException");
    let second_custom = create_domain(&harness, &pool, "more-shop", Some(CERTIFICATE_ARN)).await;
    assert_eq!(second_custom.unwrap_err().0, "InvalidParameterException");

    // Deleting the pool frees its domains.
    harness
        .client
        .delete_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    assert_eq!(described(&harness, "shop-login").await.domain(), None);
    create_domain(&harness, &other, "shop-login", None)
        .await
        .expect("the deleted pool's domain is free");
    assert_eq!(
        described(&harness, "shop-login").await.user_pool_id(),
        Some(other.id.as_str())
    );
}

#[tokio::test]
async fn servers_and_domains_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let other = harness.pool_without_mfa(|create| create, false).await;
    create_server(
        &harness,
        &pool,
        "https://api.example.com",
        &["read", "write"],
    )
    .await
    .unwrap();
    create_domain(&harness, &pool, "kept-login", None)
        .await
        .unwrap();
    let before = described(&harness, "kept-login").await;

    let harness = harness.restart().await;
    let server = scopes_of(&harness, &pool, "https://api.example.com").await;
    assert_eq!(server.unwrap(), ["read", "write"]);
    let after = described(&harness, "kept-login").await;
    assert_eq!(after, before);
    let taken = create_domain(&harness, &other, "kept-login", None).await;
    assert_eq!(
        taken.unwrap_err().0,
        "InvalidParameterException",
        "the index is rebuilt"
    );
    delete_domain(&harness, &pool, "kept-login").await.unwrap();
    let harness = harness.restart().await;
    assert_eq!(described(&harness, "kept-login").await.domain(), None);
    create_domain(&harness, &other, "kept-login", None)
        .await
        .expect("a deleted domain stays free after a restart");
}

async fn signing_certificate(harness: &Harness, pool: &Pool) -> String {
    harness
        .client
        .get_signing_certificate()
        .user_pool_id(&pool.id)
        .send()
        .await
        .expect("GetSigningCertificate")
        .certificate
        .unwrap()
}

/// What openssl reads in a DER certificate given in base64: its subject, and its public key.
fn read_with_openssl(certificate: &str, dir: &std::path::Path) -> (String, String) {
    let der = base64::engine::general_purpose::STANDARD
        .decode(certificate)
        .expect("the certificate is base64");
    let path = dir.join("certificate.der");
    std::fs::write(&path, der).unwrap();
    let run = |what: &str| {
        let output = Command::new("openssl")
            .args(["x509", "-inform", "DER", "-noout", what, "-in"])
            .arg(&path)
            .output()
            .expect("openssl runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    (run("-subject"), run("-pubkey"))
}

#[tokio::test]
async fn the_signing_certificate_is_a_real_one_that_stays_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let other = harness.pool_without_mfa(|create| create, false).await;
    let certificate = signing_certificate(&harness, &pool).await;
    assert!(
        !certificate.contains("BEGIN"),
        "the body only, as the service answers"
    );
    assert_eq!(signing_certificate(&harness, &pool).await, certificate);
    let work = tempfile::tempdir().unwrap();
    let (subject, public_key) = read_with_openssl(&certificate, work.path());
    assert!(subject.contains(&pool.id), "{subject}");
    assert!(public_key.contains("BEGIN PUBLIC KEY"), "{public_key}");
    let (_, other_key) =
        read_with_openssl(&signing_certificate(&harness, &other).await, work.path());
    assert_ne!(other_key, public_key, "each pool has its own key");

    let harness = harness.restart().await;
    let after = signing_certificate(&harness, &pool).await;
    assert_eq!(after, certificate);
    assert_eq!(read_with_openssl(&after, work.path()).1, public_key);
    let no_pool = harness
        .client
        .get_signing_certificate()
        .user_pool_id("us-east-1_Nowhere00")
        .send()
        .await;
    assert_eq!(error_code(no_pool).0, "ResourceNotFoundException");
}
