// SPDX-License-Identifier: Apache-2.0
//! The pre-signed URL of a user import job: `PUT` takes the job's CSV file, as the S3 URL the
//! service hands out does (`curl --upload-file users.csv "$PreSignedUrl"`). Refusals are
//! answered the way S3 answers them: a status and an XML `Error`.

use std::sync::Arc;

use axum::Extension;
use axum::body::{Body, HttpBody};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::BodyTimeout;
use crate::service::{MAX_CSV_BYTES, Service, UploadRefused};

/// Where the route is: the service writes the same path into each job's URL.
pub(super) const ROUTE: &str = "/_emulator/user-import/{pool_id}/{job_id}";

/// A file of up to 100 MB takes longer than an API request: this many body timeouts.
const UPLOAD_TIMEOUT_FACTOR: u32 = 10;

#[derive(Debug, Deserialize)]
pub(super) struct UploadQuery {
    token: Option<String>,
}

pub(super) async fn upload(
    State(service): State<Arc<Service>>,
    Extension(BodyTimeout(body_timeout)): Extension<BodyTimeout>,
    Path((pool_id, job_id)): Path<(String, String)>,
    Query(query): Query<UploadQuery>,
    body: Body,
) -> Response {
    let Some(token) = query.token else {
        return refusal(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "The URL carries no token.",
        );
    };
    let too_large = || {
        refusal(
            StatusCode::BAD_REQUEST,
            "EntityTooLarge",
            "The CSV file is larger than the 100 MB an import job takes.",
        )
    };
    if body.size_hint().lower() > MAX_CSV_BYTES as u64 {
        return too_large();
    }
    let timeout = body_timeout * UPLOAD_TIMEOUT_FACTOR;
    let csv = match tokio::time::timeout(timeout, axum::body::to_bytes(body, MAX_CSV_BYTES)).await {
        Ok(Ok(bytes)) => bytes.to_vec(),
        Ok(Err(_)) => return too_large(),
        Err(_) => {
            return refusal(
                StatusCode::BAD_REQUEST,
                "RequestTimeout",
                "The file did not arrive in time.",
            );
        }
    };
    match service.accept_import_upload(&pool_id, &job_id, &token, csv) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(UploadRefused::NoSuchJob) => refusal(
            StatusCode::NOT_FOUND,
            "NoSuchUpload",
            "No user import job has this URL.",
        ),
        Err(UploadRefused::AccessDenied(why)) => {
            refusal(StatusCode::FORBIDDEN, "AccessDenied", why)
        }
    }
}

fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>\n"
    );
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    response
}
