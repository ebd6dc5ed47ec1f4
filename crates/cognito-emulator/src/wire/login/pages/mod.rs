// SPDX-License-Identifier: Apache-2.0
//! The hosted pages: `/oauth2/authorize`, `/login`, `/signup`, `/confirm`, `/forgotPassword`,
//! MFA, `/logout`. Plain server-rendered HTML.

use std::sync::Arc;

use axum::Router;

use crate::service::Service;

/// The routes under `/_domains/{domain}`.
pub fn routes() -> Router<Arc<Service>> {
    Router::new()
}
