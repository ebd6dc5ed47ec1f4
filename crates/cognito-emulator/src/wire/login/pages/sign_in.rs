// SPDX-License-Identifier: Apache-2.0
//! `/login`: the sign-in form, and where each step of a sign-in leads: the next challenge's
//! page, or (every factor proven) the managed-login session and the code for the app.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;

use super::super::LoginBase;
use super::forms::{self, Posted, SESSION_COOKIE};
use super::html::{alert, button, field, link, notice};
use super::{Flow, FormBody, blocking, error_page, failure, mfa, password, redirect, sign_up};
use crate::service::Service;
use crate::service::ServiceResult;
use crate::service::login::{
    DeviceCookie, DeviceRemembering, LoginStep, ResponseType, SignedInUser,
};

pub(super) async fn page(
    State(service): State<Arc<Service>>,
    base: LoginBase,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    blocking(move || {
        let flow = match Flow::start(&service, base, &uri, &headers) {
            Ok(flow) => flow,
            Err(refused) => return *refused,
        };
        if let Some(user) = session_user(&service, &flow, &headers) {
            return signed_in(&service, &flow, &user, Vec::new());
        }
        render(&flow, StatusCode::OK, "", None, None)
    })
    .await
}

pub(super) async fn submit(
    State(service): State<Arc<Service>>,
    base: LoginBase,
    uri: Uri,
    headers: HeaderMap,
    form: FormBody,
) -> Response {
    blocking(move || {
        let flow = match Flow::start(&service, base, &uri, &headers) {
            Ok(flow) => flow,
            Err(refused) => return *refused,
        };
        let posted = match Posted::read(&headers, form) {
            Ok(posted) => posted,
            Err(message) => return render(&flow, StatusCode::FORBIDDEN, "", Some(&message), None),
        };
        let username = posted.get("username").trim();
        let password = posted.get("password");
        if username.is_empty() || password.is_empty() {
            let message = "Enter your username and password.";
            return render(
                &flow,
                StatusCode::BAD_REQUEST,
                username,
                Some(message),
                None,
            );
        }
        let device = forms::device_cookie(&headers);
        let step = service.login_with_password(
            flow.domain(),
            flow.client_id(),
            username,
            password,
            device.as_ref(),
        );
        after_password(&service, &flow, username, step)
    })
    .await
}

/// Where a proven (or refused) password leads; the sign-in form again on an error.
pub(super) fn after_password(
    service: &Service,
    flow: &Flow,
    username: &str,
    step: ServiceResult<LoginStep>,
) -> Response {
    match &step {
        Err(error) if error.code == "UserNotConfirmedException" => {
            let message = "Your account is not confirmed yet: enter the code we sent you, \
                           or ask for a new one.";
            return sign_up::render_confirm(flow, username, "", None, Some(message));
        }
        Err(error) if error.code == "PasswordResetRequiredException" => {
            let message =
                "Your password must be reset: ask for a code, then choose a new password.";
            return password::render_forgot(flow, StatusCode::OK, username, Some(message));
        }
        _ => {}
    }
    after_step(
        service,
        flow,
        username,
        step,
        LastFactor::Password,
        |message| render(flow, StatusCode::BAD_REQUEST, username, Some(message), None),
    )
}

/// What the step before the end was.
#[derive(Debug, Clone, Copy)]
pub(super) enum LastFactor {
    Password,
    /// An MFA code, with the user's "remember this device" choice.
    Mfa {
        remember_chosen: bool,
    },
}

/// Where a step of the sign-in leads; after MFA the browser may be remembered. `refused`
/// renders the same page again with the error.
pub(super) fn after_step(
    service: &Service,
    flow: &Flow,
    username: &str,
    step: ServiceResult<LoginStep>,
    last: LastFactor,
    refused: impl FnOnce(&str) -> Response,
) -> Response {
    let step = match step {
        Ok(step) => step,
        Err(error) => {
            return match failure(&error) {
                Ok(message) => refused(&message),
                Err(page) => *page,
            };
        }
    };
    match step {
        LoginStep::SignedIn(user) => {
            let device = match last {
                LastFactor::Mfa { remember_chosen } => {
                    remembered_device(service, flow, &user, remember_chosen)
                }
                LastFactor::Password => None,
            };
            let cookies = device
                .iter()
                .map(|device| forms::set_device_cookie(&flow.base, device))
                .collect();
            open_session(service, flow, &user, cookies)
        }
        LoginStep::NewPasswordRequired { session } => {
            password::render_new_password(flow, StatusCode::OK, username, &session, None)
        }
        LoginStep::SoftwareTokenMfa { session } => {
            mfa::render_totp(service, flow, StatusCode::OK, username, &session, None)
        }
        LoginStep::MfaSetup { session, secret } => mfa::render_setup(
            service,
            flow,
            StatusCode::OK,
            username,
            &session,
            &secret,
            None,
        ),
    }
}

