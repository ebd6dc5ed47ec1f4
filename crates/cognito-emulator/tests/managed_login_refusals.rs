// SPDX-License-Identifier: Apache-2.0
//! What managed login refuses: a redirect URI the client does not list (an error page, never a
//! redirect), an unknown client, a scope it may not have, a federated provider, a password in
//! the URL, a sign-out URL it does not list, and forms without the browser's CSRF token.

mod common;
mod managed_login_support;

use common::{Harness, PASSWORD};
use managed_login_support::*;

#[tokio::test]
async fn requests_the_client_does_not_allow_are_refused() {
    let harness = Harness::start().await;
    let pool = login_pool(&harness, false, None).await;
    let mut browser = Browser::new(&harness);
    let base = format!("response_type=code&client_id={}", pool.client_id);

    let wrong_uri = browser
        .get(&format!(
            "/oauth2/authorize?{base}&redirect_uri={}",
            encode("https://evil.example/cb")
        ))
        .await;
    assert_eq!(wrong_uri.status, 400);
    assert!(wrong_uri.header("location").is_none());
    assert!(alert(&wrong_uri).unwrap().contains("redirect_mismatch"));

    let unknown = browser
        .get(&format!(
            "/oauth2/authorize?response_type=code&client_id=nobody&redirect_uri={}",
            encode(CALLBACK)
        ))
        .await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.header("location").is_none());

    let scope = browser
        .get(&format!(
            "/oauth2/authorize?{base}&redirect_uri={}&scope=openid+phone&state=s1",
            encode(CALLBACK)
        ))
        .await;
    let error = redirect_query(&scope, CALLBACK);
    assert_eq!(error["error"], "invalid_scope");
    assert_eq!(error["state"], "s1");

    let federated = browser
        .get(&format!(
            "/oauth2/authorize?{base}&redirect_uri={}&identity_provider=Google",
            encode(CALLBACK)
        ))
        .await;
    assert_eq!(federated.status, 400);
    assert!(alert(&federated).unwrap().contains("Google"));

    let in_url = browser
        .get(&format!(
            "/login?{}&password=hunter2",
            authorize_query(&pool)
        ))
        .await;
    assert_eq!(in_url.status, 400);
    assert!(alert(&in_url).unwrap().contains("never be sent in a URL"));

    let not_listed = browser
        .get(&format!(
            "/logout?client_id={}&logout_uri={}",
            pool.client_id,
            encode("https://evil.example/")
        ))
        .await;
    assert_eq!(not_listed.status, 400);
    assert!(not_listed.header("location").is_none());

    // A client whose identity providers leave out COGNITO offers no user-pool sign-in.
    harness
        .client
        .update_user_pool_client()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(aws_sdk_cognitoidentityprovider::types::OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .callback_urls(CALLBACK)
        .send()
        .await
        .expect("UpdateUserPoolClient");
    let no_cognito = browser
        .get(&format!(
            "/oauth2/authorize?{}",
            authorize_query_openid(&pool)
        ))
        .await;
    assert_eq!(no_cognito.status, 400, "{}", no_cognito.body);
    assert!(no_cognito.header("location").is_none());
    assert!(
        alert(&no_cognito)
            .unwrap()
            .contains("SupportedIdentityProviders")
    );
}

fn authorize_query_openid(pool: &LoginPool) -> String {
    format!(
        "response_type=code&client_id={}&redirect_uri={}&scope=openid",
        pool.client_id,
        encode(CALLBACK)
    )
}

#[tokio::test]
async fn a_form_without_the_browsers_csrf_token_is_refused() {
    let harness = Harness::start().await;
    let pool = login_pool(&harness, false, None).await;
    harness
        .client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username("mo")
        .temporary_password(PASSWORD)
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .expect("AdminCreateUser");
    let mut browser = Browser::new(&harness);
    let page = sign_in_page(&mut browser, &pool).await;
    let (action, _) = form(&page.body, "/login");
    let forged = [
        ("_csrf", "forged"),
        ("username", "mo"),
        ("password", PASSWORD),
    ]
    .map(|(n, v)| (n.to_owned(), v.to_owned()));
    let refused = browser.post(&action, &forged).await;
    assert_eq!(refused.status, 403);
    assert!(alert(&refused).unwrap().contains("reload the page"));
    // Another browser's token (its cookie differs) is refused too.
    let mut other = Browser::new(&harness);
    let refused = other
        .submit(
            &page,
            "/login",
            &[("username", "mo"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, 403);
    // The browser's own token works.
    let accepted = browser
        .submit(
            &page,
            "/login",
            &[("username", "mo"), ("password", PASSWORD)],
        )
        .await;
    assert!(
        accepted.body.contains("temporary password"),
        "{}",
        accepted.body
    );
}
