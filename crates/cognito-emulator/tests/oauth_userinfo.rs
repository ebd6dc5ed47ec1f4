// SPDX-License-Identifier: Apache-2.0
//! `/oauth2/userInfo` per scope, the OpenID discovery document, and the endpoints' CORS.

mod common;
mod oauth_common;

use common::{Harness, HttpAnswer};
use oauth_common::*;
use serde_json::Value;

async fn user_info(harness: &Harness, method: &str, access_token: &str) -> HttpAnswer {
    let authorization = format!("Bearer {access_token}");
    common::http_answer(
        harness.emulator.url(),
        method,
        &format!("/_domains/{DOMAIN}/oauth2/userInfo"),
        &[("Authorization", &authorization)],
        "",
    )
    .await
}

async fn claims_for(
    harness: &Harness,
    pool: &OAuthPool,
    sub: &str,
    scopes: Vec<&'static str>,
) -> Value {
    let answer = tokens(harness, pool, "alice", sub, scopes).await;
    let info = user_info(harness, "GET", answer["access_token"].as_str().unwrap()).await;
    assert_eq!(info.status, 200, "{}", info.body);
    serde_json::from_str(&info.body).unwrap()
}

#[tokio::test]
async fn each_scope_reads_its_own_attributes_and_openid_alone_reads_all() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;

    let email = claims_for(&harness, &pool, &sub, vec!["openid", "email"]).await;
    assert_eq!(email["sub"], sub.as_str());
    assert_eq!(email["username"], "alice");
    assert_eq!(email["email"], "alice@example.com");
    // As the service writes it: a string.
    assert_eq!(email["email_verified"], "true");
    assert!(email.get("phone_number").is_none() && email.get("name").is_none());

    let phone = claims_for(&harness, &pool, &sub, vec!["openid", "phone"]).await;
    assert_eq!(phone["phone_number"], "+15555550100");
    assert!(phone.get("email").is_none());

    let profile = claims_for(&harness, &pool, &sub, vec!["openid", "profile"]).await;
    assert_eq!(profile["name"], "Alice Liddell");
    assert!(profile.get("email").is_none());

    let all = claims_for(&harness, &pool, &sub, vec!["openid"]).await;
    for name in ["email", "phone_number", "name"] {
        assert!(all.get(name).is_some(), "openid alone reads {name}: {all}");
    }
    let by_post = tokens(&harness, &pool, "alice", &sub, vec!["openid"]).await;
    assert_eq!(
        user_info(&harness, "POST", by_post["access_token"].as_str().unwrap())
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn tokens_without_openid_and_bad_tokens_are_refused_with_a_bearer_challenge() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let api_token = harness
        .access_token(
            &common::Pool {
                id: pool.id.clone(),
                client_id: pool.client_id.clone(),
            },
            "alice",
            common::PASSWORD,
        )
        .await;
    let refused = user_info(&harness, "GET", &api_token).await;
    assert_eq!(refused.status, 401);
    let challenge = refused.header("www-authenticate").unwrap();
    assert!(
        challenge.starts_with("Bearer error=\"invalid_token\""),
        "{challenge}"
    );
    assert!(refused.body.contains("openid"));

    let email_only = tokens(&harness, &pool, "alice", &sub, vec!["email"]).await;
    assert_eq!(
        user_info(
            &harness,
            "GET",
            email_only["access_token"].as_str().unwrap()
        )
        .await
        .status,
        401
    );
    assert_eq!(user_info(&harness, "GET", "not.a.token").await.status, 401);
    let no_header = common::http_answer(
        harness.emulator.url(),
        "GET",
        &format!("/_domains/{DOMAIN}/oauth2/userInfo"),
        &[],
        "",
    )
    .await;
    assert_eq!(no_header.status, 400);
    assert!(
        no_header
            .header("www-authenticate")
            .unwrap()
            .contains("invalid_request")
    );
}

#[tokio::test]
async fn discovery_names_the_domain_endpoints_by_path_and_nothing_without_a_domain() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let (status, body) = harness
        .http_get(&format!("/{}/.well-known/openid-configuration", pool.id))
        .await;
    assert_eq!(status, 200, "{body}");
    let document: Value = serde_json::from_str(&body).unwrap();
    let url = harness.emulator.url();
    assert_eq!(document["issuer"], format!("{url}/{}", pool.id));
    assert_eq!(
        document["jwks_uri"],
        format!("{url}/{}/.well-known/jwks.json", pool.id)
    );
    let base = format!("{url}/_domains/{DOMAIN}");
    assert_eq!(
        document["authorization_endpoint"],
        format!("{base}/oauth2/authorize")
    );
    assert_eq!(document["token_endpoint"], format!("{base}/oauth2/token"));
    assert_eq!(
        document["userinfo_endpoint"],
        format!("{base}/oauth2/userInfo")
    );
    assert_eq!(
        document["revocation_endpoint"],
        format!("{base}/oauth2/revoke")
    );
    assert_eq!(
        document["id_token_signing_alg_values_supported"][0],
        "RS256"
    );
    // The endpoints it names answer.
    let (status, _) = harness
        .http_get(&format!("/{}/.well-known/jwks.json", pool.id))
        .await;
    assert_eq!(status, 200);

    let bare = harness
        .client
        .create_user_pool()
        .pool_name("bare")
        .send()
        .await
        .unwrap();
    let bare_id = bare.user_pool.unwrap().id.unwrap();
    let (status, body) = harness
        .http_get(&format!("/{bare_id}/.well-known/openid-configuration"))
        .await;
    assert_eq!(status, 200);
    let document: Value = serde_json::from_str(&body).unwrap();
    assert!(document.get("token_endpoint").is_none(), "{document}");
    assert_eq!(
        harness
            .http_get("/us-east-1_nosuch/.well-known/openid-configuration")
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn a_single_page_app_of_another_origin_may_call_the_token_endpoint() {
    let harness = Harness::start().await;
    oauth_pool(&harness, false).await;
    let preflight = common::http_answer(
        harness.emulator.url(),
        "OPTIONS",
        &format!("/_domains/{DOMAIN}/oauth2/token"),
        &[
            ("Origin", "http://localhost:3000"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization,content-type",
            ),
        ],
        "",
    )
    .await;
    assert!(
        preflight.status == 200 || preflight.status == 204,
        "{preflight:?}"
    );
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    let allowed = preflight
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"));
}
