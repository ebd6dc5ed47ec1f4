// SPDX-License-Identifier: Apache-2.0
//! The look of the hosted pages: the pool's and client's UI customization (CSS, logo) and
//! managed-login branding, served as the stylesheet and images the pages link to:
//! `GET /_style/style.css?client_id=...` (the emulator's own sheet, then the client's CSS) and
//! `GET /_style/logo?client_id=...` (the logo, or 404).

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::{LoginBase, unknown_domain};
use crate::service::Service;

/// The emulator's own stylesheet, which the pool's CSS follows (and so overrides).
const BASE_CSS: &str = include_str!("style.css");
/// Branding changes show on the next page load.
const NOT_CACHED: &str = "no-cache";

#[derive(Debug, Deserialize)]
struct StyleQuery {
    client_id: Option<String>,
}

/// The routes under `/_domains/{domain}`.
pub fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/_style/style.css", get(stylesheet))
        .route("/_style/logo", get(logo))
}

async fn stylesheet(
    State(service): State<Arc<Service>>,
    base: LoginBase,
    Query(query): Query<StyleQuery>,
) -> Response {
    if service.pool_of_domain(&base.domain).is_none() {
        return unknown_domain(&base.domain);
    }
    let client_id = query.client_id.unwrap_or_default();
    let style = service.page_style(&base.domain, &client_id);
    let mut css = String::with_capacity(BASE_CSS.len() + style.css.len() + 64);
    css.push_str(BASE_CSS);
    if !style.css.is_empty() {
        css.push_str("\n/* The user pool's customization */\n");
        css.push_str(&style.css);
        css.push('\n');
    }
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, NOT_CACHED),
        ],
        css,
    )
        .into_response()
}

async fn logo(
    State(service): State<Arc<Service>>,
    base: LoginBase,
    Query(query): Query<StyleQuery>,
) -> Response {
    if service.pool_of_domain(&base.domain).is_none() {
        return unknown_domain(&base.domain);
    }
    let client_id = query.client_id.unwrap_or_default();
    let Some(logo) = service.page_style(&base.domain, &client_id).logo else {
        return (
            StatusCode::NOT_FOUND,
            "No logo is set for this app client: set one with SetUICustomization (ImageFile) \
             or, on a managed login domain, a FORM_LOGO asset of its branding style.\n",
        )
            .into_response();
    };
    (
        [
            (header::CONTENT_TYPE, logo.content_type),
            (header::CACHE_CONTROL, NOT_CACHED),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            // An SVG opened on its own runs no script and loads nothing.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
        ],
        logo.bytes,
    )
        .into_response()
}
