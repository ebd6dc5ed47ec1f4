// SPDX-License-Identifier: Apache-2.0
//! The accept loop. `axum::serve` has no read timeouts, so each connection is served by hyper's
//! HTTP/1.1 connection directly, which bounds the time a client may take to send its headers;
//! the body's deadline is kept by the one handler that reads a body.

use std::io;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::Listener;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use crate::service::Service;

/// How long the server waits for a client before it gives up on the connection. A request of
/// this API is at most 1 MiB and comes from the same machine or network, in milliseconds: these
/// figures only ever cut off connections that stalled or are held open on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// From the moment the server is ready for a request (the connection opened, or the
    /// previous answer sent) to the end of the request's headers; past it the connection is
    /// closed without an answer. This is also how long an idle keep-alive connection is kept:
    /// hyper runs the same clock while it waits for the next request.
    pub headers: Duration,
    /// From the end of the headers to the end of the body, however it trickles in; past it the
    /// answer is a 408 RequestTimeoutException and the connection is closed.
    pub body: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            // Clients send their headers in one write, so this only has to outlast a network
            // hiccup. As an idle limit it is in the range of Node's and Apache's (5 s), which
            // connection pools handle by opening a new connection.
            headers: Duration::from_secs(10),
            // 1 MiB in 30 s is 35 KB/s, slower than any link a client of an emulator is on.
            body: Duration::from_secs(30),
        }
    }
}

/// Serves HTTP/1.1 on `listener` until `stop` completes, then stops accepting, lets each
/// connection finish the request it is on (within the timeouts), and returns.
pub async fn serve(
    listener: TcpListener,
    service: Arc<Service>,
    timeouts: Timeouts,
    stop: impl Future<Output = ()>,
) -> io::Result<()> {
    let app = super::router(service, timeouts.body);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(timeouts.headers);
    let connections = GracefulShutdown::new();
    let mut listener = listener;
    let mut stop = pin!(stop);
    loop {
        // axum's accept retries on its own, pausing when out of file descriptors.
        let stream = tokio::select! {
            (stream, _peer) = Listener::accept(&mut listener) => stream,
            () = &mut stop => break,
        };
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = connections.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                // Routine (a client gone, a slow or idle connection closed), and hyper's
                // message never holds request data, so this is safe to show at debug.
                tracing::debug!(%error, "connection closed");
            }
        });
    }
    drop(listener);
    connections.shutdown().await;
    Ok(())
}
