// SPDX-License-Identifier: Apache-2.0
//! The interactive mode in a pseudo-terminal of a set size, answered as a person would: typos
//! first, the code read off the screen, the QR code decoded off the screen as a phone would,
//! and Ctrl-C at the prompts.

#[path = "support/qr_screen.rs"]
mod qr_screen;

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use cognito_mfa::prompt::totp;
use rexpect::error::Error;
use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};

const PASSWORD: &str = "Typed-Passw0rd!";

/// A code of the person's authenticator app, `step_offset` steps from now.
fn code(secret: &str, step_offset: i64) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let step = (now.as_secs() / totp::STEP_SECONDS).saturating_add_signed(step_offset);
    totp::code_for_step(secret, step).unwrap()
}

/// The scenario in a terminal of `columns` x `rows`, keeping all it shows.
struct Terminal {
    session: PtySession,
    screen: String,
}

impl Terminal {
    fn open(columns: u16, rows: u16) -> Result<Self, Error> {
        // stty sizes the terminal before the program starts, as a window would be, and turns
        // echo back on (rexpect turns it off), so typed answers show as on a person's screen.
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!(
                "stty cols {columns} rows {rows} echo && exec \"$0\""
            ))
            .arg(env!("CARGO_BIN_EXE_cognito-mfa"))
            .env_remove("AWS_ENDPOINT_URL")
            .env("AWS_EC2_METADATA_DISABLED", "true");
        Ok(Self {
            session: spawn_command(command, Some(30_000))?,
            screen: String::new(),
        })
    }

    fn expect(&mut self, text: &str) -> Result<(), Error> {
        let before = self.session.exp_string(text)?;
        self.screen.push_str(&before);
        self.screen.push_str(text);
        Ok(())
    }

    /// Waits for `pattern` and returns what matched.
    fn expect_regex(&mut self, pattern: &str) -> Result<String, Error> {
        let (before, matched) = self.session.exp_regex(pattern)?;
        self.screen.push_str(&before);
        self.screen.push_str(&matched);
        Ok(matched)
    }

    fn type_line(&mut self, line: &str) -> Result<(), Error> {
        self.session.send_line(line)?;
        Ok(())
    }

    /// What the screen shows so far: rexpect hands over each byte as a char.
    fn text(&self) -> String {
        let bytes: Vec<u8> = self.screen.chars().map(|c| c as u32 as u8).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    fn finish(mut self, code: i32) -> Result<String, Error> {
        let rest = self.session.exp_eof()?;
        self.screen.push_str(&rest);
        match self.session.process().wait()? {
            WaitStatus::Exited(_, exited) if exited == code => Ok(self.text()),
            other => panic!("exited with {other:?}, not {code}:\n{}", self.text()),
        }
    }
}

/// The screen's lines as a person sees them: colours and carriage returns taken out.
fn visible_lines(screen: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut chars = screen.chars();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            '\r' => {}
            c => plain.push(c),
        }
    }
    plain.lines().map(str::to_owned).collect()
}

