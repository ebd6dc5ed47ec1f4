// SPDX-License-Identifier: Apache-2.0
//! A local Amazon Cognito user-pools service that really checks confirmation codes, TOTP and
//! SRP, and signs real RS256 tokens: enough of the service for sign-up, MFA and remembered
//! devices to behave as on AWS, for any client (AWS SDKs, the AWS CLI, AWS's JavaScript
//! libraries), with no account and no network.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emulator = cognito_emulator::Emulator::start_local().await?;
//! println!("point AWS_ENDPOINT_URL at {}", emulator.url());
//! emulator.stop().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Layers, each using only the ones after it: [`wire`] (HTTP, JSON, validation, error shapes),
//! [`service`] (pools, users, sign-in flows, devices), [`store`] (the optional data directory:
//! a synced journal and snapshots) and `crypto` (TOTP, tokens; SECRET_HASH and SRP come from
//! `cognito-srp`).

pub mod crypto;
pub mod outbox;
pub mod service;
pub mod store;
pub mod wire;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use outbox::Message;
pub use service::{Clock, ManualClock, Service, SystemClock};

/// Where and how to run the emulator.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub host: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// The region in pool ids when a request does not say (unsigned requests).
    pub region: String,
    pub clock: Arc<dyn Clock>,
    /// Where pools, users and keys are kept across restarts; `None` keeps them in memory only.
    pub data_dir: Option<PathBuf>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            region: "us-east-1".to_owned(),
            clock: Arc::new(SystemClock),
            data_dir: None,
        }
    }
}

/// A running emulator. Dropping it stops the server too; [`Emulator::stop`] waits for it.
#[derive(Debug)]
pub struct Emulator {
    url: String,
    service: Arc<Service>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<io::Result<()>>>,
}

impl Emulator {
    /// Binds the address, loads the data directory if there is one, and serves until stopped.
    pub async fn start(config: EmulatorConfig) -> io::Result<Self> {
        let listener = TcpListener::bind(SocketAddr::new(config.host, config.port)).await?;
        let address = listener.local_addr()?;
        let url = match address {
            SocketAddr::V6(v6) => format!("http://[{}]:{}", v6.ip(), v6.port()),
            SocketAddr::V4(v4) => format!("http://{v4}"),
        };
        let service = match &config.data_dir {
            Some(dir) => {
                let (url, region, clock) = (url.clone(), config.region, config.clock);
                let dir = dir.clone();
                // Reading a large directory is blocking work.
                tokio::task::spawn_blocking(move || {
                    Service::with_data_dir(url, region, clock, &dir)
                })
                .await
                .map_err(io::Error::other)??
            }
            None => Service::new(url.clone(), config.region, config.clock),
        };
        let service = Arc::new(service);
        let app = wire::router(Arc::clone(&service));
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Self {
            url,
            service,
            shutdown: Some(shutdown),
            server: Some(server),
        })
    }

    /// On 127.0.0.1, a free port, the system clock.
    pub async fn start_local() -> io::Result<Self> {
        Self::start(EmulatorConfig::default()).await
    }

    /// `http://127.0.0.1:<port>`: the endpoint URL for clients.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn service(&self) -> &Arc<Service> {
        &self.service
    }

    /// The messages the pools "sent" to `username` (all messages for `None`), oldest first.
    pub fn messages(&self, username: Option<&str>) -> Vec<Message> {
        self.service.outbox().messages(username)
    }

    /// Stops accepting connections, lets requests in flight finish, writes out the data
    /// directory, and waits.
    pub async fn stop(mut self) -> io::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let served = match self.server.take() {
            Some(server) => server.await.map_err(io::Error::other)?,
            None => Ok(()),
        };
        let service = Arc::clone(&self.service);
        tokio::task::spawn_blocking(move || service.close())
            .await
            .map_err(io::Error::other)?;
        served
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
