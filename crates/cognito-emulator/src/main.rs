// SPDX-License-Identifier: Apache-2.0
//! `cognito-emulator --host 127.0.0.1 --port 9229 [--data-dir DIR] [--public-url URL]`: serves
//! until SIGINT or SIGTERM.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use cognito_emulator::{Emulator, EmulatorConfig, SystemClock};

/// A local Amazon Cognito user-pools service for development and tests.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 9229)]
    port: u16,
    /// Region used in pool ids when a request is not signed.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// Keep pools, users, devices, refresh tokens and signing keys in this directory, across
    /// restarts and crashes. Without it, everything is in memory and gone at exit. Each pool
    /// keeps its issuer, so tokens stay valid after a restart on another host or port.
    #[arg(long, value_name = "DIR", env = "COGNITO_EMULATOR_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// The URL clients reach the emulator at, when it is not the listen address (a container's
    /// published port, a proxy): http(s)://host[:port][/path]. New pools' tokens name
    /// URL/<pool id> as their issuer, and their keys are at URL/<pool id>/.well-known/jwks.json.
    /// Default: the listen address, with 127.0.0.1 or [::1] for 0.0.0.0 or ::.
    #[arg(long, value_name = "URL", env = "COGNITO_EMULATOR_PUBLIC_URL")]
    public_url: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let config = EmulatorConfig {
        host: args.host,
        port: args.port,
        region: args.region,
        clock: Arc::new(SystemClock),
        data_dir: args.data_dir.clone(),
        public_url: args.public_url.clone(),
        ..EmulatorConfig::default()
    };
    let emulator = match Emulator::start(config).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("cognito-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(dir) = &args.data_dir {
        let (pools, users) = emulator.counts();
        eprintln!(
            "cognito-emulator: keeping data in {} ({pools} pools, {users} users)",
            dir.display()
        );
    }
    announce_issuer(args.host, args.public_url.is_some(), &emulator);
    println!("cognito-emulator listening on {}", emulator.url());
    wait_for_signal().await;
    eprintln!("cognito-emulator: stopping");
    match emulator.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cognito-emulator: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Where new pools' tokens say they come from, when that is not simply the listen address.
fn announce_issuer(host: IpAddr, public_url_given: bool, emulator: &Emulator) {
    let issuer = format!("{}/<pool id>", emulator.public_url());
    if public_url_given {
        eprintln!("cognito-emulator: new pools' issuer is {issuer}");
    } else if host.is_unspecified() {
        eprintln!(
            "cognito-emulator: listening on every interface; new pools' issuer is {issuer}, \
             which only this machine reaches: set --public-url to the URL clients use"
        );
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
