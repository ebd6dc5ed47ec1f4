// SPDX-License-Identifier: Apache-2.0
//! A pool's issuer (`iss`) is fixed when the pool is made: tokens stay valid when the emulator
//! comes back on another address, `--public-url` names the address clients reach it at, and
//! listening on every interface still gives an issuer clients can fetch keys from.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::ChallengeNameType;
use cognito_emulator::{Emulator, EmulatorConfig};
use common::{Harness, Pool, http, verified_claims_at};
use serde_json::Value;

/// A signed-in user's access and ID tokens; the user is made with TOTP on first use.
async fn signed_in(
    harness: &Harness,
    pool: &Pool,
    username: &str,
    secret: &str,
) -> (String, String) {
    // Each sign-in needs a TOTP code not used before.
    harness.clock.advance(Duration::from_secs(30));
    let challenge = harness.admin_password_sign_in(pool, username).await;
    let result = harness
        .client
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(challenge.session.unwrap())
        .challenge_responses("USERNAME", username)
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", harness.totp(secret, 0))
        .send()
        .await
        .expect("SOFTWARE_TOKEN_MFA answered")
        .authentication_result
        .unwrap();
    (result.access_token.unwrap(), result.id_token.unwrap())
}

/// A token's `iss`, read without checking the signature.
fn issuer_of(token: &str) -> String {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a JWT has a payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    let claims: Value = serde_json::from_slice(&bytes).unwrap();
    claims["iss"].as_str().expect("an iss claim").to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_from_before_a_restart_on_another_port_stay_valid() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.scenario_pool().await;
    let secret = harness.user_with_totp(&pool, "alice").await;
    let (old_access, old_id) = signed_in(&harness, &pool, "alice", &secret).await;
    let issuer = issuer_of(&old_access);
    assert_eq!(issuer, format!("{}/{}", harness.emulator.url(), pool.id));

    let harness = harness.restart_on_another_port().await;
    let client = &harness.client;

    let user = client
        .get_user()
        .access_token(&old_access)
        .send()
        .await
        .expect("GetUser takes an access token from before the restart");
    assert_eq!(user.username, "alice");
    client
        .list_devices()
        .access_token(&old_access)
        .send()
        .await
        .expect("ListDevices takes it too");
    client
        .associate_software_token()
        .access_token(&old_access)
        .send()
        .await
        .expect("AssociateSoftwareToken takes it too");
    // The keys that signed it are served at the new address, under the same path.
    let url = harness.emulator.url();
    let claims = verified_claims_at(url, &pool.id, &old_id).await;
    assert_eq!(claims["iss"], issuer.as_str());

    let (new_access, new_id) = signed_in(&harness, &pool, "alice", &secret).await;
    assert_eq!(issuer_of(&new_access), issuer);
    assert_eq!(issuer_of(&new_id), issuer);
}

