// SPDX-License-Identifier: Apache-2.0
//! Hello, Amazon Cognito: lists the user pools of the account and region your AWS configuration
//! names (set AWS_ENDPOINT_URL to ask a local emulator instead).

use std::process::ExitCode;

use aws_config::BehaviorVersion;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::DisplayErrorContext;

// snippet-start:[cognitoidentityprovider.rust.hello]
#[tokio::main]
async fn main() -> ExitCode {
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
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
            eprintln!("ListUserPools failed: {}", DisplayErrorContext(&error));
            eprintln!(
                "Check your AWS credentials and region (aws configure), or set AWS_ENDPOINT_URL to a local emulator."
            );
            ExitCode::FAILURE
        }
    }
}
// snippet-end:[cognitoidentityprovider.rust.hello]
