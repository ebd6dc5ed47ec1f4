// SPDX-License-Identifier: Apache-2.0
//! The OAuth 2.0 / OpenID Connect endpoints: `/oauth2/token`, `/oauth2/userInfo`,
//! `/oauth2/revoke` on the domain, and the discovery document under the pool's issuer.

use std::sync::Arc;

use axum::Router;

use crate::service::Service;

/// The routes under `/_domains/{domain}`.
pub fn domain_routes() -> Router<Arc<Service>> {
    Router::new()
}

/// The routes under a pool's issuer (`/<pool id>/...`).
pub fn issuer_routes() -> Router<Arc<Service>> {
    Router::new()
}
