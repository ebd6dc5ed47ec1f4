// SPDX-License-Identifier: Apache-2.0
//! The `cognito-emulator` binary with `--data-dir`, killed with SIGKILL in the middle of a
//! sign-up load and started again: every user whose SignUp was answered is there, and tokens
//! issued before the crash still verify against the JWKS and still work.
#![cfg(unix)]

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ExplicitAuthFlowsType};
use common::{PASSWORD, sdk_client, verified_claims_at};

/// Sign-ups answered before each kill; with 16 clients at once, some are always in flight.
const ANSWERED_BEFORE_KILL: usize = 300;
const CLIENTS: usize = 16;
/// Each round is one more chance to catch an answer sent before its change was saved.
const ROUNDS: usize = 3;

struct Process {
    child: Child,
    url: String,
    _stdout: BufReader<ChildStdout>,
}

impl Process {
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, and waits for the emulator to finish writing and exit.
    fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        assert!(
            exit.success(),
            "the emulator exits cleanly on SIGTERM: {exit}"
        );
    }
}

/// A failing test leaves no emulator behind.
impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

fn start(data_dir: &Path, port: u16) -> Process {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .arg("--data-dir")
        .arg(data_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the emulator binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("cognito-emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    Process {
        child,
        url,
        _stdout: stdout,
    }
}

/// A client that fails at once when the server is gone, instead of retrying into the restart.
fn client(url: &str) -> Client {
    let config = sdk_client(url)
        .config()
        .to_builder()
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}

async fn all_usernames(client: &Client, pool_id: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut pages = client
        .list_users()
        .user_pool_id(pool_id)
        .limit(60)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.expect("ListUsers");
        names.extend(
            page.users()
                .iter()
                .filter_map(|u| u.username().map(str::to_owned)),
        );
    }
    names
}

/// Clients sign up new users as fast as they are answered, until the one that receives answer
/// number ANSWERED_BEFORE_KILL kills the emulator, at once: the answers just sent are the ones a
/// server that answered before saving would lose. Returns the usernames answered.
async fn sign_ups_until_killed(
    emulator: Process,
    client: &Client,
    client_id: &str,
    round: usize,
) -> Vec<String> {
    let emulator = Arc::new(Mutex::new(emulator));
    let answered = Arc::new(Mutex::new(Vec::<String>::new()));
    let workers: Vec<_> = (0..CLIENTS)
        .map(|worker| {
            let (client, client_id) = (client.clone(), client_id.to_owned());
            let (answered, emulator) = (Arc::clone(&answered), Arc::clone(&emulator));
            tokio::spawn(async move {
                for n in 0.. {
                    let username = format!("load-{round}-{worker}-{n}");
                    let signed_up = client
                        .sign_up()
                        .client_id(&client_id)
                        .username(&username)
                        .password(PASSWORD)
                        .send()
                        .await;
                    if signed_up.is_err() {
                        // The emulator is gone: nothing more will be answered.
                        break;
                    }
                    let mut answered = answered.lock().unwrap();
                    answered.push(username);
                    if answered.len() == ANSWERED_BEFORE_KILL {
                        emulator.lock().unwrap().kill();
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        tokio::time::timeout(Duration::from_secs(120), worker)
            .await
            .expect("the load ends with the kill")
            .unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(answered.len() >= ANSWERED_BEFORE_KILL);
    answered
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
// Long: the load, the kills and the checks after each are one experiment.
async fn sigkill_during_sign_ups_loses_no_answered_user_and_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start(dir.path(), 0);
    let port: u16 = emulator.url.rsplit(':').next().unwrap().parse().unwrap();
    let client = client(&emulator.url);

    let pool_id = client
        .create_user_pool()
        .pool_name("crash")
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let client_id = client
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("crash")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    client
        .sign_up()
        .client_id(&client_id)
        .username("before")
        .password(PASSWORD)
        .send()
        .await
        .unwrap();
    client
        .admin_confirm_sign_up()
        .user_pool_id(&pool_id)
        .username("before")
        .send()
        .await
        .unwrap();
    let tokens = client
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "before")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();

    let mut emulator = emulator;
    let mut answered = Vec::new();
    for round in 0..ROUNDS {
        let answered_now = sign_ups_until_killed(emulator, &client, &client_id, round).await;
        answered.extend(answered_now);
        emulator = start(dir.path(), port);
        let present = all_usernames(&client, &pool_id).await;
        let lost: Vec<&String> = answered.iter().filter(|u| !present.contains(*u)).collect();
        assert!(lost.is_empty(), "answered but lost after SIGKILL: {lost:?}");
        assert!(present.contains("before"));
        // Requests in flight at a kill may or may not have been saved; none was answered.
        assert!(present.len() <= answered.len() + 1 + CLIENTS * (round + 1));
        eprintln!(
            "round {round}: {} sign-ups answered before the kills, {} found after the restart",
            answered.len(),
            present.len() - 1
        );
    }

    // Tokens from before the crashes: the JWKS still has their keys, and they still work.
    for token in [tokens.id_token().unwrap(), tokens.access_token().unwrap()] {
        let claims = verified_claims_at(&emulator.url, &pool_id, token).await;
        let username = claims.get("username").or(claims.get("cognito:username"));
        assert_eq!(username.and_then(|u| u.as_str()), Some("before"));
    }
    let me = client
        .get_user()
        .access_token(tokens.access_token().unwrap())
        .send()
        .await
        .expect("an access token from before the crash");
    assert_eq!(me.username, "before");
    client
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", tokens.refresh_token().unwrap())
        .send()
        .await
        .expect("a refresh token from before the crash");
    // A clean stop keeps what was written after the last crash too.
    client
        .sign_up()
        .client_id(&client_id)
        .username("after")
        .password(PASSWORD)
        .send()
        .await
        .unwrap();
    emulator.stop();
    let emulator = start(dir.path(), port);
    let present = all_usernames(&self::client(&emulator.url), &pool_id).await;
    assert!(present.contains("after"));
}

/// What the binary says, and its exit status, when it cannot use the data directory.
fn refused(data_dir: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .args(["--host", "127.0.0.1", "--port", "0"])
        .arg("--data-dir")
        .arg(data_dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "it never said it was listening");
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn a_data_directory_it_cannot_use_stops_the_start_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let _running = start(dir.path(), 0);
    let message = refused(dir.path());
    assert!(
        message.contains(
            "is in use by another cognito-emulator; stop it or choose another --data-dir"
        ),
        "{message}"
    );

    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let message = refused(&file);
    assert!(
        message.contains("cannot create the data directory"),
        "{message}"
    );
}
