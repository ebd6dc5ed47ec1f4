// SPDX-License-Identifier: Apache-2.0
//! `cognito-mfa`: the scenario at a command prompt. With no flags it runs on the emulator built
//! into it, asking questions when a person is at the terminal and straight through otherwise.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use cognito_mfa::actions::{ActionError, CognitoActions, Exception, FailureKind};
use cognito_mfa::http::JsonClient;
use cognito_mfa::prompt::{Automatic, Prompter, Terminal};
use cognito_mfa::qr;
use cognito_mfa::report::Report;
use cognito_mfa::scenario::{Mailbox, Scenario, ScenarioConfig, ScenarioError};
use cognito_mfa::target::{Place, SetupError, Target, TargetOptions};
use cognito_mfa::tokens;
use zeroize::Zeroizing;

const PASSWORD_POLICY: &str =
    "at least 8 characters, with upper- and lower-case letters, a digit and a symbol";

/// Sign up an Amazon Cognito user with TOTP MFA, then sign in from a remembered device.
///
/// With no pool and no endpoint it runs offline on a Cognito emulator built into this program.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Answer every question automatically (also the case when stdin is not a terminal).
    #[arg(long)]
    non_interactive: bool,
    /// Username to sign up (straight through: generated when not given).
    #[arg(long)]
    username: Option<String>,
    /// Email address of the new user (straight through: <username>@example.com).
    #[arg(long)]
    email: Option<String>,
    /// Password of the new user (straight through: generated when not given). Prefer the
    /// environment variable: a flag's value is visible to other users of this machine.
    #[arg(long, env = "COGNITO_MFA_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// Endpoint of a Cognito emulator running elsewhere (default: $AWS_ENDPOINT_URL).
    #[arg(long)]
    endpoint_url: Option<String>,
    /// User pool to use on AWS, e.g. the CloudFormation stack's UserPoolId output.
    #[arg(long, requires = "client_id")]
    user_pool_id: Option<String>,
    /// App client of that pool (the stack's ClientId output).
    #[arg(long, requires = "user_pool_id")]
    client_id: Option<String>,
    /// Secret of the app client, if it has one.
    #[arg(long, env = "COGNITO_MFA_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Option<String>,
    /// Create a temporary pool with the scenario's settings (deleted at the end).
    #[arg(long, conflicts_with = "user_pool_id")]
    create_pool: bool,
    /// AWS Region (default: from your AWS configuration).
    #[arg(long)]
    region: Option<String>,
    /// Also save the TOTP secret's QR code as an image, .svg or .png (it holds the secret:
    /// delete it afterwards).
    #[arg(long, value_name = "PATH", value_parser = qr_file)]
    qr_file: Option<PathBuf>,
}

/// `--qr-file` must name an image format before anything runs, not at step 6.
fn qr_file(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    qr::ImageFormat::from_path(&path).map_err(|error| error.to_string())?;
    Ok(path)
}

#[tokio::main]
async fn main() -> ExitCode {
    // Off by default: RUST_LOG=debug shows the SDK's and the embedded emulator's logs. No
    // secret reaches them (tested at trace level).
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let interactive = !args.non_interactive && std::io::stdin().is_terminal();
    let code = run(args, interactive).await;
    if interactive {
        // A prompt may still be waiting on the keyboard after Ctrl-C: do not wait for it.
        std::process::exit(i32::from(code));
    }
    ExitCode::from(code)
}

async fn run(args: Args, interactive: bool) -> u8 {
    let options = TargetOptions {
        endpoint_url: args.endpoint_url.clone(),
        user_pool_id: args.user_pool_id.clone(),
        client_id: args.client_id.clone(),
        client_secret: args.client_secret.clone(),
        create_pool: args.create_pool,
        region: args.region.clone(),
    };
    let endpoint = options.endpoint();
    let target = match Target::prepare(options).await {
        Ok(target) => target,
        Err(error) => {
            eprintln!(
                "cognito-mfa: {}",
                explain_setup(&error, endpoint.as_deref())
            );
            return 1;
        }
    };
    let mut out = Report::stdout();
    out.heading(&format!(
        "Amazon Cognito: sign up a user with TOTP MFA and a remembered device, {}.",
        if interactive {
            "step by step"
        } else {
            "straight through"
        }
    ));
    for line in target.describe() {
        out.heading(&line);
    }
    let code = match JsonClient::new() {
        Ok(http) => {
            let config = scenario_config(&target, args.qr_file.clone());
            let actions = CognitoActions::new(target.client.clone(), target.pool.clone());
            let foreign = target.foreign_endpoint();
            if interactive {
                let scenario = Scenario::new(actions, Terminal::new(), out, http, config);
                play(scenario, foreign).await
            } else {
                let prompt =
                    Automatic::new(args.username, args.email, args.password.map(Zeroizing::new));
                play(Scenario::new(actions, prompt, out, http, config), foreign).await
            }
        }
        Err(error) => {
            eprintln!("cognito-mfa: {error}");
            1
        }
    };

    match target.tear_down().await {
        Ok(Some(pool)) => println!("   DeleteUserPool: {pool} deleted"),
        Ok(None) => {}
        Err(error) => {
            eprintln!("cognito-mfa: could not delete the pool this run created: {error}");
            return 1;
        }
    }
    code
}

