// SPDX-License-Identifier: Apache-2.0
//! How long a client that hides user existence (PreventUserExistenceErrors ENABLED) takes to
//! refuse a wrong password and a user who does not exist: the two must not be told apart.
//! `cargo bench -p cognito-emulator --bench user_existence` (PAIRS=200 by default) prints the
//! median of each and of their difference over interleaved pairs, through the AWS SDK on
//! 127.0.0.1, for USER_PASSWORD_AUTH and for USER_SRP_AUTH's PASSWORD_VERIFIER answer.

use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, PreventUserExistenceErrorTypes,
};
use cognito_emulator::Emulator;
use cognito_srp::{Identity, PasswordVerifierChallenge, SrpClient};

const PASSWORD: &str = "Corr3ct-Horse!";

fn client(url: &str) -> Client {
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(Credentials::new("bench", "bench", None, None, "bench"))
        .build();
    Client::from_conf(config)
}

/// A pool without MFA, a client that hides user existence, and `users` confirmed users.
async fn pool(client: &Client, users: usize) -> (String, String) {
    let pool = client
        .create_user_pool()
        .pool_name("existence")
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let app = client
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("conceals")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    for n in 0..users {
        let name = format!("user-{n}");
        client
            .sign_up()
            .client_id(&app)
            .username(&name)
            .password(PASSWORD)
            .send()
            .await
            .unwrap();
        client
            .admin_confirm_sign_up()
            .user_pool_id(&pool)
            .username(&name)
            .send()
            .await
            .unwrap();
    }
    (pool, app)
}

async fn password_refusal(client: &Client, app: &str, username: &str) -> Duration {
    let started = Instant::now();
    let answer = client
        .initiate_auth()
        .client_id(app)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", "Wr0ng-guess!")
        .send()
        .await;
    let took = started.elapsed();
    assert!(answer.is_err(), "{username} signed in");
    took
}

/// The PASSWORD_VERIFIER answer only: the step where the claim is judged.
async fn claim_refusal(client: &Client, pool: &str, app: &str, username: &str) -> Duration {
    let srp = SrpClient::new().unwrap();
    let started = client
        .initiate_auth()
        .client_id(app)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("SRP_A", srp.srp_a())
        .send()
        .await
        .unwrap();
    let parameters = started.challenge_parameters.unwrap();
    let internal = &parameters["USER_ID_FOR_SRP"];
    let claim = srp
        .password_claim(
            &Identity::user(pool, internal).unwrap(),
            "Wr0ng-guess!",
            &PasswordVerifierChallenge {
                srp_b: &parameters["SRP_B"],
                salt: &parameters["SALT"],
                secret_block: &parameters["SECRET_BLOCK"],
            },
        )
        .unwrap();
    let answering = Instant::now();
    let answer = client
        .respond_to_auth_challenge()
        .client_id(app)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .session(started.session.unwrap())
        .challenge_responses("USERNAME", internal)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &claim.signature)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block)
        .challenge_responses("TIMESTAMP", &claim.timestamp)
        .send()
        .await;
    let took = answering.elapsed();
    assert!(answer.is_err(), "{username} signed in");
    took
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn report(what: &str, pairs: &[(Duration, Duration)]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let real = median(pairs.iter().map(|(real, _)| ms(*real)).collect());
    let unknown = median(pairs.iter().map(|(_, unknown)| ms(*unknown)).collect());
    let gap = median(pairs.iter().map(|(r, u)| ms(*u) - ms(*r)).collect());
    println!(
        "{what}: wrong password {real:.3} ms, unknown user {unknown:.3} ms, \
         median of (unknown - wrong) {gap:+.3} ms over {} pairs",
        pairs.len()
    );
}

fn main() {
    let pairs: usize = std::env::var("PAIRS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(200);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let emulator = Emulator::start_local().await.unwrap();
        let client = client(emulator.url());
        // One wrong answer per user, so none is locked out on the way.
        let (pool, app) = pool(&client, 2 * pairs).await;
        let mut password = Vec::new();
        let mut srp = Vec::new();
        for n in 0..pairs {
            let unknown = format!("nobody-{n}");
            let real = password_refusal(&client, &app, &format!("user-{n}")).await;
            password.push((real, password_refusal(&client, &app, &unknown).await));
            let real = claim_refusal(&client, &pool, &app, &format!("user-{}", pairs + n)).await;
            srp.push((real, claim_refusal(&client, &pool, &app, &unknown).await));
        }
        report("USER_PASSWORD_AUTH", &password);
        report("PASSWORD_VERIFIER", &srp);
        emulator.stop().await.unwrap();
    });
}
