// SPDX-License-Identifier: Apache-2.0
//! The look of the hosted pages: the pool's and client's UI customization (CSS, logo) and
//! managed-login branding, served as the stylesheet and images the pages link to.

use std::sync::Arc;

use axum::Router;

use crate::service::Service;

/// The routes under `/_domains/{domain}`.
pub fn routes() -> Router<Arc<Service>> {
    Router::new()
}
