// SPDX-License-Identifier: Apache-2.0
//! `/signup` and `/confirm`: a new account, the code sent to its email ("resend" for another),
//! then on into the sign-in with the password the browser signed up with.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;

use super::super::LoginBase;
use super::forms::{self, Posted};
use super::html::{alert, button, escape, field, hidden, link, notice};
use super::sign_in::{self, after_password};
use super::{Flow, FormBody, blocking, failure};
use crate::service::{Service, TermsLink};

pub(super) async fn page(
    State(service): State<Arc<Service>>,
    base: LoginBase,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    blocking(move || match Flow::start(&service, base, &uri, &headers) {
        Ok(flow) => render(&flow, StatusCode::OK, "", "", None),
        Err(refused) => *refused,
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
            Err(message) => return render(&flow, StatusCode::FORBIDDEN, "", "", Some(&message)),
        };
        create_account(&service, &flow, &headers, &posted)
    })
    .await
}

/// Signs the user up; goes on to the code, or (no code needed) into the sign-in.
fn create_account(
    service: &Service,
    flow: &Flow,
    headers: &HeaderMap,
    posted: &Posted,
) -> Response {
    let (username, email) = (posted.get("username").trim(), posted.get("email").trim());
    let password = posted.get("password");
    let (domain, client_id) = (flow.domain(), flow.client_id());
    let email = (!email.is_empty()).then_some(email);
    let signed_up = match service.login_sign_up(domain, client_id, username, email, password) {
        Ok(signed_up) => signed_up,
        Err(error) => {
            return match failure(&error) {
                Ok(message) => {
                    let email = email.unwrap_or_default();
                    render(
                        flow,
                        StatusCode::BAD_REQUEST,
                        username,
                        email,
                        Some(&message),
                    )
                }
                Err(page) => *page,
            };
        }
    };
    if signed_up.confirmed {
        let device = forms::device_cookie(headers);
        let step =
            service.login_with_password(domain, client_id, username, password, device.as_ref());
        return after_password(service, flow, username, step);
    }
    match signed_up.destination {
        Some(destination) => {
            let told = format!("We sent a code to {destination}.");
            let pending = signed_up.pending.unwrap_or_default();
            render_confirm(flow, username, &pending, Some(&told), None)
        }
        None => {
            let told = "Your account was created: an administrator must confirm it before you \
                        can sign in.";
            sign_in::render(flow, StatusCode::OK, username, None, Some(told))
        }
    }
}

/// The code from the email; then, with the password kept from the sign-up, the sign-in goes on.
pub(super) async fn confirm(
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
        let (username, pending) = (posted.get("username"), posted.get("pending"));
        let code = posted.get("code").trim();
        let (domain, client_id) = (flow.domain(), flow.client_id());
        if let Err(error) = service.login_confirm_sign_up(domain, client_id, username, code) {
            return match failure(&error) {
                Ok(message) => render_confirm(&flow, username, pending, None, Some(&message)),
                Err(page) => *page,
            };
        }
        let Some(password) = service.take_pending_sign_up(domain, pending, username) else {
            let told = "Your account is confirmed: sign in.";
            return sign_in::render(&flow, StatusCode::OK, username, None, Some(told));
        };
        let device = forms::device_cookie(&headers);
        let step =
            service.login_with_password(domain, client_id, username, &password, device.as_ref());
        after_password(&service, &flow, username, step)
    })
    .await
}

/// Another confirmation code.
pub(super) async fn resend(
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
        let (username, pending) = (posted.get("username"), posted.get("pending"));
        match service.login_resend_code(flow.domain(), flow.client_id(), username) {
            Ok(destination) => {
                let told = match destination {
                    Some(destination) => format!("We sent a new code to {destination}."),
                    None => "We sent a new code.".to_owned(),
                };
                render_confirm(&flow, username, pending, Some(&told), None)
            }
            Err(error) => match failure(&error) {
                Ok(message) => render_confirm(&flow, username, pending, None, Some(&message)),
                Err(page) => *page,
            },
        }
    })
    .await
}

/// The sign-up form.
fn render(
    flow: &Flow,
    status: StatusCode,
    username: &str,
    email: &str,
    error: Option<&str>,
) -> Response {
    let frame = flow.frame();
    let fields = field("username", "Username", "text", "username", username)
        + &field("email", "Email", "email", "email", email)
        + &field("password", "Password", "password", "new-password", "")
        + &button("Sign up");
    let content = error.map(alert).unwrap_or_default()
        + &frame.form("/signup", &fields)
        + &terms_notice(&flow.terms)
        + &link(&frame.link("/login"), "Already have an account? Sign in");
    flow.html(status, "Sign up", &content)
}

/// "By signing up you agree to ...", linking the client's two documents (none: nothing).
fn terms_notice(terms: &[TermsLink]) -> String {
    let links: Vec<String> = terms
        .iter()
        .map(|terms| {
            let title = match terms.name.as_str() {
                "privacy-policy" => "privacy policy",
                _ => "terms of use",
            };
            format!(
                "<a class=\"redirect-customizable\" href=\"{}\">the {title}</a>",
                escape(&terms.url)
            )
        })
        .collect();
    if links.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"legalText-customizable\">By signing up you agree to {}.</p>\n",
        links.join(" and ")
    )
}

/// The confirmation form, with "resend code" beside it.
pub(super) fn render_confirm(
    flow: &Flow,
    username: &str,
    pending: &str,
    told: Option<&str>,
    error: Option<&str>,
) -> Response {
    let frame = flow.frame();
    let carried = hidden("username", username) + &hidden("pending", pending);
    let fields = carried.clone()
        + &field("code", "Confirmation code", "text", "one-time-code", "")
        + &button("Confirm account");
    let resend = carried + &button("Send a new code");
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let content = error.map(alert).unwrap_or_default()
        + &told.map(notice).unwrap_or_default()
        + &frame.form("/confirm", &fields)
        + &frame.form("/resendCode", &resend);
    flow.html(status, "Confirm your account", &content)
}
