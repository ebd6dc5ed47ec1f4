// SPDX-License-Identifier: Apache-2.0
//! Hello, Amazon Cognito: lists the user pools of the account and region your AWS configuration
//! names (set AWS_ENDPOINT_URL to ask a local emulator instead).

// snippet-start:[cognitoidentityprovider.rust.hello]
use std::error::Error;
use std::process::ExitCode;

use aws_config::meta::credentials::CredentialsProviderChain;
use aws_config::meta::region::RegionProviderChain;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::Credentials;
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::operation::list_user_pools::ListUserPoolsError;

#[tokio::main]
async fn main() -> ExitCode {
    let config = load_config().await;
    let client = Client::new(&config);
    match client.list_user_pools().max_results(10).send().await {
        Ok(output) => {
            let pools = output.user_pools();
            println!("Hello, Amazon Cognito! {} user pool(s) here:", pools.len());
            for pool in pools {
                println!(
                    "  {}  {}",
                    pool.id().unwrap_or("?"),
                    pool.name().unwrap_or("(no name)")
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("hello: ListUserPools failed: {}", explain(&error, &config));
            ExitCode::FAILURE
        }
    }
}

/// Your AWS configuration. A local emulator (AWS_ENDPOINT_URL) checks no signatures, so there
/// placeholder credentials and us-east-1 stand in for what is not configured.
async fn load_config() -> SdkConfig {
    let loader = aws_config::defaults(BehaviorVersion::latest());
    if std::env::var_os("AWS_ENDPOINT_URL").is_none_or(|url| url.is_empty()) {
        return loader.load().await;
    }
    let placeholder = Credentials::new("local", "local", None, None, "placeholder");
    loader
        .credentials_provider(
            CredentialsProviderChain::default_provider()
                .await
                .or_else("placeholder", placeholder),
        )
        .region(RegionProviderChain::default_provider().or_else("us-east-1"))
        .load()
        .await
}

/// One line: what went wrong and what to do about it. (`DisplayErrorContext` would add the
/// SDK's debug dump of the error.)
fn explain(error: &SdkError<ListUserPoolsError>, config: &SdkConfig) -> String {
    if let Some(service) = error.as_service_error() {
        let code = service.code().unwrap_or("an error with no code");
        return format!("{code}: {}", service.message().unwrap_or("no message"));
    }
    let causes = || std::iter::successors(Some(error as &dyn Error), |&cause| cause.source());
    let not_loaded = |cause: &(dyn Error + 'static)| {
        matches!(
            cause.downcast_ref(),
            Some(CredentialsError::CredentialsNotLoaded(_))
        )
    };
    if causes().any(not_loaded) {
        return "no AWS credentials were found. Run aws configure (or aws sso login, or set AWS_PROFILE), or set AWS_ENDPOINT_URL to a local emulator.".to_owned();
    }
    if config.region().is_none() {
        return "no AWS region is configured. Set AWS_REGION, or a region in your AWS profile (aws configure).".to_owned();
    }
    let endpoint = config.endpoint_url().unwrap_or("Amazon Cognito");
    match error {
        SdkError::DispatchFailure(failure) if failure.is_io() || failure.is_timeout() => {
            format!("cannot reach {endpoint}. Is anything listening there, and is the network up?")
        }
        SdkError::TimeoutError(_) => format!("{endpoint} did not answer in time. Try again."),
        // Each cause's first line: some of the SDK's texts run on for several.
        _ => causes()
            .filter_map(|cause| cause.to_string().lines().next().map(str::to_owned))
            .collect::<Vec<_>>()
            .join(": "),
    }
}
// snippet-end:[cognitoidentityprovider.rust.hello]
