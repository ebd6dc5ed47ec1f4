// SPDX-License-Identifier: Apache-2.0
//! The binaries as people run them: `cognito-mfa` straight through on its embedded emulator or
//! on an emulator elsewhere, its one-line answers to setup mistakes, and `hello`.

use std::process::{Command, Output, Stdio};

use cognito_emulator::Emulator;

fn run(binary: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(binary);
    command.args(args).stdin(Stdio::null());
    // Nothing from the developer's own AWS setup, and no instance-metadata lookups off this machine.
    for variable in [
        "AWS_ENDPOINT_URL",
        "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "COGNITO_MFA_PASSWORD",
    ] {
        command.env_remove(variable);
    }
    command
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials",
        );
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const SCENARIO: &str = env!("CARGO_BIN_EXE_cognito-mfa");

#[test]
fn straight_through_on_the_embedded_emulator_names_every_action_and_leaks_no_secret() {
    let password = "Given-Passw0rd-That-Must-Not-Show";
    let output = run(
        SCENARIO,
        &["--username", "walkthrough"],
        &[("COGNITO_MFA_PASSWORD", password)],
    );
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{stdout}\n{stderr}");
    for expected in [
        "straight through",
        "on the Cognito emulator built into this program",
        "SignUp: walkthrough signed up",
        "AdminGetUser: walkthrough is UNCONFIRMED",
        "ConfirmSignUp: walkthrough is confirmed",
        "ListUsers: walkthrough",
        "AdminInitiateAuth: challenge MFA_SETUP",
        "AssociateSoftwareToken:",
        "VerifySoftwareToken: status SUCCESS",
        "AdminRespondToAuthChallenge: MFA_SETUP answered",
        "AdminInitiateAuth: challenge SOFTWARE_TOKEN_MFA",
        "AdminRespondToAuthChallenge: SOFTWARE_TOKEN_MFA answered",
        "ConfirmDevice: device",
        "InitiateAuth: with DEVICE_KEY: challenge DEVICE_SRP_AUTH",
        "challenge DEVICE_PASSWORD_VERIFIER",
        "DEVICE_PASSWORD_VERIFIER answered",
        "AdminDeleteUser: walkthrough deleted",
        "DeleteUserPool: us-east-1_",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    let everything = format!("{stdout}{stderr}");
    assert!(!everything.contains(password), "the password was printed");
    assert!(!everything.contains("eyJ"), "a token was printed");
    assert!(
        !everything.contains("   Key: "),
        "the TOTP secret was shown"
    );
}

#[test]
fn an_emulator_elsewhere_is_reached_with_endpoint_url() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime.block_on(Emulator::start_local()).unwrap();
    let url = emulator.url().to_owned();
    let output = run(
        SCENARIO,
        &["--endpoint-url", &url, "--non-interactive"],
        &[],
    );
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains(&format!("on the endpoint {url}.")),
        "{stdout}"
    );
    assert!(
        stdout.contains("DEVICE_PASSWORD_VERIFIER answered"),
        "{stdout}"
    );
    // The standard variable does the same.
    let output = run(SCENARIO, &[], &[("AWS_ENDPOINT_URL", &url)]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    runtime.block_on(emulator.stop()).unwrap();
}

#[test]
fn an_unreachable_endpoint_is_one_line_and_a_failure() {
    // A port nothing listens on: bind one, note it, let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let output = run(SCENARIO, &["--endpoint-url", &url], &[]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("cognito-mfa: CreateUserPool failed: cannot reach "),
        "{stderr}"
    );
    assert!(stderr.contains("Is the emulator running there"), "{stderr}");
}

#[test]
fn missing_aws_credentials_are_one_line_and_a_failure() {
    let output = run(
        SCENARIO,
        &[
            "--user-pool-id",
            "us-east-1_AbC123xyZ",
            "--client-id",
            "abc",
            "--region",
            "us-east-1",
        ],
        &[],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no AWS credentials were found"), "{stderr}");
    assert!(stderr.contains("aws configure"), "{stderr}");
}

#[test]
fn flags_that_do_not_go_together_are_refused() {
    let output = run(SCENARIO, &["--user-pool-id", "us-east-1_AbC123xyZ"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--client-id"));
    let output = run(
        SCENARIO,
        &["--create-pool", "--user-pool-id", "x", "--client-id", "y"],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
}

const HELLO: &str = env!("CARGO_BIN_EXE_hello");

#[test]
fn hello_lists_pools_through_aws_endpoint_url() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime.block_on(Emulator::start_local()).unwrap();
    let output = run(
        HELLO,
        &[],
        &[
            ("AWS_ENDPOINT_URL", emulator.url()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "local"),
            ("AWS_SECRET_ACCESS_KEY", "local"),
        ],
    );
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(
        stdout.starts_with("Hello, Amazon Cognito! 0 user pool(s) here:"),
        "{stdout}"
    );
    runtime.block_on(emulator.stop()).unwrap();
}

#[test]
fn hello_on_a_local_endpoint_needs_no_credentials_or_region() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime.block_on(Emulator::start_local()).unwrap();
    let output = run(HELLO, &[], &[("AWS_ENDPOINT_URL", emulator.url())]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(stdout.starts_with("Hello, Amazon Cognito!"), "{stdout}");
    runtime.block_on(emulator.stop()).unwrap();
}

/// What hello printed on stderr, after checking it failed with one line and no debug dump.
fn hello_failure(env: &[(&str, &str)]) -> String {
    let output = run(HELLO, &[], env);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    for debug_text in ["DispatchFailure", "ConnectorError", "{"] {
        assert!(!stderr.contains(debug_text), "{stderr}");
    }
    stderr
}

#[test]
fn hello_without_credentials_says_so_in_one_line() {
    let stderr = hello_failure(&[]);
    assert!(stderr.contains("no AWS credentials"), "{stderr}");
    assert!(stderr.contains("aws configure"), "{stderr}");
    // With a region configured the answer is the same: credentials are what is missing.
    let stderr = hello_failure(&[("AWS_REGION", "eu-west-1")]);
    assert!(stderr.contains("no AWS credentials"), "{stderr}");
}

#[test]
fn hello_says_in_one_line_that_an_endpoint_cannot_be_reached() {
    // A port nothing listens on: bind one, note it, let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let stderr = hello_failure(&[("AWS_ENDPOINT_URL", &url)]);
    assert!(stderr.contains(&format!("cannot reach {url}")), "{stderr}");
}

#[test]
fn qr_file_saves_the_code_as_an_image_only_the_owner_reads() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("totp.png");
    let output = run(SCENARIO, &["--qr-file", path.to_str().unwrap()], &[]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(stdout.contains("Saved the QR code to "), "{stdout}");
    let image = std::fs::read(&path).unwrap();
    assert!(image.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn qr_file_must_name_an_image_format() {
    let output = run(SCENARIO, &["--qr-file", "code.txt"], &[]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(".svg or .png"), "{stderr}");
}
