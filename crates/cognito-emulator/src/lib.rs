// SPDX-License-Identifier: Apache-2.0
//! A local Amazon Cognito user-pools service that really checks confirmation codes, TOTP and
//! SRP, and signs real RS256 tokens: enough of the service for sign-up, MFA and remembered
//! devices to behave as on AWS, for any client (AWS SDKs, the AWS CLI, AWS's JavaScript
//! libraries), with no account and no network.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = cognito_emulator::Emulator::start_local().await?;
//! println!("point AWS_ENDPOINT_URL at {}", emulator.url());
//! emulator.stop().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Layers, each using only the ones after it: `wire` (HTTP, JSON, validation, error shapes),
//! `service` (pools, users, sign-in flows, devices), `store` (the optional data directory: a
//! synced journal and snapshots) and `crypto` (TOTP, tokens; SECRET_HASH and SRP come from
//! `cognito-srp`). They are private: the API is [`Emulator`], its [`EmulatorConfig`], and the
//! types those mention.

mod crypto;
mod outbox;
mod service;
mod store;
mod urls;
mod wire;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use outbox::Message;
pub use service::{Clock, ManualClock, SystemClock};
pub use store::StoreError;
pub use wire::Timeouts;

use service::Service;

/// For this crate's tests and fuzzing harness only: not a stable API.
#[doc(hidden)]
pub mod testing {
    use std::sync::Arc;

    pub use crate::service::Service;
    pub use crate::service::oauth::{AuthorizationGrant, PkceChallenge};
    pub use crate::wire::{
        answer_problems, checked_operations, coverage_markdown, emulated_operations, handle,
    };

    /// The service behind a running emulator, to look at what it holds.
    pub fn service(emulator: &crate::Emulator) -> &Arc<Service> {
        &emulator.service
    }
}

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
    /// The URL clients reach the emulator at, when that is not the listen address (a
    /// container's published port, a proxy): `http(s)://host[:port][/path]`. New pools' issuer
    /// is this plus `/<pool id>`, and each pool keeps its issuer for good. `None`: the listen
    /// address, with loopback in place of 0.0.0.0 or ::.
    pub public_url: Option<String>,
    /// How long a client may take to send a request before its connection is closed.
    pub timeouts: Timeouts,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            region: "us-east-1".to_owned(),
            clock: Arc::new(SystemClock),
            data_dir: None,
            public_url: None,
            timeouts: Timeouts::default(),
        }
    }
}

/// Why the emulator did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// `EmulatorConfig::public_url` cannot be the base of an issuer; says why.
    #[error("{0}")]
    PublicUrl(String),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: SocketAddr,
        source: io::Error,
    },
    /// The data directory could not be opened or read; names the file and line.
    #[error("{0}")]
    DataDir(StoreError),
}

/// A running emulator. Dropping it stops the server too; [`Emulator::stop`] waits for it.
#[derive(Debug)]
pub struct Emulator {
    url: String,
    public_url: String,
    service: Arc<Service>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<io::Result<()>>>,
}

impl Emulator {
    /// Binds the address, loads the data directory if there is one, and serves until stopped.
    /// A public URL that cannot be an issuer's base is refused before anything is bound.
    pub async fn start(config: EmulatorConfig) -> Result<Self, StartError> {
        let given_public_url = config
            .public_url
            .as_deref()
            .map(urls::parse_public_url)
            .transpose()
            .map_err(|invalid| StartError::PublicUrl(invalid.to_string()))?;
        let address = SocketAddr::new(config.host, config.port);
        let bound = |source| StartError::Bind { address, source };
        let listener = TcpListener::bind(address).await.map_err(bound)?;
        let address = listener.local_addr().map_err(bound)?;
        let url = urls::connect_url(address);
        // Pools stored before each kept its issuer were named after the listen address, as it
        // was then; a public URL given now says where clients find them instead.
        let legacy_issuer_base = given_public_url
            .clone()
            .unwrap_or_else(|| urls::listen_url(address));
        let public_url = given_public_url.unwrap_or_else(|| url.clone());
        let service = match &config.data_dir {
            Some(dir) => {
                let (public_url, region, clock) = (public_url.clone(), config.region, config.clock);
                let dir = dir.clone();
                // Reading a large directory is blocking work.
                tokio::task::spawn_blocking(move || {
                    Service::with_data_dir(public_url, &legacy_issuer_base, region, clock, &dir)
                })
                .await
                .map_err(|panicked| StartError::DataDir(StoreError::new(panicked.to_string())))?
                .map_err(StartError::DataDir)?
            }
            None => Service::new(public_url.clone(), config.region, config.clock),
        };
        let service = Arc::new(service);
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(wire::serve(
            listener,
            Arc::clone(&service),
            config.timeouts,
            async {
                let _ = stopped.await;
            },
        ));
        Ok(Self {
            url,
            public_url,
            service,
            shutdown: Some(shutdown),
            server: Some(server),
        })
    }

    /// On 127.0.0.1, a free port, the system clock.
    pub async fn start_local() -> Result<Self, StartError> {
        Self::start(EmulatorConfig::default()).await
    }

    /// `http://127.0.0.1:<port>`: the endpoint URL for clients on this machine (loopback when
    /// listening on 0.0.0.0 or ::).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The base of new pools' issuers (`<public URL>/<pool id>`): [`EmulatorConfig::public_url`]
    /// without trailing slashes when given, else [`Emulator::url`]. Pools made earlier keep
    /// the issuer they were made with.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// How many pools, and users in all pools, the emulator holds: `(pools, users)`.
    pub fn counts(&self) -> (usize, usize) {
        self.service.counts()
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
