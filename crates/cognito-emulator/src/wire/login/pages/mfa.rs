// SPDX-License-Identifier: Apache-2.0
//! MFA on the hosted pages: setting up an authenticator app (the QR code of its otpauth URI,
//! the secret as text, then its first code), and the code prompt of later sign-ins.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use qrcode::{Color, QrCode};

use super::super::LoginBase;
use super::forms::{self, Posted};
use super::html::{alert, button, checkbox, escape, field, hidden, link};
use super::sign_in::{LastFactor, after_step};
use super::{Flow, FormBody, blocking, sign_in};
use crate::service::Service;
use crate::service::login::DeviceRemembering;

pub(super) async fn totp(
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
        let code = posted.get("code").trim();
        let step = service.login_totp(flow.domain(), flow.client_id(), username, session, code);
        let last = LastFactor::Mfa {
            remember_chosen: posted.is_checked("rememberDevice"),
        };
        after_step(&service, &flow, username, step, last, |message| {
            render_totp(
                &service,
                &flow,
                StatusCode::BAD_REQUEST,
                username,
                session,
                Some(message),
            )
        })
    })
    .await
}

pub(super) async fn setup(
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
        let code = posted.get("code").trim();
        let step =
            service.login_mfa_setup(flow.domain(), flow.client_id(), username, session, code);
        let last = LastFactor::Mfa {
            remember_chosen: posted.is_checked("rememberDevice"),
        };
        after_step(&service, &flow, username, step, last, |message| {
            // A wrong code leaves the session open: the same secret is shown again.
            match service.login_mfa_setup_secret(flow.domain(), session) {
                Some(secret) => render_setup(
                    &service,
                    &flow,
                    StatusCode::BAD_REQUEST,
                    username,
                    session,
                    &secret,
                    Some(message),
                ),
                None => sign_in::render(
                    &flow,
                    StatusCode::BAD_REQUEST,
                    username,
                    Some(message),
                    None,
                ),
            }
        })
    })
    .await
}

/// The "remember this device" checkbox, where the pool remembers devices on the user's choice.
fn remember_choice(service: &Service, flow: &Flow) -> String {
    match service.login_device_remembering(flow.domain()) {
        DeviceRemembering::OnUserChoice => checkbox("rememberDevice", "Remember this device"),
        _ => String::new(),
    }
}

/// The code prompt of a user with an authenticator app.
pub(super) fn render_totp(
    service: &Service,
    flow: &Flow,
    status: StatusCode,
    username: &str,
    session: &str,
    error: Option<&str>,
) -> Response {
    let frame = flow.frame();
    let fields = hidden("username", username)
        + &hidden("session", session)
        + &field(
            "code",
            "Code from your authenticator app",
            "text",
            "one-time-code",
            "",
        )
        + &remember_choice(service, flow)
        + &button("Sign in");
    let content = error.map(alert).unwrap_or_default()
        + "<p class=\"textDescription-customizable\">Enter the six-digit code your \
           authenticator app shows.</p>\n"
        + &frame.form("/mfa", &fields)
        + &link(&frame.link("/login"), "Sign in again");
    flow.html(status, "Multi-factor authentication", &content)
}

/// Setting up an authenticator app: the QR code and the secret, and the first code.
pub(super) fn render_setup(
    service: &Service,
    flow: &Flow,
    status: StatusCode,
    username: &str,
    session: &str,
    secret: &str,
    error: Option<&str>,
) -> Response {
    let frame = flow.frame();
    let issuer = service
        .login_pool_name(flow.domain())
        .unwrap_or_else(|| "Cognito".to_owned());
    let uri = otpauth_uri(&issuer, username, secret);
    let fields = hidden("username", username)
        + &hidden("session", session)
        + &field(
            "code",
            "Code from your authenticator app",
            "text",
            "one-time-code",
            "",
        )
        + &remember_choice(service, flow)
        + &button("Verify and sign in");
    let content = format!(
        "{error}<p class=\"textDescription-customizable\">Scan this QR code with your \
         authenticator app, or enter the secret by hand, then enter the code it shows.</p>\n\
         {qr}<p class=\"textDescription-customizable\">Secret: \
         <code id=\"totp-secret\">{secret}</code></p>\n\
         <p class=\"legalText-customizable\"><a class=\"redirect-customizable\" href=\"{uri}\">\
         Open in an authenticator app on this device</a></p>\n{form}",
        error = error.map(alert).unwrap_or_default(),
        qr = qr_svg(&uri),
        secret = escape(secret),
        uri = escape(&uri),
        form = frame.form("/mfa/setup", &fields),
    );
    flow.html(status, "Set up multi-factor authentication", &content)
}

/// The key URI authenticator apps read: `otpauth://totp/<issuer>:<user>?secret=&issuer=`.
fn otpauth_uri(issuer: &str, username: &str, secret: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}",
        forms::encode(issuer),
        forms::encode(username),
        forms::encode(secret),
        forms::encode(issuer),
    )
}

/// The QR code of `text` as inline SVG: one square per dark module, a four-module margin.
fn qr_svg(text: &str) -> String {
    let Ok(code) = QrCode::new(text.as_bytes()) else {
        return String::new();
    };
    let width = code.width();
    let size = width + 8;
    let mut path = String::new();
    for (index, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (index % width + 4, index / width + 4);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"200\" \
         height=\"200\" role=\"img\" aria-label=\"QR code of the authenticator app's key\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_uri_names_the_pool_and_user() {
        assert_eq!(
            otpauth_uri("My pool", "jo@example.com", "ABC"),
            "otpauth://totp/My%20pool:jo%40example.com?secret=ABC&issuer=My%20pool"
        );
        assert!(qr_svg("otpauth://totp/x?secret=ABC").contains("<path d=\"M"));
    }
}
