// SPDX-License-Identifier: Apache-2.0
//! The managed-login session and what a sign-in hands the app: the session's end (global
//! sign-out, disabling, deletion, an hour), the code's PKCE and nonce at the token endpoint, the
//! implicit grant's tokens.

mod common;
mod managed_login_support;

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::OAuthFlowType;
use common::{Harness, PASSWORD, http_answer};
use managed_login_support::*;

#[tokio::test]
async fn the_session_ends_with_global_sign_out_disabling_deletion_and_after_an_hour() {
    let harness = Harness::start().await;
    let pool = login_pool(&harness, false, None).await;
    confirmed_user(&harness, &pool, "kim").await;
    let mut browser = Browser::new(&harness);
    let signed_in = password_page(&mut browser, &pool, "kim", PASSWORD).await;
    redirect_query(&signed_in, CALLBACK);
    assert!(has_session(&mut browser, &pool).await);
    let cookie = signed_in
        .headers
        .iter()
        .find(|(n, v)| n == "set-cookie" && v.starts_with("cognito="))
        .unwrap();
    assert!(
        cookie.1.contains("HttpOnly") && cookie.1.contains("SameSite=Lax"),
        "{}",
        cookie.1
    );
    assert!(
        cookie.1.contains(&format!("Path=/_domains/{DOMAIN}/")),
        "{}",
        cookie.1
    );

    harness
        .client
        .admin_user_global_sign_out()
        .user_pool_id(&pool.id)
        .username("kim")
        .send()
        .await
        .unwrap();
    assert!(
        !has_session(&mut browser, &pool).await,
        "signed out everywhere"
    );

    harness.clock.advance(Duration::from_secs(1));
    redirect_query(
        &password_page(&mut browser, &pool, "kim", PASSWORD).await,
        CALLBACK,
    );
    harness
        .client
        .admin_disable_user()
        .user_pool_id(&pool.id)
        .username("kim")
        .send()
        .await
        .unwrap();
    assert!(!has_session(&mut browser, &pool).await, "disabled");
    harness
        .client
        .admin_enable_user()
        .user_pool_id(&pool.id)
        .username("kim")
        .send()
        .await
        .unwrap();
    assert!(
        !has_session(&mut browser, &pool).await,
        "ended, not suspended"
    );

    redirect_query(
        &password_page(&mut browser, &pool, "kim", PASSWORD).await,
        CALLBACK,
    );
    harness.clock.advance(Duration::from_secs(59 * 60));
    assert!(has_session(&mut browser, &pool).await, "within the hour");
    harness.clock.advance(Duration::from_secs(60));
    assert!(!has_session(&mut browser, &pool).await, "an hour on");

    redirect_query(
        &password_page(&mut browser, &pool, "kim", PASSWORD).await,
        CALLBACK,
    );
    harness
        .client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username("kim")
        .send()
        .await
        .unwrap();
    assert!(!has_session(&mut browser, &pool).await, "deleted");
}

#[tokio::test]
async fn the_code_carries_pkce_and_the_nonce_to_the_token_endpoint() {
    let harness = Harness::start().await;
    let pool = login_pool(&harness, false, None).await;
    confirmed_user(&harness, &pool, "noor").await;
    let mut browser = Browser::new(&harness);
    // RFC 7636 appendix B's verifier and its S256 challenge.
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let query = format!(
        "{}&nonce=n-0S6&code_challenge={}&code_challenge_method=S256",
        authorize_query(&pool),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    let page = browser.get(&format!("/login?{query}")).await;
    let done = browser
        .submit(
            &page,
            "/login",
            &[("username", "noor"), ("password", PASSWORD)],
        )
        .await;
    let code = redirect_query(&done, CALLBACK)["code"].clone();
    let body = format!(
        "grant_type=authorization_code&client_id={}&code={code}&redirect_uri={}\
         &code_verifier={verifier}",
        pool.client_id,
        encode(CALLBACK)
    );
    let path = format!("/_domains/{DOMAIN}/oauth2/token");
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let tokens = http_answer(harness.emulator.url(), "POST", &path, &headers, &body).await;
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    let tokens: serde_json::Value = serde_json::from_str(&tokens.body).unwrap();
    let claims =
        common::verified_claims(&harness, &pool.id, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["nonce"], "n-0S6");
    assert_eq!(claims["cognito:username"], "noor");
}

#[tokio::test]
async fn the_implicit_grant_puts_tokens_in_the_fragment_where_the_client_allows_it() {
    let harness = Harness::start().await;
    let pool = login_pool(&harness, false, None).await;
    confirmed_user(&harness, &pool, "ida").await;
    let mut browser = Browser::new(&harness);
    let query = authorize_query(&pool).replace("response_type=code", "response_type=token");
    let refused = browser.get(&format!("/oauth2/authorize?{query}")).await;
    assert_eq!(
        redirect_query(&refused, CALLBACK)["error"],
        "unauthorized_client"
    );

    harness
        .client
        .update_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Implicit)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .callback_urls(CALLBACK)
        .logout_urls(SIGNED_OUT)
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .expect("UpdateUserPoolClient");
    let page = browser.get(&format!("/login?{query}")).await;
    let done = browser
        .submit(
            &page,
            "/login",
            &[("username", "ida"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(done.status, 302);
    let location = done.header("location").unwrap();
    let fragment = location
        .strip_prefix(&format!("{CALLBACK}#"))
        .expect("tokens in the fragment");
    let values: HashMap<&str, &str> = fragment
        .split('&')
        .filter_map(|p| p.split_once('='))
        .collect();
    assert_eq!(values["token_type"], "Bearer");
    assert_eq!(values["state"], "st-42");
    assert!(!values.contains_key("refresh_token"));
    let claims = common::verified_claims(&harness, &pool.id, values["id_token"]).await;
    assert_eq!(claims["cognito:username"], "ida");
    harness
        .get_user(values["access_token"])
        .await
        .expect_err("openid email: no admin scope");
}

#[tokio::test]
async fn a_browser_reaching_the_domain_by_its_host_name_signs_in_there() {
    let harness = Harness::start().await;
    let pool = login_pool(&harness, false, None).await;
    confirmed_user(&harness, &pool, "hal").await;
    let mut browser = Browser::by_host(&harness);
    let page = sign_in_page(&mut browser, &pool).await;
    let (action, _) = form(&page.body, "/login");
    assert!(
        action.starts_with(&format!("{}/login?", browser.base())),
        "{action}"
    );
    let done = browser
        .submit(
            &page,
            "/login",
            &[("username", "hal"), ("password", PASSWORD)],
        )
        .await;
    redirect_query(&done, CALLBACK);
    let cookie = done
        .headers
        .iter()
        .find(|(name, value)| name == "set-cookie" && value.starts_with("cognito="))
        .unwrap();
    assert!(cookie.1.contains("Path=/;"), "{}", cookie.1);
    assert!(has_session(&mut browser, &pool).await);
}
