// SPDX-License-Identifier: Apache-2.0
//! `POST /oauth2/token` with the authorization code and refresh token grants, and
//! `/oauth2/revoke`: codes exchanged once, PKCE, redirect URIs, client authentication, the
//! tokens' claims (checked with `jsonwebtoken`), refreshes that keep the granted scopes.

mod common;
mod oauth_common;

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_emulator::testing::PkceChallenge;
use common::Harness;
use oauth_common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

#[tokio::test]
async fn an_s256_code_is_exchanged_for_tokens_whose_id_token_verifies() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let code = code_for(&harness, &pool, "alice", &sub, &Authorize::default());
    let (status, answer) = exchange(&harness, &pool, &code).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], 3600);
    assert!(answer["refresh_token"].is_string());
    let access_token = answer["access_token"].as_str().unwrap();
    let id = checked_claims(
        &harness,
        &pool,
        answer["id_token"].as_str().unwrap(),
        Some(&pool.client_id),
    )
    .await;
    assert_eq!(id["sub"], sub.as_str());
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(id["email"], "alice@example.com");
    assert!(id["auth_time"].is_i64());
    let digest = Sha256::digest(access_token.as_bytes());
    assert_eq!(
        id["at_hash"],
        URL_SAFE_NO_PAD.encode(&digest[..16]).as_str()
    );
    let access = checked_claims(&harness, &pool, access_token, None).await;
    assert_eq!(access["scope"], "openid email");
    assert_eq!(access["client_id"], pool.client_id.as_str());
    assert_eq!(access["username"], "alice");
}

