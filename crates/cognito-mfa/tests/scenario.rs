// SPDX-License-Identifier: Apache-2.0
//! The scenario with scripted answers against an emulator in this process, whose clock the
//! script moves: every mistake a person can make is answered with a message and another try.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use cognito_emulator::{Clock, Emulator, EmulatorConfig, ManualClock};
use cognito_mfa::actions::{CognitoActions, Exception, PoolClient};
use cognito_mfa::http::JsonClient;
use cognito_mfa::pool_admin::PoolAdmin;
use cognito_mfa::prompt::{Confirmation, NextCode, Prompter, totp};
use cognito_mfa::report::Report;
use cognito_mfa::scenario::{Mailbox, Scenario, ScenarioConfig};
use cognito_mfa::tokens;
use zeroize::Zeroizing;

const GOOD_PASSWORD: &str = "Corr3ct-Horse!";

/// One scripted answer.
#[derive(Debug, Clone)]
enum Answer {
    Text(&'static str),
    /// Moves the emulator's clock before the next answer.
    Advance(Duration),
    /// A six-digit code that is not the one in the outbox.
    WrongCode,
    NewestCode,
    /// The code before the newest: superseded by a resend.
    PreviousCode,
    Resend,
    Yes,
    /// The code of the current step of the emulator's clock.
    Totp,
    /// The code of the next step.
    TotpNext,
    WrongTotp,
    /// The last TOTP code given again.
    SameTotpAgain,
}

#[derive(Clone, Default)]
struct Transcript(Arc<Mutex<Vec<u8>>>);

impl Write for Transcript {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Transcript {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

struct Scripted {
    answers: VecDeque<Answer>,
    clock: Arc<ManualClock>,
    emulator_url: String,
    http: JsonClient,
    last_totp: Option<String>,
    /// What each question was asked, in order, to check the scenario asked again.
    asked: Vec<&'static str>,
}

impl Scripted {
    fn next(&mut self, question: &'static str) -> Answer {
        self.asked.push(question);
        loop {
            match self.answers.pop_front() {
                Some(Answer::Advance(by)) => self.clock.advance(by),
                Some(answer) => return answer,
                None => panic!(
                    "the script ran out of answers at {question}; asked so far: {:?}",
                    self.asked
                ),
            }
        }
    }

    fn text(&mut self, question: &'static str) -> String {
        match self.next(question) {
            Answer::Text(text) => text.to_owned(),
            other => panic!("{question} expected text, the script has {other:?}"),
        }
    }

