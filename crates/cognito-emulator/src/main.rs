// SPDX-License-Identifier: Apache-2.0
//! `cognito-emulator --host 127.0.0.1 --port 9229 [--data-dir DIR]`: serves until SIGINT or
//! SIGTERM.

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
    /// restarts and crashes. Without it, everything is in memory and gone at exit. Restart on
    /// the same --host and --port for tokens issued before to stay valid: their issuer names them.
    #[arg(long, value_name = "DIR", env = "COGNITO_EMULATOR_DATA_DIR")]
    data_dir: Option<PathBuf>,
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
    };
    let emulator = match Emulator::start(config).await {
        Ok(emulator) => emulator,
        Err(error) if error.kind() == std::io::ErrorKind::Other => {
            eprintln!("cognito-emulator: {error}");
            return ExitCode::FAILURE;
        }
        Err(error) => {
            eprintln!(
                "cognito-emulator: cannot listen on {}:{}: {error}",
                args.host, args.port
            );
            return ExitCode::FAILURE;
        }
    };
    if let Some(dir) = &args.data_dir {
        let (pools, users) = emulator.service().counts();
        eprintln!(
            "cognito-emulator: keeping data in {} ({pools} pools, {users} users)",
            dir.display()
        );
    }
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