#[tokio::test]
async fn a_plain_challenge_is_answered_by_the_verifier_itself() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let authorize = Authorize {
        pkce: Some(PkceChallenge::Plain(VERIFIER.to_owned())),
        ..Authorize::default()
    };
    let code = code_for(&harness, &pool, "alice", &sub, &authorize);
    let (status, answer) = exchange(&harness, &pool, &code).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn a_code_is_taken_once_and_expires_after_five_minutes() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let code = code_for(&harness, &pool, "alice", &sub, &Authorize::default());
    assert_eq!(exchange(&harness, &pool, &code).await.0, 200);
    let (status, again) = exchange(&harness, &pool, &code).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    let late = code_for(&harness, &pool, "alice", &sub, &Authorize::default());
    harness.clock.advance(Duration::from_secs(5 * 60 + 1));
    let (status, expired) = exchange(&harness, &pool, &late).await;
    assert_eq!(
        (status, expired["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn a_wrong_or_missing_verifier_is_refused_and_the_code_is_spent() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let code = code_for(&harness, &pool, "alice", &sub, &Authorize::default());
    let wrong_verifier = "x".repeat(43);
    let (status, wrong) = exchange_verified_by(&harness, &pool, &code, Some(&wrong_verifier)).await;
    assert_eq!(
        (status, wrong["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // Spent by the failed try: the right verifier comes too late.
    assert_eq!(
        exchange(&harness, &pool, &code).await.1["error"],
        "invalid_grant"
    );

    let code = code_for(&harness, &pool, "alice", &sub, &Authorize::default());
    let (status, missing) = exchange_verified_by(&harness, &pool, &code, None).await;
    assert_eq!(
        (status, missing["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

/// A public client's code exchange with this `code_verifier`, or none.
async fn exchange_verified_by(
    harness: &Harness,
    pool: &OAuthPool,
    code: &str,
    verifier: Option<&str>,
) -> (u16, Value) {
    let mut pairs = vec![
        ("grant_type", "authorization_code"),
        ("client_id", pool.client_id.as_str()),
        ("code", code),
        ("redirect_uri", CALLBACK),
    ];
    if let Some(verifier) = verifier {
        pairs.push(("code_verifier", verifier));
    }
    token_request(harness, None, &pairs).await
}

#[tokio::test]
async fn the_redirect_uri_must_be_the_authorize_requests() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let code = code_for(&harness, &pool, "alice", &sub, &Authorize::default());
    let (status, answer) = token_request(
        &harness,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &pool.client_id),
            ("code", &code),
            ("redirect_uri", "https://app.example.com/other"),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(
        answer["error_description"]
            .as_str()
            .unwrap()
            .contains("redirect_uri")
    );
}

#[tokio::test]
async fn a_code_of_another_client_is_refused() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let other = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&pool.id)
        .client_name("other")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(aws_sdk_cognitoidentityprovider::types::OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .callback_urls(CALLBACK)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let code = code_for(&harness, &pool, "alice", &sub, &Authorize::default());
    let other_pool = OAuthPool {
        client_id: other,
        ..pool.clone()
    };
    let (status, answer) = exchange(&harness, &other_pool, &code).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let unknown = OAuthPool {
        client_id: "nosuchclient".into(),
        ..pool.clone()
    };
    let (status, answer) = exchange(&harness, &unknown, &code).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn a_confidential_client_authenticates_with_basic_or_the_body_and_nothing_else() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, true).await;
    let secret = pool.secret.clone().unwrap();
    let sub = user(&harness, &pool, "alice").await;
    let body = |code: &str| {
        vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.to_owned()),
            ("redirect_uri", CALLBACK.to_owned()),
            ("code_verifier", VERIFIER.to_owned()),
        ]
    };
    let send = |authorization: Option<String>, extra: Vec<(&'static str, String)>| {
        let code = code_for(&harness, &pool, "alice", &sub, &Authorize::default());
        let mut pairs = body(&code);
        pairs.extend(extra);
        let harness = &harness;
        async move {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let answer = post_form(
                harness,
                "/oauth2/token",
                authorization.as_deref(),
                &form(&pairs),
            )
            .await;
            let json: Value = serde_json::from_str(&answer.body).unwrap();
            (
                answer.status,
                json,
                answer.header("www-authenticate").map(str::to_owned),
            )
        }
    };
    let (status, answer, _) = send(Some(basic(&pool.client_id, &secret)), vec![]).await;
    assert_eq!(status, 200, "{answer}");
    let in_body = vec![
        ("client_id", pool.client_id.clone()),
        ("client_secret", secret.clone()),
    ];
    assert_eq!(send(None, in_body).await.0, 200);

    let (status, answer, challenge) =
        send(Some(basic(&pool.client_id, "wrong-secret")), vec![]).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(challenge.unwrap().starts_with("Basic"));
    let wrong_body = vec![
        ("client_id", pool.client_id.clone()),
        ("client_secret", "nope".to_owned()),
    ];
    let (status, answer, _) = send(None, wrong_body).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, _, _) = send(None, vec![("client_id", pool.client_id.clone())]).await;
    assert_eq!(status, 401, "a confidential client without its secret");
    let both = vec![("client_secret", secret.clone())];
    let (status, answer, _) = send(Some(basic(&pool.client_id, &secret)), both).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn a_basic_secret_with_special_characters_is_form_decoded_as_rfc_6749_says() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, true).await;
    let secret = "rotated+secret+with+plus+signs1";
    harness
        .client
        .add_user_pool_client_secret()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .client_secret(secret)
        .send()
        .await
        .expect("AddUserPoolClientSecret");
    let sub = user(&harness, &pool, "alice").await;
    for sent in [secret.replace('+', "%2B"), secret.to_owned()] {
        let code = code_for(&harness, &pool, "alice", &sub, &Authorize::default());
        let (status, answer) = token_request(
            &harness,
            Some(&basic(&pool.client_id, &sent)),
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", CALLBACK),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
        assert_eq!(status, 200, "secret sent as {sent}: {answer}");
    }
}

#[tokio::test]
async fn without_openid_there_is_no_id_token() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let answer = tokens(&harness, &pool, "alice", &sub, vec!["email"]).await;
    assert!(answer.get("id_token").is_none(), "{answer}");
    assert_eq!(
        claims_of(answer["access_token"].as_str().unwrap())["scope"],
        "email"
    );
}

#[tokio::test]
async fn a_refresh_keeps_the_granted_scopes_and_a_revoked_token_refreshes_no_more() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let answer = tokens(&harness, &pool, "alice", &sub, vec!["openid", "profile"]).await;
    let refresh_token = answer["refresh_token"].as_str().unwrap().to_owned();
    let (status, refreshed) = refresh(&harness, &pool, &refresh_token).await;
    assert_eq!(status, 200, "{refreshed}");
    assert!(refreshed.get("refresh_token").is_none());
    let access = checked_claims(
        &harness,
        &pool,
        refreshed["access_token"].as_str().unwrap(),
        None,
    )
    .await;
    assert_eq!(access["scope"], "openid profile");
    let id = checked_claims(
        &harness,
        &pool,
        refreshed["id_token"].as_str().unwrap(),
        Some(&pool.client_id),
    )
    .await;
    assert_eq!(id["sub"], sub.as_str());
    // The API's refresh of the same sign-in keeps them too.
    let api_pool = common::Pool {
        id: pool.id.clone(),
        client_id: pool.client_id.clone(),
    };
    let api = harness.refresh(&api_pool, &refresh_token).await;
    let api_access = api.expect("REFRESH_TOKEN_AUTH").access_token.unwrap();
    assert_eq!(claims_of(&api_access)["scope"], "openid profile");

    let revoke = form(&[("token", &refresh_token), ("client_id", &pool.client_id)]);
    let revoked = post_form(&harness, "/oauth2/revoke", None, &revoke).await;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    assert!(revoked.body.is_empty(), "RFC 7009: an empty 200");
    let (status, refused) = refresh(&harness, &pool, &refresh_token).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // Its access tokens are revoked with it.
    let access_token = refreshed["access_token"].as_str().unwrap();
    let user_info = common::http_answer(
        harness.emulator.url(),
        "GET",
        &format!("/_domains/{DOMAIN}/oauth2/userInfo"),
        &[("Authorization", &format!("Bearer {access_token}"))],
        "",
    )
    .await;
    assert_eq!(user_info.status, 401);
}

#[tokio::test]
async fn revoke_refuses_access_tokens_and_a_missing_token_and_takes_unknown_ones() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let answer = tokens(&harness, &pool, "alice", &sub, vec!["openid"]).await;
    let access_token = answer["access_token"].as_str().unwrap();
    let post = |pairs: Vec<(&'static str, String)>| {
        let harness = &harness;
        async move {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let answer = post_form(harness, "/oauth2/revoke", None, &form(&pairs)).await;
            (
                answer.status,
                serde_json::from_str::<Value>(&answer.body).unwrap_or_default(),
            )
        }
    };
    let id = pool.client_id.clone();
    let (status, body) = post(vec![
        ("token", access_token.to_owned()),
        ("client_id", id.clone()),
    ])
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_token_type"))
    );
    let (status, body) = post(vec![("client_id", id.clone())]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, _) = post(vec![
        ("token", "no-such-token".to_owned()),
        ("client_id", id),
    ])
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn wrong_grant_types_bodies_and_repeated_parameters_are_refused() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let (status, answer) = token_request(
        &harness,
        None,
        &[("grant_type", "password"), ("client_id", &pool.client_id)],
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (status, answer) = token_request(&harness, None, &[("client_id", &pool.client_id)]).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let repeated = format!(
        "grant_type=refresh_token&grant_type=refresh_token&client_id={}",
        pool.client_id
    );
    let answer = post_form(&harness, "/oauth2/token", None, &repeated).await;
    assert_eq!(answer.status, 400);
    let json = common::http_answer(
        harness.emulator.url(),
        "POST",
        &format!("/_domains/{DOMAIN}/oauth2/token"),
        &[("Content-Type", "application/json")],
        "{}",
    )
    .await;
    assert_eq!(json.status, 400);
    assert!(json.body.contains("invalid_request"));
    let unknown_domain = common::http_answer(
        harness.emulator.url(),
        "POST",
        "/_domains/nosuchdomain/oauth2/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "grant_type=refresh_token",
    )
    .await;
    assert_eq!(unknown_domain.status, 404);
}

