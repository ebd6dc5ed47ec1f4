// SPDX-License-Identifier: Apache-2.0
//! HTTP: awsJson1_1 on `POST /` routed by `X-Amz-Target`, the outbox at
//! `GET /_emulator/messages`, and each pool's JWKS at `GET /<pool id>/.well-known/jwks.json`,
//! all open to pages of other origins (CORS).

mod answers;
mod cors;
mod coverage;
mod login;
mod model;
mod operations;
mod schema;
mod server;
mod user_import;

pub use answers::{answer_problems, checked_operations};
pub use coverage::coverage_markdown;
pub use server::{Timeouts, serve};

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::crypto::random;
use crate::service::{Service, ServiceError};
use operations::{Context, Operation};

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
const JSON_1_1: &str = "application/x-amz-json-1.1";
/// Larger bodies are refused before they are read. The largest request the API documents is a
/// managed-login branding style's: 2 MB, with images of up to 1,000,000 bytes in base64.
pub const MAX_BODY_BYTES: usize = 2 << 20;
/// The code of the answer to a body that did not arrive in time; AWS SDKs retry it.
const REQUEST_TIMEOUT: &str = "RequestTimeoutException";
/// The code of the answer to an operation the model has and the emulator does not answer. The
/// SDKs take `__type` as the error code whatever the status, and none of them retries a 501.
const NOT_IMPLEMENTED: &str = "NotImplementedException";

/// How long [`dispatch`] waits for the whole of a request's body.
#[derive(Debug, Clone, Copy)]
struct BodyTimeout(Duration);

pub fn router(service: Arc<Service>, body_timeout: Duration) -> Router {
    // Parsed now rather than while the first request waits.
    std::sync::LazyLock::force(&model::MODEL);
    let routes = Router::new()
        .route("/", post(dispatch).get(banner))
        .route("/_emulator/messages", get(messages))
        .route(user_import::ROUTE, axum::routing::put(user_import::upload))
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .merge(login::routes())
        .layer(Extension(BodyTimeout(body_timeout)))
        .layer(cors::layer())
        .with_state(Arc::clone(&service));
    // A layer on a router runs after its routing: the domain's host must become its path
    // before, so the routes sit behind one that only runs the middleware.
    Router::new()
        .fallback_service(routes)
        .layer(axum::middleware::from_fn_with_state(
            service,
            login::route_by_host,
        ))
}

async fn banner() -> &'static str {
    "cognito-emulator: a local Amazon Cognito user-pools service. POST awsJson1_1 requests here.\n"
}

