// SPDX-License-Identifier: Apache-2.0
//! The hosted pages: `/oauth2/authorize`, `/login`, `/signup`, `/confirm`, `/forgotPassword`,
//! MFA, `/logout`. Plain server-rendered HTML: no script, labelled fields, one h1, errors in
//! `role="alert"`; every form posts with a CSRF token.
//!
//! Every page carries the authorize request in its URL and checks it again: the code at the
//! end goes only where the client allows. Files: `forms` (queries, forms, cookies), `html`
//! (layout), `authorize`, `sign_in` (and where each sign-in step leads), `sign_up`, `mfa`,
//! `password` (new and forgotten passwords), `logout`.

mod authorize;
mod forms;
mod html;
mod logout;
mod mfa;
mod password;
mod sign_in;
mod sign_up;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use super::{LoginBase, unknown_domain};
use crate::service::login::{Authorization, AuthorizeRefusal};
use crate::service::{Service, ServiceError, TermsLink};
use forms::{CSRF_COOKIE, Carried};
use html::Frame;

/// The routes under `/_domains/{domain}`.
pub fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/oauth2/authorize", get(authorize::authorize))
        .route("/login", get(sign_in::page).post(sign_in::submit))
        .route("/signup", get(sign_up::page).post(sign_up::submit))
        .route("/confirm", post(sign_up::confirm))
        .route("/resendCode", post(sign_up::resend))
        .route("/mfa", post(mfa::totp))
        .route("/mfa/setup", post(mfa::setup))
        .route("/newPassword", post(password::new_password))
        .route(
            "/forgotPassword",
            get(password::forgot_page).post(password::forgot),
        )
        .route("/confirmForgotPassword", post(password::confirm_forgot))
        .route("/logout", get(logout::logout))
}

/// One request of a sign-in: the domain, the checked authorize request it carries, and the
/// browser's CSRF token.
pub(super) struct Flow {
    base: LoginBase,
    carried: Carried,
    authorization: Authorization,
    csrf: String,
    /// The token is new: the answer sets its cookie.
    new_csrf: bool,
    logo: bool,
    /// The client's terms of use and privacy policy, for the sign-up page.
    terms: Vec<TermsLink>,
}

impl Flow {
    /// Reads and checks the authorize request of a page's URL; refusals are answered here.
    fn start(
        service: &Service,
        base: LoginBase,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> Result<Self, Box<Response>> {
        if service.pool_of_domain(&base.domain).is_none() {
            return Err(Box::new(unknown_domain(&base.domain)));
        }
        let carried = forms::carried(uri)
            .map_err(|message| Box::new(error_page(StatusCode::BAD_REQUEST, &message)))?;
        let authorization = service
            .check_authorize(&base.domain, &carried.request)
            .map_err(|refused| Box::new(refusal(refused)))?;
        let (csrf, new_csrf) = forms::csrf_token(headers);
        let style = service.page_style(&base.domain, &authorization.client_id);
        let lang = carried.request.lang.as_deref().unwrap_or("en");
        let terms = service.terms_links(&base.domain, &authorization.client_id, lang);
        Ok(Self {
            base,
            carried,
            authorization,
            csrf,
            new_csrf,
            logo: style.logo.is_some(),
            terms,
        })
    }

    fn domain(&self) -> &str {
        &self.base.domain
    }

    fn client_id(&self) -> &str {
        &self.authorization.client_id
    }

    fn frame(&self) -> Frame<'_> {
        Frame {
            base: &self.base,
            client_id: &self.authorization.client_id,
            query: &self.carried.query,
            csrf: &self.csrf,
            logo: self.logo,
        }
    }

    /// A page of this sign-in.
    fn html(&self, status: StatusCode, heading: &str, content: &str) -> Response {
        let page = self.frame().page(heading, content);
        let mut response = (status, no_store(), Html(page)).into_response();
        if self.new_csrf {
            let cookie = forms::set_cookie(&self.base, CSRF_COOKIE, &self.csrf, None);
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
        response
    }
}

/// Pages with forms and codes are never cached.
fn no_store() -> [(header::HeaderName, &'static str); 1] {
    [(header::CACHE_CONTROL, "no-store")]
}

/// A 302 to `location`, setting `cookies`.
fn redirect(location: &str, cookies: Vec<HeaderValue>) -> Response {
    let mut response = (StatusCode::FOUND, no_store()).into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    for cookie in cookies {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// An error page, for what must not be sent back to the app: an unknown client, a redirect
/// URI it does not list, a refused form.
fn error_page(status: StatusCode, message: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>An error was encountered</title>\n</head>\n\
         <body class=\"background-customizable\">\n<main>\n\
         <h1 class=\"textDescription-customizable\">\
         An error was encountered with the requested page</h1>\n\
         {}</main>\n</body>\n</html>\n",
        html::alert(message)
    );
    (status, no_store(), Html(page)).into_response()
}

/// An authorize request refused: an error page, or the error sent to the redirect URI.
fn refusal(refusal: AuthorizeRefusal) -> Response {
    match refusal {
        AuthorizeRefusal::Page(message) => error_page(StatusCode::BAD_REQUEST, &message),
        AuthorizeRefusal::Redirect {
            redirect_uri,
            error,
            description,
            state,
        } => {
            let mut pairs = vec![
                ("error", error),
                ("error_description", description.as_str()),
            ];
            if let Some(state) = &state {
                pairs.push(("state", state));
            }
            let location = with_query(&redirect_uri, &forms::encode_pairs(pairs.into_iter()));
            redirect(&location, Vec::new())
        }
    }
}

/// A URL with more query parameters.
fn with_query(url: &str, query: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{query}")
}

/// What a page says about a refused step: the service's message; its own faults are a 500.
fn failure(error: &ServiceError) -> Result<String, Box<Response>> {
    if error.is_internal() {
        tracing::error!(code = error.code, "a hosted page's step failed");
        return Err(Box::new(error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on the emulator's side; try again.",
        )));
    }
    Ok(error.message.clone())
}

/// Runs a page's work off the async threads: sign-in steps check passwords, which is slow.
async fn blocking(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|_| {
        error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on the emulator's side; try again.",
        )
    })
}

/// The posted form of a request, as axum hands it over.
type FormBody = Result<
    axum::Form<std::collections::HashMap<String, String>>,
    axum::extract::rejection::FormRejection,
>;