#[tokio::test]
async fn oauth_access_tokens_call_the_api_only_with_the_admin_scope() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let without = tokens(&harness, &pool, "alice", &sub, vec!["openid"]).await;
    let refused = harness
        .get_user(without["access_token"].as_str().unwrap())
        .await;
    assert_eq!(refused.unwrap_err().0, "NotAuthorizedException");
    let with = tokens(
        &harness,
        &pool,
        "alice",
        &sub,
        vec!["openid", "aws.cognito.signin.user.admin"],
    )
    .await;
    harness
        .get_user(with["access_token"].as_str().unwrap())
        .await
        .expect("GetUser takes a token with aws.cognito.signin.user.admin");
}

async fn refresh(harness: &Harness, pool: &OAuthPool, refresh_token: &str) -> (u16, Value) {
    token_request(
        harness,
        None,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &pool.client_id),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

#[tokio::test]
async fn a_code_of_a_user_disabled_or_deleted_since_is_refused() {
    let harness = Harness::start().await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let code = code_for(&harness, &pool, "alice", &sub, &Authorize::default());
    harness
        .client
        .admin_disable_user()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await
        .expect("AdminDisableUser");
    let (status, answer) = exchange(&harness, &pool, &code).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    let code = code_for(&harness, &pool, "alice", &sub, &Authorize::default());
    harness
        .client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await
        .expect("AdminDeleteUser");
    user(&harness, &pool, "alice").await;
    let (status, answer) = exchange(&harness, &pool, &code).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_grant")),
        "a new alice is not the old one"
    );
}

#[tokio::test]
async fn the_granted_scopes_of_a_refresh_token_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = oauth_pool(&harness, false).await;
    let sub = user(&harness, &pool, "alice").await;
    let answer = tokens(&harness, &pool, "alice", &sub, vec!["openid", "phone"]).await;
    let refresh_token = answer["refresh_token"].as_str().unwrap().to_owned();
    let harness = harness.restart().await;
    let (status, refreshed) = refresh(&harness, &pool, &refresh_token).await;
    assert_eq!(status, 200, "{refreshed}");
    assert_eq!(
        claims_of(refreshed["access_token"].as_str().unwrap())["scope"],
        "openid phone"
    );
}