async fn dispatch(
    State(service): State<Arc<Service>>,
    Extension(BodyTimeout(body_timeout)): Extension<BodyTimeout>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let request_id = random::uuid();
    let target = headers
        .get("x-amz-target")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let outcome = match read_request(&target, &headers, body, body_timeout).await {
        Ok((operation, body, context)) => {
            let outcome = run(Arc::clone(&service), operation, body, context).await;
            // Failures change state too (counters, lockouts): nothing is answered unsaved.
            service.synced().await.and(outcome)
        }
        Err(error) => Err(error),
    };
    let operation = target.strip_prefix(TARGET_PREFIX).unwrap_or(&target);
    match outcome {
        Ok(body) => {
            // Per request at debug: at info, logging alone costs a fifth of the throughput.
            tracing::debug!(%request_id, operation, elapsed_ms = started.elapsed().as_secs_f64() * 1e3, "ok");
            answer(StatusCode::OK, &request_id, body, None)
        }
        Err(error) => {
            let status = status_of(&error);
            tracing::info!(%request_id, operation, error = error.code, message = %error.message, "error");
            let body = json!({ "__type": error.code, "message": error.message }).to_string();
            let mut response = answer(status, &request_id, body, Some(&error));
            if status == StatusCode::REQUEST_TIMEOUT {
                // The rest of the body is never read, so the connection cannot carry another
                // request; saying so spares the client from sending one on it.
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            response
        }
    }
}

fn status_of(error: &ServiceError) -> StatusCode {
    if error.is_internal() {
        StatusCode::INTERNAL_SERVER_ERROR
    } else if error.code == REQUEST_TIMEOUT {
        StatusCode::REQUEST_TIMEOUT
    } else if error.code == NOT_IMPLEMENTED {
        StatusCode::NOT_IMPLEMENTED
    } else {
        StatusCode::BAD_REQUEST
    }
}

async fn read_request(
    target: &str,
    headers: &HeaderMap,
    body: Body,
    body_timeout: Duration,
) -> Result<(&'static Operation, Value, Context), ServiceError> {
    let operation = operation(target)?;
    let bytes = read_body(body, body_timeout).await?;
    let body = decode(operation, &bytes)?;
    let context = Context {
        signed_region: signed_region(headers),
    };
    Ok((operation, body, context))
}

/// The body, if it is at most [`MAX_BODY_BYTES`] and all arrives within `timeout`.
async fn read_body(body: Body, timeout: Duration) -> Result<Bytes, ServiceError> {
    let too_large = || {
        ServiceError::new(
            "SerializationException",
            format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
        )
    };
    // A Content-Length over the limit is refused at once rather than waited for.
    if body.size_hint().lower() > MAX_BODY_BYTES as u64 {
        return Err(too_large());
    }
    // One deadline for the whole body. tower-http's body timeout would restart its clock at
    // every chunk (a byte every few seconds would never trip it), and its request timeout
    // would also cut off an operation or a journal sync halfway.
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(read) => read.map_err(|_| too_large()),
        Err(_) => Err(ServiceError::new(
            REQUEST_TIMEOUT,
            format!("The request body did not arrive within {timeout:?}."),
        )),
    }
}

fn operation(target: &str) -> Result<&'static Operation, ServiceError> {
    let name = target.strip_prefix(TARGET_PREFIX).unwrap_or_default();
    if let Some(operation) = operations::find(name) {
        Ok(operation)
    } else if model::MODEL.input_of(name).is_some() {
        Err(ServiceError::new(
            NOT_IMPLEMENTED,
            format!("{name} is not emulated by cognito-emulator yet."),
        ))
    } else if target.is_empty() {
        Err(ServiceError::new(
            "UnknownOperationException",
            "Missing X-Amz-Target header.",
        ))
    } else {
        Err(ServiceError::new(
            "UnknownOperationException",
            format!("Unknown operation {target}"),
        ))
    }
}

/// The body as JSON, checked against the operation's input shape.
fn decode(operation: &Operation, bytes: &[u8]) -> Result<Value, ServiceError> {
    let body: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(bytes).map_err(|error| {
            ServiceError::new(
                "SerializationException",
                format!("The request body is not valid JSON: {error}"),
            )
        })?
    };
    if let Some(input) = model::MODEL.input_of(operation.name).flatten() {
        schema::validate(&model::MODEL, input, &body)?;
    }
    Ok(body)
}

/// The operations the emulator answers, in routing order.
pub fn emulated_operations() -> impl Iterator<Item = &'static str> {
    operations::all().map(|operation| operation.name)
}

/// One request, without HTTP: the target header's value and the body's bytes in, the answer's
/// JSON or the service error out. The HTTP handler and the fuzzing harness both come here.
pub fn handle(service: &Service, target: &str, body: &[u8]) -> Result<Value, ServiceError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(ServiceError::new(
            "SerializationException",
            format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
        ));
    }
    let operation = operation(target)?;
    let body = decode(operation, body)?;
    let answer = call(operation, service, body, &Context::default())?;
    serde_json::from_str(&answer).map_err(|error| ServiceError::internal(error.to_string()))
}

