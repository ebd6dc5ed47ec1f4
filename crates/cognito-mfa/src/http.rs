// SPDX-License-Identifier: Apache-2.0
//! A GET for JSON documents the SDK does not fetch: a pool's JWKS (HTTPS on AWS), and the
//! local emulator's outbox. Uses the HTTP and TLS stack the AWS SDK already brings.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

const TIMEOUT: Duration = Duration::from_secs(10);
const MAX_BODY: usize = 1 << 20;

/// Percent-encodes everything but RFC 3986's unreserved characters: for query values and
/// otpauth labels.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError(pub String);

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FetchError {}

#[derive(Clone)]
pub struct JsonClient {
    client: Client<hyper_rustls::HttpsConnector<HttpConnector>, Empty<Bytes>>,
}

impl fmt::Debug for JsonClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JsonClient")
    }
}

impl JsonClient {
    pub fn new() -> Result<Self, FetchError> {
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_native_roots()
            .map_err(|e| {
                FetchError(format!(
                    "cannot load the system's TLS root certificates: {e}"
                ))
            })?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(Self {
            client: Client::builder(TokioExecutor::new()).build(connector),
        })
    }

    pub async fn get(&self, url: &str) -> Result<Value, FetchError> {
        let uri: http::Uri = url
            .parse()
            .map_err(|e| FetchError(format!("bad URL {url}: {e}")))?;
        let request = async {
            let response = self
                .client
                .get(uri)
                .await
                .map_err(|e| FetchError(format!("GET {url}: {e}")))?;
            let status = response.status();
            let body = http_body_util::Limited::new(response.into_body(), MAX_BODY)
                .collect()
                .await
                .map_err(|e| FetchError(format!("GET {url}: {e}")))?
                .to_bytes();
            if !status.is_success() {
                return Err(FetchError(format!("GET {url}: HTTP {status}")));
            }
            serde_json::from_slice(&body)
                .map_err(|e| FetchError(format!("GET {url}: not JSON: {e}")))
        };
        tokio::time::timeout(TIMEOUT, request)
            .await
            .map_err(|_| FetchError(format!("GET {url}: no answer in {} s", TIMEOUT.as_secs())))?
    }
}
