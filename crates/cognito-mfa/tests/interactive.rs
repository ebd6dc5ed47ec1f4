// SPDX-License-Identifier: Apache-2.0
//! The interactive mode in a pseudo-terminal, answered as a person would: typos first, the
//! code read off the screen, the authenticator key typed into an "app" (computed here).

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use cognito_emulator::crypto::totp;
use rexpect::process::WaitStatus;
use rexpect::session::spawn_command;

const PASSWORD: &str = "Typed-Passw0rd!";

fn code(secret: &str, step_offset: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    totp::code_for_step(secret, totp::step_at(now) + step_offset).unwrap()
}

#[test]
fn a_person_answers_the_questions_at_a_terminal() -> Result<(), rexpect::error::Error> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cognito-mfa"));
    command
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    let mut terminal = spawn_command(command, Some(30_000))?;

    terminal.exp_string("step by step")?;
    terminal.exp_string("Username for the new user: ")?;
    terminal.send_line("jane doe")?;
    terminal.exp_string("A username cannot contain spaces.")?;
    terminal.exp_string("Username for the new user: ")?;
    terminal.send_line("jane")?;
    terminal.exp_string("Email address for jane")?;
    terminal.send_line("jane@example.com")?;

    // Passwords are typed twice and not echoed.
    terminal.exp_string("Password (")?;
    terminal.send_line(PASSWORD)?;
    let shown = terminal.exp_string("Password again: ")?;
    assert!(
        !shown.contains(PASSWORD),
        "the password was echoed: {shown:?}"
    );
    terminal.send_line("Something-Else1!")?;
    terminal.exp_string("The two passwords differ; once more.")?;
    terminal.exp_string("Password (")?;
    terminal.send_line(PASSWORD)?;
    terminal.exp_string("Password again: ")?;
    terminal.send_line(PASSWORD)?;
    terminal.exp_string("SignUp: jane signed up")?;

    // The emulator's outbox stands in for the inbox.
    let (_, line) = terminal.exp_regex(r"the code is \d{6}")?;
    let first = line[line.len() - 6..].to_owned();
    terminal.exp_string("or r to send a new one: ")?;
    terminal.send_line("12345")?;
    terminal.exp_string("A code is 6 digits.")?;
    terminal.send_line(if first == "000000" {
        "111111"
    } else {
        "000000"
    })?;
    terminal.exp_string("That code does not match")?;
    terminal.exp_string("or r to send a new one: ")?;
    terminal.send_line("r")?;
    terminal.exp_string("ResendConfirmationCode: a new code went to j***@e***.com")?;
    let (_, line) = terminal.exp_regex(r"the code is \d{6}")?;
    let newest = line[line.len() - 6..].to_owned();
    terminal.exp_string("or r to send a new one: ")?;
    terminal.send_line(&newest)?;
    terminal.exp_string("ConfirmSignUp: jane is confirmed")?;

    // The authenticator: a QR code and the key, which our "app" takes.
    terminal.exp_string("AdminInitiateAuth: challenge MFA_SETUP")?;
    terminal.exp_string("Scan this QR code")?;
    let (_, line) = terminal.exp_regex(r"enter this key by hand: [A-Z2-7]{32}")?;
    let secret = line[line.len() - 32..].to_owned();
    terminal.exp_string("Code your authenticator app shows now: ")?;
    terminal.send_line(&code(&secret, 0))?;
    terminal.exp_string("VerifySoftwareToken: status SUCCESS")?;

    terminal.exp_string("AdminInitiateAuth: challenge SOFTWARE_TOKEN_MFA")?;
    terminal.exp_string("Code your authenticator app shows now: ")?;
    terminal.send_line(&code(&secret, 1))?;
    terminal.exp_string("SOFTWARE_TOKEN_MFA answered")?;
    terminal.exp_string("InitiateAuth: with DEVICE_KEY: challenge DEVICE_SRP_AUTH")?;
    terminal.exp_string("no TOTP code asked")?;
    terminal.exp_string("AdminDeleteUser: jane deleted")?;
    terminal.exp_string("DeleteUserPool: ")?;
    terminal.exp_eof()?;
    match terminal.process().wait()? {
        WaitStatus::Exited(_, 0) => Ok(()),
        other => panic!("exited with {other:?}"),
    }
}

#[test]
fn ctrl_c_at_a_prompt_still_deletes_the_user() -> Result<(), rexpect::error::Error> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cognito-mfa"));
    command
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    let mut terminal = spawn_command(command, Some(30_000))?;
    terminal.exp_string("Username for the new user: ")?;
    terminal.send_line("quitter")?;
    terminal.exp_string("Email address for quitter")?;
    terminal.send_line("quitter@example.com")?;
    terminal.exp_string("Password (")?;
    terminal.send_line(PASSWORD)?;
    terminal.exp_string("Password again: ")?;
    terminal.send_line(PASSWORD)?;
    terminal.exp_string("SignUp: quitter signed up")?;
    terminal.exp_string("or r to send a new one: ")?;
    terminal.send_control('c')?;
    terminal.exp_string("interrupted; cleaning up.")?;
    terminal.exp_string("AdminDeleteUser: quitter deleted")?;
    terminal.exp_string("DeleteUserPool: ")?;
    terminal.exp_eof()?;
    match terminal.process().wait()? {
        WaitStatus::Exited(_, 130) => Ok(()),
        other => panic!("exited with {other:?}"),
    }
}