/// Where the pool's tokens and mail come from, and what to tell a person.
fn scenario_config(target: &Target, qr_file: Option<PathBuf>) -> ScenarioConfig {
    ScenarioConfig {
        issuer: tokens::issuer(
            target.endpoint.as_deref(),
            &target.region,
            &target.pool.user_pool_id,
        ),
        mailbox: match (&target.endpoint, target.place) {
            (Some(url), Place::Embedded | Place::Endpoint) => Mailbox::Outbox { url: url.clone() },
            _ => Mailbox::Email,
        },
        password_policy: PASSWORD_POLICY.to_owned(),
        qr_file,
    }
}

/// Runs the scenario until it ends, fails or Ctrl-C, then cleans up in every case.
async fn play<P: Prompter>(mut scenario: Scenario<P>, endpoint: Option<&str>) -> u8 {
    let outcome = tokio::select! {
        result = scenario.run() => result.map_err(Some),
        _ = tokio::signal::ctrl_c() => Err(None),
    };
    let code = match &outcome {
        Ok(()) => 0,
        Err(Some(error)) if !is_interrupted(error) => {
            eprintln!("\ncognito-mfa: {}", explain(error, endpoint));
            1
        }
        Err(_) => {
            eprintln!("\ncognito-mfa: interrupted; cleaning up.");
            restore_terminal_echo();
            130
        }
    };
    match scenario.clean_up().await {
        Ok(()) => code,
        Err(_) if code != 0 => code,
        Err(_) => 1,
    }
}

/// Ctrl-C at a hidden password prompt reaches the scenario as an interrupted read, sometimes
/// before the signal itself: both are the same interruption.
fn is_interrupted(error: &ScenarioError) -> bool {
    matches!(error, ScenarioError::Input(input) if input.kind() == std::io::ErrorKind::Interrupted)
}

/// One line: what failed and what to do about it.
/// Said of a step another emulator could not do.
const TRY_OURS: &str = "The emulator built into this program does it: run without --endpoint-url.";

/// One line: what failed and what to do about it. `foreign` is the endpoint when it is not
/// AWS or the built-in emulator.
fn explain(error: &ScenarioError, foreign: Option<&str>) -> String {
    match (error, foreign) {
        (ScenarioError::Action(action), _) => explain_action(action, foreign),
        (ScenarioError::Input(input), _) => {
            format!("{input}. Run again, or use --non-interactive to have answers worked out.")
        }
        (ScenarioError::Answer { action, what }, Some(url)) => {
            format!(
                "{action} at {url}: {what} That endpoint does not do what Cognito does here. {TRY_OURS}"
            )
        }
        (other, _) => other.to_string(),
    }
}

fn explain_setup(error: &SetupError, endpoint: Option<&str>) -> String {
    match error {
        SetupError::Action(action) => explain_action(action, endpoint),
        other => other.to_string(),
    }
}

fn explain_action(error: &ActionError, foreign: Option<&str>) -> String {
    let action = error.action;
    match (error.kind, foreign) {
        (FailureKind::Credentials, _) => format!(
            "{action} failed: no AWS credentials were found. Sign in (aws configure, aws sso \
             login, or AWS_PROFILE), or leave out --user-pool-id and --create-pool to run on the \
             built-in emulator."
        ),
        (FailureKind::Unreachable, _) => format!(
            "{action} failed: cannot reach {}. Is the emulator running there, or is the network \
             down? ({})",
            foreign.unwrap_or("the service"),
            error.message
        ),
        (FailureKind::NotUnderstood, Some(url)) => format!(
            "{action} failed at {url}: {}. That endpoint may not emulate {action}. {TRY_OURS}",
            error.message
        ),
        (_, Some(url)) => match &error.code {
            Some(code) => format!("{action} failed at {url}: {code}: {}", error.message),
            None => format!("{action} failed at {url}: {}", error.message),
        },
        _ if error.is(Exception::ResourceNotFound) => format!(
            "{error}. Check --user-pool-id and --client-id (the stack's UserPoolId and ClientId \
             outputs) and the region."
        ),
        _ if error.is(Exception::AccessDenied) || error.is(Exception::UnrecognizedClient) => {
            format!(
                "{error}. The credentials lack the Cognito permissions the README lists, or are \
                 not valid."
            )
        }
        _ => error.to_string(),
    }
}

/// Ctrl-C at a masked password prompt leaves the terminal without echo; put it back.
fn restore_terminal_echo() {
    if let Ok(tty) = std::fs::File::open("/dev/tty") {
        let _ = std::process::Command::new("stty")
            .arg("echo")
            .stdin(tty)
            .status();
    }
}
