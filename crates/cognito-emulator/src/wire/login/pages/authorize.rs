// SPDX-License-Identifier: Apache-2.0
//! `GET /oauth2/authorize`: a browser with a live managed-login session goes straight back to
//! the app with a code; any other goes to `/login` with the same query.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;

use super::super::LoginBase;
use super::sign_in::{session_user, signed_in};
use super::{Flow, blocking, redirect};
use crate::service::Service;

pub(super) async fn authorize(
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
        match session_user(&service, &flow, &headers) {
            Some(user) => signed_in(&service, &flow, &user, Vec::new()),
            None => redirect(&flow.frame().link("/login"), Vec::new()),
        }
    })
    .await
}