/// Signs up, confirms and enrols as a person would at a terminal of this size, and checks what
/// the person sees on the way.
// Long: one terminal session, prompt by prompt, as a person types.
fn a_person_signs_up(columns: u16, rows: u16) -> Result<(), Error> {
    let mut terminal = Terminal::open(columns, rows)?;
    terminal.expect("sign up a user with TOTP MFA")?;
    terminal.expect("Username for the new user: ")?;
    terminal.type_line("jane doe")?;
    terminal.expect("   ! A username cannot contain spaces.")?;
    terminal.expect("Username for the new user: ")?;
    terminal.type_line("jane")?;
    terminal.expect("Email address for jane")?;
    terminal.type_line("jane@example.com")?;

    // Passwords are typed twice and not echoed.
    terminal.expect("Password (not shown as you type): ")?;
    terminal.type_line(PASSWORD)?;
    terminal.expect("Password again: ")?;
    terminal.type_line("Something-Else1!")?;
    terminal.expect("   ! The two passwords differ; once more.")?;
    terminal.expect("Password (not shown as you type): ")?;
    terminal.type_line(PASSWORD)?;
    terminal.expect("Password again: ")?;
    terminal.type_line(PASSWORD)?;
    terminal.expect("SignUp: jane signed up")?;

    // The emulator's outbox stands in for the inbox.
    let shown = terminal.expect_regex(r"the code is \d{6}")?;
    let first = shown[shown.len() - 6..].to_owned();
    terminal.expect("or r to send a new one: ")?;
    terminal.type_line("12345")?;
    terminal.expect("   ! A code is 6 digits.")?;
    terminal.type_line(if first == "000000" {
        "111111"
    } else {
        "000000"
    })?;
    terminal.expect("   ! That code does not match")?;
    terminal.expect("or r to send a new one: ")?;
    terminal.type_line("r")?;
    terminal.expect("ResendConfirmationCode: a new code went to j***@e***.com")?;
    let shown = terminal.expect_regex(r"the code is \d{6}")?;
    let newest = shown[shown.len() - 6..].to_owned();
    terminal.expect("or r to send a new one: ")?;
    terminal.type_line(&newest)?;
    terminal.expect("ConfirmSignUp: jane is confirmed")?;

    // The authenticator: a QR code the "phone" reads off the screen, and the key.
    terminal.expect("AdminInitiateAuth: challenge MFA_SETUP")?;
    terminal.expect("authenticator app (TOTP).")?;
    terminal.expect("Scan this QR code")?;
    let key = terminal.expect_regex(r"Key: [A-Z2-7]{32}")?;
    let secret = key[key.len() - 32..].to_owned();
    terminal.expect("Code your authenticator app shows now: ")?;
    let screen = terminal.text();
    let lines = visible_lines(&screen);
    let top = lines
        .iter()
        .rposition(|line| line.contains("Scan this QR code"))
        .unwrap();
    assert!(
        lines.len() - top <= usize::from(rows),
        "from the line above the QR code to the prompt takes {} rows of {rows}",
        lines.len() - top
    );
    let Some(scanned) = qr_screen::decode_terminal_qr(&screen) else {
        panic!("the QR code does not decode from:\n{screen}");
    };
    assert_eq!(
        scanned,
        format!("otpauth://totp/Cognito:jane?secret={secret}")
    );
    terminal.type_line(&code(&secret, 0))?;
    terminal.expect("VerifySoftwareToken: status SUCCESS")?;

    // Step 8 comes seconds after step 7 used the code the app still shows.
    terminal.expect("AdminInitiateAuth: challenge SOFTWARE_TOKEN_MFA")?;
    // Wait for the next code (the same 30 seconds), or the app has moved on already.
    terminal.expect_regex(r"next\s+one\s+comes\s+in\s+[0-9]+\s+s\.|shows\s+a\s+new\s+code")?;
    terminal.expect("Next code from your app: ")?;
    terminal.type_line(&code(&secret, 1))?;
    terminal.expect("SOFTWARE_TOKEN_MFA answered")?;
    terminal.expect("InitiateAuth: with DEVICE_KEY: challenge DEVICE_SRP_AUTH")?;
    terminal.expect("DEVICE_PASSWORD_VERIFIER answered")?;
    terminal.expect("AdminDeleteUser: jane deleted")?;
    terminal.expect("DeleteUserPool: ")?;
    let screen = terminal.finish(0)?;

    // Nothing runs past the edge, where the terminal would break it mid-word.
    for line in visible_lines(&screen) {
        assert!(
            line.chars().count() <= usize::from(columns),
            "{} columns: {line:?}",
            line.chars().count()
        );
    }
    assert!(!screen.contains(PASSWORD), "the password was echoed");
    Ok(())
}

#[test]
fn a_person_answers_the_questions_at_an_80_by_24_terminal() -> Result<(), Error> {
    a_person_signs_up(80, 24)
}

#[test]
fn a_wider_terminal_gets_the_same_session() -> Result<(), Error> {
    a_person_signs_up(120, 40)
}

/// An 80x24 session that has given a username and email and is asked for the password.
fn at_the_password_prompt(username: &str) -> Result<Terminal, Error> {
    let mut terminal = Terminal::open(80, 24)?;
    terminal.expect("Username for the new user: ")?;
    terminal.type_line(username)?;
    terminal.expect(&format!("Email address for {username}"))?;
    terminal.type_line(&format!("{username}@example.com"))?;
    terminal.expect("Password (not shown as you type): ")?;
    Ok(terminal)
}

#[test]
fn ctrl_c_at_the_hidden_password_prompt_always_interrupts_cleanly() -> Result<(), Error> {
    // rpassword reports Ctrl-C as a failed read and as SIGINT, in either order.
    for _ in 0..20 {
        let mut terminal = at_the_password_prompt("quitter")?;
        terminal.session.send_control('c')?;
        terminal.expect("interrupted; cleaning up.")?;
        terminal.expect("DeleteUserPool: ")?;
        let screen = terminal.finish(130)?;
        assert!(!screen.contains("Run again"), "{screen}");
    }
    Ok(())
}

#[test]
fn ctrl_c_at_a_prompt_still_deletes_the_user() -> Result<(), Error> {
    let mut terminal = at_the_password_prompt("quitter")?;
    terminal.type_line(PASSWORD)?;
    terminal.expect("Password again: ")?;
    terminal.type_line(PASSWORD)?;
    terminal.expect("SignUp: quitter signed up")?;
    terminal.expect("or r to send a new one: ")?;
    terminal.session.send_control('c')?;
    terminal.expect("interrupted; cleaning up.")?;
    terminal.expect("AdminDeleteUser: quitter deleted")?;
    terminal.expect("DeleteUserPool: ")?;
    terminal.finish(130)?;
    Ok(())
}
