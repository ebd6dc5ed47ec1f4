// SPDX-License-Identifier: Apache-2.0
//! `/logout`: ends the browser's managed-login session, then either goes to one of the
//! client's sign-out URLs (`logout_uri`) or, in the documented second form (`redirect_uri`,
//! `response_type` and the rest of an authorize request), on to the sign-in page.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;

use super::super::{LoginBase, unknown_domain};
use super::forms::{self, SESSION_COOKIE};
use super::{Flow, blocking, error_page, redirect};
use crate::service::Service;

pub(super) async fn logout(
    State(service): State<Arc<Service>>,
    base: LoginBase,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    blocking(move || {
        if service.pool_of_domain(&base.domain).is_none() {
            return unknown_domain(&base.domain);
        }
        let pairs = forms::query_pairs(uri.query().unwrap_or_default());
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(found, _)| found == name)
                .map(|(_, value)| value.as_str())
        };
        let location = match get("logout_uri") {
            Some(logout_uri) => {
                match service.check_logout(&base.domain, get("client_id"), Some(logout_uri)) {
                    Ok(location) => location,
                    Err(message) => return error_page(StatusCode::BAD_REQUEST, &message),
                }
            }
            None if get("redirect_uri").is_some() => {
                let flow = match Flow::start(&service, base.clone(), &uri, &headers) {
                    Ok(flow) => flow,
                    Err(refused) => return *refused,
                };
                flow.frame().link("/login")
            }
            None => {
                let message = "Name where to go after signing out: logout_uri (one of the app \
                               client's sign-out URLs), or redirect_uri and response_type to \
                               sign in again.";
                return error_page(StatusCode::BAD_REQUEST, message);
            }
        };
        if let Some(id) = forms::cookie(&headers, SESSION_COOKIE) {
            service.end_login_session(&base.domain, &id);
        }
        let cleared = forms::set_cookie(&base, SESSION_COOKIE, "", Some(0));
        redirect(&location, vec![cleared])
    })
    .await
}
