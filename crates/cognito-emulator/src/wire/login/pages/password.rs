// SPDX-License-Identifier: Apache-2.0
//! Passwords on the hosted pages: a new one after a temporary password, and a forgotten one
//! (a code to the user's address, then the code and a new password, then signed in).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;

use super::super::LoginBase;
use super::forms::{self, Posted};
use super::html::{alert, button, field, hidden, link, notice};
use super::sign_in::{self, LastFactor, after_password, after_step};
use super::{Flow, FormBody, blocking, failure};
use crate::service::Service;

pub(super) async fn new_password(
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
            Err(message) => {
                return sign_in::render(&flow, StatusCode::FORBIDDEN, "", Some(&message), None);
            }
        };
        let (username, session) = (posted.get("username"), posted.get("session"));
        let password = posted.get("password");
        let step = service.login_new_password(
            flow.domain(),
            flow.client_id(),
            username,
            session,
            password,
        );
        after_step(
            &service,
            &flow,
            username,
            step,
            LastFactor::Password,
            |message| {
                render_new_password(
                    &flow,
                    StatusCode::BAD_REQUEST,
                    username,
                    session,
                    Some(message),
                )
            },
        )
    })
    .await
}

pub(super) async fn forgot_page(
    State(service): State<Arc<Service>>,
    base: LoginBase,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    blocking(move || match Flow::start(&service, base, &uri, &headers) {
        Ok(flow) => render_forgot(&flow, StatusCode::OK, "", None),
        Err(refused) => *refused,
    })
    .await
}

/// The username: a reset code goes to the user's verified address.
pub(super) async fn forgot(
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
            Err(message) => return render_forgot(&flow, StatusCode::FORBIDDEN, "", Some(&message)),
        };
        let username = posted.get("username").trim();
        if username.is_empty() {
            return render_forgot(
                &flow,
                StatusCode::BAD_REQUEST,
                "",
                Some("Enter your username."),
            );
        }
        match service.login_forgot_password(flow.domain(), flow.client_id(), username) {
            Ok(destination) => {
                let told = format!("We sent a code to {destination}.");
                render_forgot_confirm(&flow, StatusCode::OK, username, Some(&told), None)
            }
            Err(error) => match failure(&error) {
                Ok(message) => {
                    render_forgot(&flow, StatusCode::BAD_REQUEST, username, Some(&message))
                }
                Err(page) => *page,
            },
        }
    })
    .await
}

/// The code and a new password; then the user is signed in with it.
pub(super) async fn confirm_forgot(
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
            Err(message) => return render_forgot(&flow, StatusCode::FORBIDDEN, "", Some(&message)),
        };
        let username = posted.get("username");
        let (code, password) = (posted.get("code").trim(), posted.get("password"));
        let (domain, client_id) = (flow.domain(), flow.client_id());
        if let Err(error) =
            service.login_confirm_forgot_password(domain, client_id, username, code, password)
        {
            return match failure(&error) {
                Ok(message) => render_forgot_confirm(
                    &flow,
                    StatusCode::BAD_REQUEST,
                    username,
                    None,
                    Some(&message),
                ),
                Err(page) => *page,
            };
        }
        let device = forms::device_cookie(&headers);
        let step =
            service.login_with_password(domain, client_id, username, password, device.as_ref());
        after_password(&service, &flow, username, step)
    })
    .await
}

/// The new-password form of a user who signed in with a temporary password.
pub(super) fn render_new_password(
    flow: &Flow,
    status: StatusCode,
    username: &str,
    session: &str,
    error: Option<&str>,
) -> Response {
    let frame = flow.frame();
    let fields = hidden("username", username)
        + &hidden("session", session)
        + &field("password", "New password", "password", "new-password", "")
        + &button("Change password and sign in");
    let content = error.map(alert).unwrap_or_default()
        + &notice("You signed in with a temporary password: choose your own.")
        + &frame.form("/newPassword", &fields)
        + &link(&frame.link("/login"), "Sign in again");
    flow.html(status, "Change your password", &content)
}

/// The first form of a forgotten password: the username.
pub(super) fn render_forgot(
    flow: &Flow,
    status: StatusCode,
    username: &str,
    error: Option<&str>,
) -> Response {
    let frame = flow.frame();
    let fields =
        field("username", "Username", "text", "username", username) + &button("Send a code");
    let content = error.map(alert).unwrap_or_default()
        + &notice("Enter your username: we will send a code to reset your password.")
        + &frame.form("/forgotPassword", &fields)
        + &link(&frame.link("/login"), "Back to sign in");
    flow.html(status, "Forgot your password?", &content)
}

/// The second form: the code that was sent, and the new password.
fn render_forgot_confirm(
    flow: &Flow,
    status: StatusCode,
    username: &str,
    told: Option<&str>,
    error: Option<&str>,
) -> Response {
    let frame = flow.frame();
    let fields = hidden("username", username)
        + &field("code", "Code", "text", "one-time-code", "")
        + &field("password", "New password", "password", "new-password", "")
        + &button("Change password and sign in");
    let content = error.map(alert).unwrap_or_default()
        + &told.map(notice).unwrap_or_default()
        + &frame.form("/confirmForgotPassword", &fields)
        + &link(&frame.link("/forgotPassword"), "Send another code");
    flow.html(status, "Reset your password", &content)
}
