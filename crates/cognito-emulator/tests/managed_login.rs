// SPDX-License-Identifier: Apache-2.0
//! Managed login's hosted pages end to end, as a browser uses them: sign-up, confirmation and
//! MFA setup; TOTP with a wrong code and a remembered device; a new password after a temporary
//! one; a forgotten password. Codes come from the emulator's outbox, TOTP codes from totp-rs.

mod common;
mod managed_login_support;

use common::{Harness, PASSWORD};
use managed_login_support::*;

#[tokio::test]
async fn sign_up_confirm_set_up_mfa_and_come_back_with_a_code() {
    let harness = Harness::start().await;
    let pool = login_pool(&harness, true, Some(false)).await;
    let mut browser = Browser::new(&harness);
    let page = sign_in_page(&mut browser, &pool).await;
    assert!(page.body.contains("<html lang=\"en\">"));
    assert_eq!(page.body.matches("<h1").count(), 1);
    assert!(page.body.contains("/_style/style.css?client_id="));
    assert!(page.body.contains("/signup?"), "a link to sign up");
    let signup = browser
        .get(&format!("/signup?{}", authorize_query(&pool)))
        .await;
    let fields = [
        ("username", "ada"),
        ("email", "ada@example.com"),
        ("password", PASSWORD),
    ];
    let confirm = browser.submit(&signup, "/signup", &fields).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let resent = browser.submit(&confirm, "/resendCode", &[]).await;
    assert!(
        resent.body.contains("We sent a new code"),
        "{}",
        resent.body
    );
    let code = harness.latest_code("ada");
    let setup = browser
        .submit(&resent, "/confirm", &[("code", &code)])
        .await;
    assert_eq!(setup.status, 200, "{}", setup.body);
    assert!(setup.body.contains("<svg"), "a QR code");
    let secret = element_text(&setup.body, "totp-secret");
    let done = browser
        .submit(&setup, "/mfa/setup", &[("code", &harness.totp(&secret, 0))])
        .await;
    let query = redirect_query(&done, CALLBACK);
    assert_eq!(query["state"], "st-42");
    assert!(!query["code"].is_empty());
    assert!(
        browser.cookies.contains_key("cognito-device"),
        "remembered always"
    );

    // The session signs the browser in again without a form.
    let again = browser
        .get(&format!("/oauth2/authorize?{}", authorize_query(&pool)))
        .await;
    let second = redirect_query(&again, CALLBACK);
    assert_ne!(second["code"], query["code"]);

    // Signed out, the browser is asked to sign in again.
    let logout = browser
        .get(&format!(
            "/logout?client_id={}&logout_uri={}",
            pool.client_id,
            encode(SIGNED_OUT)
        ))
        .await;
    assert_eq!(logout.status, 302);
    assert_eq!(logout.header("location"), Some(SIGNED_OUT));
    sign_in_page(&mut browser, &pool).await;
}