/// Rewrites a stopped emulator's data directory as versions before pools kept their issuer
/// wrote it: pool settings without `issuer`.
fn forget_stored_issuers(dir: &Path) {
    let mut forgotten = 0;
    for file in fs::read_dir(dir).unwrap() {
        let path = file.unwrap().path();
        if path
            .extension()
            .is_none_or(|extension| extension != "jsonl")
        {
            continue;
        }
        let mut rewritten = String::new();
        for line in fs::read_to_string(&path).unwrap().lines() {
            let mut entry: Value = serde_json::from_str(line).unwrap();
            let settings = entry
                .pointer_mut("/value/settings")
                .and_then(Value::as_object_mut);
            if let Some(settings) = settings
                && settings.remove("issuer").is_some()
            {
                forgotten += 1;
            }
            rewritten.push_str(&entry.to_string());
            rewritten.push('\n');
        }
        fs::write(&path, rewritten).unwrap();
    }
    assert!(forgotten > 0, "the directory held a pool's settings");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pool_stored_before_pools_kept_their_issuer_gets_the_old_one_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.scenario_pool().await;
    let secret = harness.user_with_totp(&pool, "alice").await;
    let (old_access, _) = signed_in(&harness, &pool, "alice", &secret).await;
    let issuer = issuer_of(&old_access);

    // Restarted as before, on the same address: the issuer is named after it, as it was.
    let harness = harness.restart_after(forget_stored_issuers).await;
    harness
        .client
        .get_user()
        .access_token(&old_access)
        .send()
        .await
        .expect("GetUser takes the token from before the upgrade");

    // And it was written down: another address does not change it.
    let harness = harness.restart_on_another_port().await;
    harness
        .client
        .get_user()
        .access_token(&old_access)
        .send()
        .await
        .expect("GetUser takes it after a move too");
    let (new_access, _) = signed_in(&harness, &pool, "alice", &secret).await;
    assert_eq!(issuer_of(&new_access), issuer);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_public_url_new_pools_are_named_after_it_and_served_here() {
    let harness = Harness::start_configured(|config| {
        config.public_url = Some("http://cognito.test:9229/".to_owned());
    })
    .await;
    assert_eq!(harness.emulator.public_url(), "http://cognito.test:9229");
    assert!(harness.emulator.url().starts_with("http://127.0.0.1:"));
    let pool = harness.scenario_pool().await;
    let secret = harness.user_with_totp(&pool, "alice").await;
    let (access, id) = signed_in(&harness, &pool, "alice", &secret).await;

    let issuer = format!("http://cognito.test:9229/{}", pool.id);
    assert_eq!(issuer_of(&access), issuer);
    // The keys are at the issuer's path on the address the emulator listens on: what a proxy
    // or a published port in front of it forwards to.
    let url = harness.emulator.url();
    assert_eq!(
        verified_claims_at(url, &pool.id, &id).await["iss"],
        issuer.as_str()
    );
    assert_eq!(
        verified_claims_at(url, &pool.id, &access).await["iss"],
        issuer.as_str()
    );
    harness
        .client
        .get_user()
        .access_token(&access)
        .send()
        .await
        .expect("GetUser takes the pool's tokens");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_public_url_given_later_names_new_pools_and_leaves_old_ones_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let old_pool = harness.scenario_pool().await;
    let secret = harness.user_with_totp(&old_pool, "alice").await;
    let (old_access, _) = signed_in(&harness, &old_pool, "alice", &secret).await;
    let old_issuer = format!("{}/{}", harness.emulator.url(), old_pool.id);
    assert_eq!(issuer_of(&old_access), old_issuer);
    harness.emulator.stop().await.unwrap();

    let harness = Harness::start_configured(|config| {
        config.data_dir = Some(dir.path().to_owned());
        config.public_url = Some("https://auth.example.test/cognito".to_owned());
    })
    .await;
    harness
        .client
        .get_user()
        .access_token(&old_access)
        .send()
        .await
        .expect("the old pool keeps its issuer");
    let new_pool = harness.scenario_pool().await;
    let secret = harness.user_with_totp(&new_pool, "bob").await;
    let (new_access, _) = signed_in(&harness, &new_pool, "bob", &secret).await;
    assert_eq!(
        issuer_of(&new_access),
        format!("https://auth.example.test/cognito/{}", new_pool.id)
    );
}

#[tokio::test]
async fn a_malformed_public_url_stops_the_start_with_the_reason() {
    let start = |url: &str| {
        Emulator::start(EmulatorConfig {
            public_url: Some(url.to_owned()),
            ..EmulatorConfig::default()
        })
    };
    let error = start("cognito.test:9229").await.expect_err("no scheme");
    assert!(
        matches!(error, cognito_emulator::StartError::PublicUrl(_)),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        r#"invalid public URL "cognito.test:9229": it must start with http:// or https://"#
    );
    let error = start("http://cognito.test:9229/?pool=1")
        .await
        .expect_err("a query");
    assert_eq!(
        error.to_string(),
        r#"invalid public URL "http://cognito.test:9229/?pool=1": it must not have a query (?) or a fragment (#)"#
    );
}

/// How a run of the binary went up to the point it said it was listening (it is then
/// stopped), or up to its exit.
struct Run {
    listening: bool,
    exit_code: Option<i32>,
    stderr: String,
}

fn run_binary(args: &[&str], public_url_variable: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"));
    command
        .args(["--port", "0"])
        .args(args)
        .env("RUST_LOG", "warn")
        .env_remove("COGNITO_EMULATOR_PUBLIC_URL")
        .env_remove("COGNITO_EMULATOR_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(url) = public_url_variable {
        command.env("COGNITO_EMULATOR_PUBLIC_URL", url);
    }
    let mut child = command.spawn().expect("the emulator binary starts");
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let listening = first_line.starts_with("cognito-emulator listening on ");
    if listening {
        child.kill().unwrap();
    }
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    Run {
        listening,
        exit_code: status.code(),
        stderr,
    }
}

#[test]
fn the_binary_refuses_a_malformed_public_url_in_one_line() {
    for (args, variable) in [
        (&["--public-url", "ftp://cognito.test"][..], None),
        (&[][..], Some("ftp://cognito.test")),
    ] {
        let run = run_binary(args, variable);
        assert!(!run.listening);
        assert_eq!(run.exit_code, Some(1));
        assert_eq!(
            run.stderr,
            "cognito-emulator: invalid public URL \"ftp://cognito.test\": \
             it must start with http:// or https://\n"
        );
    }
}

#[test]
fn the_binary_says_what_issuer_new_pools_get_when_it_is_not_the_listen_address() {
    let run = run_binary(&[], Some("http://cognito.test:9229/"));
    assert!(run.listening, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "cognito-emulator: new pools' issuer is http://cognito.test:9229/<pool id>\n"
    );

    let run = run_binary(&["--host", "0.0.0.0"], None);
    assert!(run.listening, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("new pools' issuer is http://127.0.0.1:")
            && run.stderr.contains("set --public-url"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn listening_on_every_interface_names_pools_after_loopback() {
    let harness = Harness::start_configured(|config| {
        config.host = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    })
    .await;
    let url = harness.emulator.url().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(harness.emulator.public_url(), url);
    let pool = harness.scenario_pool().await;
    let secret = harness.user_with_totp(&pool, "alice").await;
    let (access, _) = signed_in(&harness, &pool, "alice", &secret).await;
    let issuer = issuer_of(&access);
    assert_eq!(issuer, format!("{url}/{}", pool.id));
    // A client finds the keys where the issuer says.
    let (host, path) = issuer.split_at(url.len());
    let (status, _) = http(
        host,
        "GET",
        &format!("{path}/.well-known/jwks.json"),
        &[],
        "",
    )
    .await;
    assert_eq!(status, 200);
}