fn call(
    operation: &Operation,
    service: &Service,
    body: Value,
    context: &Context,
) -> Result<String, ServiceError> {
    let answer = std::panic::catch_unwind(AssertUnwindSafe(|| {
        (operation.handler)(service, body, context)
    }))
    .unwrap_or_else(|_| Err(ServiceError::internal("An internal error occurred.")))?;
    // Every test suite runs a debug build: each answer any of them gets is checked here.
    #[cfg(debug_assertions)]
    {
        let checked = serde_json::from_str(&answer)
            .map_err(|error| error.to_string())
            .and_then(|parsed| answers::check_answer(operation.name, &parsed));
        if let Err(problems) = checked {
            tracing::error!(
                operation = operation.name,
                problems,
                "answer unlike the model"
            );
            return Err(ServiceError::internal(format!(
                "The answer does not match the model's output shape: {problems}"
            )));
        }
    }
    Ok(answer)
}

/// Runs an operation; a panic becomes an InternalErrorException instead of a dropped connection.
async fn run(
    service: Arc<Service>,
    operation: &'static Operation,
    body: Value,
    context: Context,
) -> Result<String, ServiceError> {
    let answer = move || call(operation, &service, body, &context);
    if operation.heavy {
        // CPU-bound work: no more at once than there are CPUs. More threads would only hold
        // more memory (stacks, allocator arenas) and make every request wait longer.
        let _permit = heavy_work_permits().acquire().await;
        tokio::task::spawn_blocking(answer)
            .await
            .unwrap_or_else(|_| Err(ServiceError::internal("An internal error occurred.")))
    } else {
        answer()
    }
}

fn heavy_work_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| {
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        tokio::sync::Semaphore::new(cpus)
    })
}

fn answer(
    status: StatusCode,
    request_id: &str,
    body: String,
    error: Option<&ServiceError>,
) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_1_1));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    if let Some(error) = error {
        if let Ok(kind) = HeaderValue::from_str(&format!("{}:", error.code)) {
            headers.insert("x-amzn-errortype", kind);
        }
        // Header values must be visible ASCII; messages that are not are left to the body.
        if let Ok(message) = HeaderValue::from_str(&error.message) {
            headers.insert("x-amzn-errormessage", message);
        }
    }
    response
}

/// The region of a SigV4 `Authorization` header: `Credential=AKID/20240101/<region>/cognito-idp/...`.
fn signed_region(headers: &HeaderMap) -> Option<String> {
    let authorization = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let credential = authorization.split("Credential=").nth(1)?;
    let region = credential.split('/').nth(2)?;
    let valid = !region.is_empty()
        && region.len() <= 30
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then(|| region.to_owned())
}

#[derive(Debug, Deserialize)]
struct MessagesQuery {
    username: Option<String>,
}

async fn messages(
    State(service): State<Arc<Service>>,
    Query(query): Query<MessagesQuery>,
) -> Response {
    let messages = service.outbox().messages(query.username.as_deref());
    let mut response = axum::Json(json!({ "Messages": messages })).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn jwks(State(service): State<Arc<Service>>, Path(pool_id): Path<String>) -> Response {
    match service.jwks(&pool_id) {
        Ok(keys) => axum::Json(keys).into_response(),
        Err(error) => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({ "message": error.message })),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_region_of_a_signature() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-2/cognito-idp/aws4_request, SignedHeaders=host, Signature=abc",
            ),
        );
        assert_eq!(signed_region(&headers).as_deref(), Some("eu-west-2"));
        assert_eq!(signed_region(&HeaderMap::new()), None);
    }

    #[test]
    fn every_routed_operation_is_in_the_model() {
        for operation in operations::all() {
            assert!(
                model::MODEL.input_of(operation.name).is_some(),
                "{} is not an operation of the service model",
                operation.name
            );
        }
    }

    #[test]
    fn every_operation_is_listed_once() {
        let mut names: Vec<_> = operations::all().map(|op| op.name).collect();
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
