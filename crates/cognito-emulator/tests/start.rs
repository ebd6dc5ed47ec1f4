// SPDX-License-Identifier: Apache-2.0
//! The binary's start-up failures: one line naming what is wrong, and a failing exit.

use std::process::{Command, Stdio};

fn start(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .args(args)
        .stdin(Stdio::null())
        .env_remove("COGNITO_EMULATOR_DATA_DIR")
        .env_remove("COGNITO_EMULATOR_PUBLIC_URL")
        .output()
        .expect("the binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_port_in_use_is_one_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (code, stderr) = start(&["--host", "127.0.0.1", "--port", &port]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "cognito-emulator: cannot listen on 127.0.0.1:{port}: "
        )),
        "{stderr}"
    );
}

#[test]
fn a_data_dir_that_is_a_file_is_one_line() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let path = file.path().to_str().unwrap();
    let (code, stderr) = start(&["--port", "0", "--data-dir", path]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("cognito-emulator: "), "{stderr}");
    assert!(
        stderr.contains(path),
        "the message names the directory: {stderr}"
    );
}