#[tokio::test]
async fn totp_is_asked_a_wrong_code_is_shown_and_a_remembered_device_skips_it() {
    let harness = Harness::start().await;
    let pool = login_pool(&harness, true, Some(true)).await;
    let secret = user_with_totp(&harness, &pool, "grace").await;
    let mut browser = Browser::new(&harness);
    let prompt = password_page(&mut browser, &pool, "grace", PASSWORD).await;
    assert!(
        prompt.body.contains("name=\"rememberDevice\""),
        "{}",
        prompt.body
    );
    let wrong = browser.submit(&prompt, "/mfa", &[("code", "123456")]).await;
    assert_eq!(wrong.status, 400);
    assert_eq!(
        alert(&wrong).as_deref(),
        Some("Invalid code received for user")
    );
    let code = harness.totp(&secret, 0);
    let fields = [("code", code.as_str()), ("rememberDevice", "on")];
    let done = browser.submit(&wrong, "/mfa", &fields).await;
    redirect_query(&done, CALLBACK);
    let devices = harness
        .client
        .admin_list_devices()
        .user_pool_id(&pool.id)
        .username("grace")
        .send()
        .await
        .expect("AdminListDevices")
        .devices
        .unwrap();
    assert_eq!(devices.len(), 1);
    let device_key = devices[0].device_key.clone().unwrap();

    // Signed out and back: the device stands in for the code.
    browser
        .get(&format!(
            "/logout?client_id={}&logout_uri={}",
            pool.client_id,
            encode(SIGNED_OUT)
        ))
        .await;
    let back = password_page(&mut browser, &pool, "grace", PASSWORD).await;
    redirect_query(&back, CALLBACK);

    // Forgotten, it no longer does.
    harness
        .client
        .admin_forget_device()
        .user_pool_id(&pool.id)
        .username("grace")
        .device_key(&device_key)
        .send()
        .await
        .expect("AdminForgetDevice");
    browser
        .get(&format!(
            "/logout?client_id={}&logout_uri={}",
            pool.client_id,
            encode(SIGNED_OUT)
        ))
        .await;
    let asked = password_page(&mut browser, &pool, "grace", PASSWORD).await;
    assert!(
        asked.body.contains("action=\"") && asked.body.contains("/mfa?"),
        "{}",
        asked.body
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_with_the_emailed_code() {
    let harness = Harness::start().await;
    let pool = login_pool(&harness, false, None).await;
    let mut browser = Browser::new(&harness);
    let signup = browser
        .get(&format!("/signup?{}", authorize_query(&pool)))
        .await;
    let fields = [
        ("username", "lin"),
        ("email", "lin@example.com"),
        ("password", PASSWORD),
    ];
    let confirm = browser.submit(&signup, "/signup", &fields).await;
    let done = browser
        .submit(
            &confirm,
            "/confirm",
            &[("code", &harness.latest_code("lin"))],
        )
        .await;
    redirect_query(&done, CALLBACK);
    browser
        .get(&format!(
            "/logout?client_id={}&logout_uri={}",
            pool.client_id,
            encode(SIGNED_OUT)
        ))
        .await;

    let wrong = password_page(&mut browser, &pool, "lin", "Wr0ng-Password!").await;
    assert_eq!(
        alert(&wrong).as_deref(),
        Some("Incorrect username or password.")
    );
    let forgot = browser
        .get(&format!("/forgotPassword?{}", authorize_query(&pool)))
        .await;
    let sent = browser
        .submit(&forgot, "/forgotPassword", &[("username", "lin")])
        .await;
    assert!(sent.body.contains("We sent a code"), "{}", sent.body);
    let code = harness.latest_code("lin");
    let bad = browser
        .submit(
            &sent,
            "/confirmForgotPassword",
            &[("code", "999999"), ("password", "N3w-Password!")],
        )
        .await;
    assert!(alert(&bad).is_some(), "{}", bad.body);
    let reset = browser
        .submit(
            &bad,
            "/confirmForgotPassword",
            &[("code", &code), ("password", "N3w-Password!")],
        )
        .await;
    redirect_query(&reset, CALLBACK);
    browser
        .get(&format!(
            "/logout?client_id={}&logout_uri={}",
            pool.client_id,
            encode(SIGNED_OUT)
        ))
        .await;
    let again = password_page(&mut browser, &pool, "lin", "N3w-Password!").await;
    redirect_query(&again, CALLBACK);
}

#[tokio::test]
async fn a_temporary_password_is_changed_on_the_way_in() {
    let harness = Harness::start().await;
    let pool = login_pool(&harness, false, None).await;
    harness
        .client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username("tess")
        .temporary_password("Temp0rary-Pass!")
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .expect("AdminCreateUser");
    let mut browser = Browser::new(&harness);
    let change = password_page(&mut browser, &pool, "tess", "Temp0rary-Pass!").await;
    assert!(
        !change.body.contains("Temp0rary-Pass!"),
        "the password is not sent back"
    );
    let weak = browser
        .submit(&change, "/newPassword", &[("password", "short")])
        .await;
    assert_eq!(weak.status, 400);
    assert!(alert(&weak).unwrap().contains("Password did not conform"));
    let done = browser
        .submit(&weak, "/newPassword", &[("password", PASSWORD)])
        .await;
    redirect_query(&done, CALLBACK);
    let user = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("tess")
        .send()
        .await
        .expect("AdminGetUser");
    assert_eq!(user.user_status.unwrap().as_str(), "CONFIRMED");
}

/// The client's terms of use and privacy policy are linked from the sign-up page, and the
/// logo of SetUICustomization is on every page.
#[tokio::test]
async fn the_pages_show_the_clients_terms_and_logo() {
    let harness = Harness::start().await;
    let pool = login_pool(&harness, false, None).await;
    let mut browser = Browser::new(&harness);
    let signup_path = format!("/signup?{}", authorize_query(&pool));
    let before = browser.get(&signup_path).await;
    assert!(!before.body.contains("legalText-customizable"));
    assert!(!before.body.contains("logo-customizable"));
    for (name, url) in [
        ("terms-of-use", "https://app.example.com/terms"),
        ("privacy-policy", "https://app.example.com/privacy"),
    ] {
        harness
            .client
            .create_terms()
            .user_pool_id(&pool.id)
            .client_id(&pool.client_id)
            .terms_name(name)
            .terms_source(aws_sdk_cognitoidentityprovider::types::TermsSourceType::Link)
            .enforcement(aws_sdk_cognitoidentityprovider::types::TermsEnforcementType::None)
            .links("cognito:default", url)
            .send()
            .await
            .expect("CreateTerms");
    }
    // A 1x1 PNG.
    let png = [
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0,
        0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49, 0x44,
        0x41, 0x54, 0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0,
        0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    harness
        .client
        .set_ui_customization()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .image_file(aws_sdk_cognitoidentityprovider::primitives::Blob::new(
            png.to_vec(),
        ))
        .send()
        .await
        .expect("SetUICustomization");
    let after = browser.get(&signup_path).await;
    assert!(
        after
            .body
            .contains("href=\"https://app.example.com/terms\">the terms of use</a>"),
        "{}",
        after.body
    );
    assert!(
        after
            .body
            .contains("href=\"https://app.example.com/privacy\"")
    );
    assert!(after.body.contains("class=\"logo-customizable\""));
    let login = sign_in_page(&mut browser, &pool).await;
    assert!(login.body.contains("class=\"logo-customizable\""));
    assert!(
        !login.body.contains("legalText-customizable"),
        "terms go on the sign-up page"
    );
}