    async fn code(&self, back: usize) -> String {
        let outbox = self
            .http
            .get(&format!("{}/_emulator/messages", self.emulator_url))
            .await
            .unwrap();
        let messages = outbox["Messages"].as_array().unwrap();
        messages[messages.len() - 1 - back]["Code"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn newest_code(&self) -> String {
        self.code(0).await
    }

    fn step(&self) -> u64 {
        let now = self.clock.now().duration_since(UNIX_EPOCH).unwrap();
        now.as_secs() / totp::STEP_SECONDS
    }
}

impl Prompter for Scripted {
    fn is_interactive(&self) -> bool {
        true
    }

    async fn username(&mut self) -> io::Result<String> {
        Ok(self.text("username"))
    }

    async fn email(&mut self, _username: &str) -> io::Result<String> {
        Ok(self.text("email"))
    }

    async fn password(&mut self, _policy: &str) -> io::Result<Zeroizing<String>> {
        Ok(Zeroizing::new(self.text("password")))
    }

    async fn existing_password(&mut self, _username: &str) -> io::Result<Zeroizing<String>> {
        Ok(Zeroizing::new(self.text("existing password")))
    }

    async fn confirmation(&mut self, _destination: &str) -> io::Result<Confirmation> {
        Ok(match self.next("confirmation code") {
            Answer::Resend => Confirmation::Resend,
            Answer::NewestCode => Confirmation::Code(self.newest_code().await),
            Answer::PreviousCode => Confirmation::Code(self.code(1).await),
            Answer::WrongCode => {
                let real = self.newest_code().await;
                Confirmation::Code(if real == "000000" { "111111" } else { "000000" }.to_owned())
            }
            other => panic!("confirmation expected a code, the script has {other:?}"),
        })
    }

    async fn continue_unconfirmed(&mut self, _username: &str) -> io::Result<bool> {
        Ok(match self.next("continue with unconfirmed user") {
            Answer::Yes => true,
            other => panic!("expected yes, the script has {other:?}"),
        })
    }

    async fn totp_code(&mut self, secret: &str, next: NextCode) -> io::Result<String> {
        let question = match next {
            NextCode::Current => "TOTP code",
            NextCode::AfterUsed => "next TOTP code",
        };
        let code = match self.next(question) {
            Answer::Totp => totp::code_for_step(secret, self.step()).unwrap(),
            Answer::TotpNext => totp::code_for_step(secret, self.step() + 1).unwrap(),
            Answer::SameTotpAgain => self.last_totp.clone().expect("a code was given before"),
            Answer::WrongTotp => {
                let real = totp::code_for_step(secret, self.step()).unwrap();
                let wrong = (0..)
                    .map(|n| format!("{:06}", n * 111_111 % 1_000_000))
                    .find(|c| {
                        *c != real
                            && (self.step() - 1..=self.step() + 1)
                                .all(|step| totp::code_for_step(secret, step).unwrap() != *c)
                    });
                wrong.unwrap()
            }
            other => panic!("expected a TOTP answer, the script has {other:?}"),
        };
        self.last_totp = Some(code.clone());
        Ok(code)
    }
}

struct Setup {
    emulator: Emulator,
    client: aws_sdk_cognitoidentityprovider::Client,
    clock: Arc<ManualClock>,
    pool: PoolClient,
    actions: CognitoActions,
}

async fn setup() -> Setup {
    let clock = Arc::new(ManualClock::new());
    let emulator = Emulator::start(EmulatorConfig {
        clock: clock.clone(),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let client = {
        use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
        let config = aws_sdk_cognitoidentityprovider::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(emulator.url())
            .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
            .build();
        aws_sdk_cognitoidentityprovider::Client::from_conf(config)
    };
    let pool = PoolAdmin::new(client.clone())
        .create_scenario_pool("scripted")
        .await
        .unwrap();
    let actions = CognitoActions::new(client.clone(), pool.clone());
    Setup {
        emulator,
        client,
        clock,
        pool,
        actions,
    }
}

/// The scenario's settings on the test's emulator, its mail read from `outbox`.
fn config(setup: &Setup, outbox: &str) -> ScenarioConfig {
    ScenarioConfig {
        issuer: tokens::issuer(
            Some(setup.emulator.url()),
            "us-east-1",
            &setup.pool.user_pool_id,
        ),
        mailbox: Mailbox::Outbox {
            url: outbox.to_owned(),
        },
        password_policy: "8+ characters of every kind".to_owned(),
        qr_file: None,
    }
}

async fn play(
    setup: &Setup,
    answers: Vec<Answer>,
) -> (Result<(), String>, String, Vec<&'static str>) {
    play_with(setup, answers, setup.emulator.url(), None).await
}

/// Plays with the mail read from `outbox`, and to a terminal of `size` (columns, rows).
async fn play_with(
    setup: &Setup,
    answers: Vec<Answer>,
    outbox: &str,
    size: Option<(usize, usize)>,
) -> (Result<(), String>, String, Vec<&'static str>) {
    let http = JsonClient::new().unwrap();
    let transcript = Transcript::default();
    let mut scripted = Scripted {
        answers: answers.into(),
        clock: setup.clock.clone(),
        emulator_url: setup.emulator.url().to_owned(),
        http: http.clone(),
        last_totp: None,
        asked: Vec::new(),
    };
    let config = config(setup, outbox);
    let result = {
        let report = Report::new(Box::new(transcript.clone()));
        let report = match size {
            Some((columns, rows)) => report.with_size(columns, rows),
            None => report,
        };
        let mut scenario =
            Scenario::new(setup.actions.clone(), &mut scripted, report, http, config);
        let result = scenario.run().await.map_err(|e| e.to_string());
        scenario.clean_up().await.unwrap();
        result
    };
    assert!(
        scripted.answers.is_empty(),
        "unused answers: {:?}",
        scripted.answers
    );
    (result, transcript.text(), scripted.asked)
}

#[tokio::test]
// Long: one scripted run, where each mistake comes at its step.
async fn every_mistake_gets_a_message_and_another_try() {
    let setup = setup().await;
    // A confirmed user already has the name "taken".
    setup
        .actions
        .sign_up("taken", GOOD_PASSWORD, "taken@example.com")
        .await
        .unwrap();
    setup.actions.admin_confirm_sign_up("taken").await.unwrap();

    let (result, out, asked) = play(
        &setup,
        vec![
            // Weak password, then a name that is taken: only what was refused is asked again.
            Answer::Text("taken"),
            Answer::Text("jane@example.com"),
            Answer::Text("weak"),
            Answer::Text(GOOD_PASSWORD),
            Answer::Text("jane"),
            // Confirmation: a wrong code, a resend on request, the superseded code, then the newest.
            // (The emulator's clock stays within minutes of the real one: the device's SRP claim
            // carries a real-time TIMESTAMP.)
            Answer::WrongCode,
            Answer::Resend,
            Answer::PreviousCode,
            Answer::NewestCode,
            // MFA setup: a wrong code, then the session runs out, then it works.
            Answer::WrongTotp,
            Answer::Advance(Duration::from_secs(181)),
            Answer::Totp,
            Answer::Totp,
            // Sign-in with TOTP: the code VerifySoftwareToken spent, a wrong one, then the next one.
            Answer::SameTotpAgain,
            Answer::WrongTotp,
            Answer::TotpNext,
        ],
    )
    .await;
    assert_eq!(result, Ok(()), "{out}");
    assert_eq!(
        asked,
        [
            "username",
            "email",
            "password",
            "password",
            "username",
            "confirmation code",
            "confirmation code",
            "confirmation code",
            "confirmation code",
            "TOTP code",
            "TOTP code",
            "TOTP code",
            "next TOTP code",
            "next TOTP code",
            "TOTP code",
        ]
    );
    for expected in [
        "! Password did not conform with policy: Password not long enough. The pool asks for 8+ characters of every kind.",
        "! taken is taken (User already exists).",
        "AdminGetUser: taken exists with status CONFIRMED",
        "Choose another username.",
        "SignUp: jane signed up",
        "(The emulator's outbox: the newest email to jane says the code is ",
        "! That code does not match. Type it again, or ask for a new one.",
        "ResendConfirmationCode: a new code went to j***@e***.com; only it counts now",
        "! Invalid code provided, please request a code again. Sending a new code.",
        "ConfirmSignUp: jane is confirmed",
        "AdminInitiateAuth: challenge MFA_SETUP",
        "Scan this QR code with an authenticator app, or type the key below it:",
        "Key: ",
        "! That code does not match. Check the app shows this account",
        "! The sign-in session ended (Invalid session for the user, session is expired.) Each step has 3 minutes. Starting the sign-in again.",
        "VerifySoftwareToken: status SUCCESS",
        "AdminInitiateAuth: challenge SOFTWARE_TOKEN_MFA",
        "! That code does not match; try the one the app shows now.",
        "! Your software token has already been used once.",
        "SOFTWARE_TOKEN_MFA answered: tokens issued, with a new device to remember",
        "Both signatures verify against",
        "ConfirmDevice: device us-east-1_",
        "InitiateAuth: with DEVICE_KEY: challenge DEVICE_SRP_AUTH",
        "challenge DEVICE_PASSWORD_VERIFIER",
        "DEVICE_PASSWORD_VERIFIER answered with the SRP password claim: tokens issued, no TOTP code asked",
        "AdminDeleteUser: jane deleted",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    // The QR code is drawn with block characters.
    assert!(out.contains('█') || out.contains('▀') || out.contains('▄'));
    // Clean-up deleted the user; the one that was there before stays.
    assert!(
        setup
            .actions
            .admin_get_user("jane")
            .await
            .unwrap_err()
            .is(Exception::UserNotFound)
    );
    setup.actions.admin_get_user("taken").await.unwrap();
}

#[tokio::test]
async fn an_unconfirmed_name_can_be_taken_over_and_a_wrong_password_typed_again() {
    let setup = setup().await;
    // An earlier, abandoned sign-up.
    setup
        .actions
        .sign_up("pending", GOOD_PASSWORD, "pending@example.com")
        .await
        .unwrap();

    let (result, out, asked) = play(
        &setup,
        vec![
            Answer::Text("pending"),
            Answer::Text("pending@example.com"),
            Answer::Text("Another-Passw0rd"),
            Answer::Yes,
            Answer::NewestCode,
            // The password typed is not the one of the earlier sign-up.
            Answer::Text(GOOD_PASSWORD),
            Answer::Totp,
            Answer::TotpNext,
        ],
    )
    .await;
    assert_eq!(result, Ok(()), "{out}");
    assert_eq!(
        asked,
        [
            "username",
            "email",
            "password",
            "continue with unconfirmed user",
            "confirmation code",
            "existing password",
            "TOTP code",
            "next TOTP code",
        ]
    );
    assert!(
        out.contains("AdminGetUser: pending exists with status UNCONFIRMED"),
        "{out}"
    );
    assert!(
        out.contains("ResendConfirmationCode: a new code went to p***@e***.com"),
        "{out}"
    );
    assert!(
        out.contains(
            "! Cognito does not accept that password for this user: Incorrect username or password."
        ),
        "{out}"
    );
}

#[tokio::test]
async fn a_failed_step_still_cleans_up() {
    let setup = setup().await;
    // The pool stops requiring MFA under the scenario: sign-in returns tokens, not MFA_SETUP.
    setup
        .client
        .set_user_pool_mfa_config()
        .user_pool_id(&setup.pool.user_pool_id)
        .mfa_configuration(aws_sdk_cognitoidentityprovider::types::UserPoolMfaType::Off)
        .send()
        .await
        .unwrap();
    let (result, out) = straight_through(&setup, "quitter", setup.emulator.url()).await;
    let error = result.unwrap_err();
    assert!(
        error.contains("expected the MFA_SETUP challenge"),
        "{error}"
    );
    assert!(error.contains("Is MFA required in this pool"), "{error}");
    assert!(out.contains("AdminDeleteUser: quitter deleted"), "{out}");
    assert!(
        setup
            .actions
            .admin_get_user("quitter")
            .await
            .unwrap_err()
            .is(Exception::UserNotFound)
    );
}

/// The answers of a person who makes no mistake.
fn no_mistakes() -> Vec<Answer> {
    vec![
        Answer::Text("jane"),
        Answer::Text("jane@example.com"),
        Answer::Text(GOOD_PASSWORD),
        Answer::NewestCode,
        Answer::Totp,
        Answer::TotpNext,
    ]
}

/// The scenario straight through as `username`, its mail read from `outbox`; the result and
/// the transcript, after the clean-up.
async fn straight_through(
    setup: &Setup,
    username: &str,
    outbox: &str,
) -> (Result<(), String>, String) {
    let mut prompt = cognito_mfa::prompt::Automatic::new(Some(username.to_owned()), None, None);
    let transcript = Transcript::default();
    let mut scenario = Scenario::new(
        setup.actions.clone(),
        &mut prompt,
        Report::new(Box::new(transcript.clone())),
        JsonClient::new().unwrap(),
        config(setup, outbox),
    );
    let result = scenario.run().await.map_err(|e| e.to_string());
    scenario.clean_up().await.unwrap();
    (result, transcript.text())
}

#[tokio::test]
async fn without_an_outbox_a_person_types_the_code() {
    let setup = setup().await;
    let elsewhere = format!("{}/no-outbox-here", setup.emulator.url());
    // The code is read from the real outbox, as if from the inbox.
    let (result, out, asked) = play_with(&setup, no_mistakes(), &elsewhere, None).await;
    assert_eq!(result, Ok(()), "{out}");
    assert_eq!(asked[3], "confirmation code");
    assert!(
        out.contains(&format!("{elsewhere} has no outbox to show the email from")),
        "{out}"
    );
    assert!(out.contains("ConfirmSignUp: jane is confirmed"), "{out}");
}

#[tokio::test]
async fn without_an_outbox_straight_through_confirms_as_an_administrator() {
    let setup = setup().await;
    let elsewhere = format!("{}/no-outbox-here", setup.emulator.url());
    let (result, out) = straight_through(&setup, "walker", &elsewhere).await;
    assert_eq!(result, Ok(()), "{out}");
    assert!(
        out.contains(&format!("{elsewhere} has no outbox to read the code from")),
        "{out}"
    );
    assert!(
        out.contains("AdminConfirmSignUp: walker confirmed by an administrator"),
        "{out}"
    );
    assert!(!out.contains("ConfirmSignUp: walker is confirmed"), "{out}");
}

#[tokio::test]
async fn a_terminal_too_small_for_the_qr_code_is_told_what_to_do() {
    let setup = setup().await;
    let url = setup.emulator.url().to_owned();
    let (result, out, _) = play_with(&setup, no_mistakes(), &url, Some((80, 20))).await;
    assert_eq!(result, Ok(()), "{out}");
    assert!(
        out.contains("This terminal is 80x20; the QR code needs 37x24."),
        "{out}"
    );
    assert!(out.contains("--qr-file PATH"), "{out}");
    assert!(
        !out.contains('▀') && !out.contains('▄'),
        "a QR code was drawn:\n{out}"
    );
    assert!(out.contains("Key: "), "{out}");
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
}

#[tokio::test]
async fn too_many_wrong_codes_mean_waiting_not_a_failure() {
    let setup = setup().await;
    let mut answers = vec![
        Answer::Text("jane"),
        Answer::Text("jane@example.com"),
        Answer::Text(GOOD_PASSWORD),
    ];
    // Five wrong codes lock confirming for a second, the right code included.
    answers.extend(std::iter::repeat_n(Answer::WrongCode, 5));
    answers.extend([
        Answer::NewestCode,
        Answer::Advance(Duration::from_secs(2)),
        Answer::NewestCode,
        Answer::Totp,
        Answer::TotpNext,
    ]);
    let (result, out, _) = play(&setup, answers).await;
    assert_eq!(result, Ok(()), "{out}");
    assert!(
        out.contains(
            "! Attempt limit exceeded, please try after some time. Wait a few seconds, then type \
             the code again."
        ),
        "{out}"
    );
    assert!(out.contains("ConfirmSignUp: jane is confirmed"), "{out}");
}