/// The device to remember for a browser that passed MFA: always, or when the user ticked
/// `rememberDevice`, as the pool says.
fn remembered_device(
    service: &Service,
    flow: &Flow,
    user: &SignedInUser,
    chosen: bool,
) -> Option<DeviceCookie> {
    let remember = match service.login_device_remembering(flow.domain()) {
        DeviceRemembering::Always => true,
        DeviceRemembering::OnUserChoice => chosen,
        DeviceRemembering::Never => false,
    };
    remember
        .then(|| service.remember_login_device(flow.domain(), user))
        .flatten()
}

/// Every factor is proven: a managed-login session for the browser, then the app.
fn open_session(
    service: &Service,
    flow: &Flow,
    user: &SignedInUser,
    mut cookies: Vec<HeaderValue>,
) -> Response {
    let Some(session) = service.open_login_session(flow.domain(), user) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "No user pool has this domain any more.",
        );
    };
    cookies.push(forms::set_cookie(
        &flow.base,
        SESSION_COOKIE,
        &session,
        None,
    ));
    signed_in(service, flow, user, cookies)
}

/// Back to the app with a code in the query, or (implicit grant) tokens in the fragment; with
/// the request's `state`.
pub(super) fn signed_in(
    service: &Service,
    flow: &Flow,
    user: &SignedInUser,
    cookies: Vec<HeaderValue>,
) -> Response {
    let authorization = &flow.authorization;
    let gone = || {
        error_page(
            StatusCode::NOT_FOUND,
            "This user or its pool is gone: sign in again.",
        )
    };
    let state = authorization.state.as_deref();
    let location = match authorization.response_type {
        ResponseType::Code => {
            let Some(code) = service.authorization_code(flow.domain(), authorization, user) else {
                return gone();
            };
            let pairs = [("code", Some(code.as_str())), ("state", state)];
            let query = forms::encode_pairs(present(&pairs));
            super::with_query(&authorization.redirect_uri, &query)
        }
        ResponseType::Token => {
            let Some(tokens) = service.implicit_tokens(flow.domain(), authorization, user) else {
                return gone();
            };
            let expires_in = tokens.expires_in.to_string();
            let pairs = [
                ("id_token", tokens.id_token.as_deref()),
                ("access_token", Some(tokens.access_token.as_str())),
                ("expires_in", Some(expires_in.as_str())),
                ("token_type", Some(tokens.token_type)),
                ("state", state),
            ];
            let fragment = forms::encode_pairs(present(&pairs));
            format!("{}#{fragment}", authorization.redirect_uri)
        }
    };
    redirect(&location, cookies)
}

/// The pairs that have a value.
fn present<'a>(
    pairs: &'a [(&'a str, Option<&'a str>)],
) -> impl Iterator<Item = (&'a str, &'a str)> {
    pairs
        .iter()
        .filter_map(|(name, value)| value.map(|value| (*name, value)))
}

/// The user the browser's managed-login session signs in, if it has a live one.
pub(super) fn session_user(
    service: &Service,
    flow: &Flow,
    headers: &HeaderMap,
) -> Option<SignedInUser> {
    let id = forms::cookie(headers, SESSION_COOKIE)?;
    service.login_session_user(flow.domain(), &id)
}

/// The sign-in form.
pub(super) fn render(
    flow: &Flow,
    status: StatusCode,
    username: &str,
    error: Option<&str>,
    told: Option<&str>,
) -> Response {
    let frame = flow.frame();
    let mut content = String::new();
    content.push_str(&error.map(alert).unwrap_or_default());
    content.push_str(&told.map(notice).unwrap_or_default());
    let fields = field("username", "Username", "text", "username", username)
        + &field("password", "Password", "password", "current-password", "")
        + &button("Sign in");
    content.push_str(&frame.form("/login", &fields));
    content.push_str(&link(
        &frame.link("/forgotPassword"),
        "Forgot your password?",
    ));
    content.push_str(&link(&frame.link("/signup"), "Need an account? Sign up"));
    flow.html(status, "Sign in", &content)
}
