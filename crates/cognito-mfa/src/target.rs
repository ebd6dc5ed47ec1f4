// SPDX-License-Identifier: Apache-2.0
//! Where the scenario runs: on an emulator started in this process (the default: no account,
//! no network), on an emulator or other endpoint elsewhere, or on AWS. Builds the SDK client
//! and finds or creates the user pool.

use std::fmt;

use aws_config::BehaviorVersion;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::{Credentials, ProvideCredentials, Region};
use cognito_emulator::Emulator;

use crate::actions::{ActionError, PoolClient};
use crate::pool_admin::PoolAdmin;
use crate::random;

const DEFAULT_REGION: &str = "us-east-1";

#[derive(Debug, Clone, Default)]
pub struct TargetOptions {
    /// An endpoint other than AWS's, e.g. an emulator: the flag, else `AWS_ENDPOINT_URL`.
    pub endpoint_url: Option<String>,
    pub user_pool_id: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Create a temporary pool (deleted at the end) rather than use an existing one.
    pub create_pool: bool,
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An emulator in this process.
    Embedded,
    /// Another endpoint, normally an emulator run elsewhere.
    Endpoint,
    Aws,
}

/// The SDK client, the pool, and what to tear down at the end.
pub struct Target {
    pub place: Place,
    pub client: Client,
    pub pool: PoolClient,
    pub region: String,
    /// The endpoint, when it is not AWS.
    pub endpoint: Option<String>,
    /// Whether the pool was made for this run and is to be deleted with it.
    pub created_pool: bool,
    emulator: Option<Emulator>,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("place", &self.place)
            .field("pool", &self.pool)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
pub enum SetupError {
    /// Flags that do not go together, with what to do instead.
    Usage(String),
    /// No AWS credentials could be found, and why.
    Credentials(String),
    Emulator(cognito_emulator::StartError),
    EmulatorStop(std::io::Error),
    Action(ActionError),
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(message) => f.write_str(message),
            Self::Credentials(why) => write!(
                f,
                "no AWS credentials were found ({why}). Sign in (aws configure, aws sso login, or AWS_PROFILE), or leave out --user-pool-id and --create-pool to run on the built-in emulator."
            ),
            Self::Emulator(error) => write!(f, "cannot start the local emulator: {error}"),
            Self::EmulatorStop(error) => {
                write!(f, "the local emulator did not stop cleanly: {error}")
            }
            Self::Action(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for SetupError {}

impl From<ActionError> for SetupError {
    fn from(error: ActionError) -> Self {
        Self::Action(error)
    }
}

/// A client for an endpoint that is not AWS: any credentials do, and none are looked up.
fn local_client(endpoint: &str, region: &str) -> Client {
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            "local",
            "local",
            None,
            None,
            "cognito-mfa",
        ))
        .build();
    Client::from_conf(config)
}

impl TargetOptions {
    /// The endpoint to use instead of AWS's: the flag, else `AWS_ENDPOINT_URL`.
    pub fn endpoint(&self) -> Option<String> {
        self.endpoint_url.clone().or_else(|| {
            std::env::var("AWS_ENDPOINT_URL")
                .ok()
                .filter(|url| !url.is_empty())
        })
    }

    /// The pool given on the command line, if any; refuses flags that do not go together.
    fn existing_pool(&self) -> Result<Option<PoolClient>, SetupError> {
        let pool = match (&self.user_pool_id, &self.client_id) {
            (Some(pool), Some(client)) => Some(PoolClient {
                user_pool_id: pool.clone(),
                client_id: client.clone(),
                client_secret: self.client_secret.clone(),
            }),
            (None, None) => None,
            _ => {
                return Err(SetupError::Usage(
                    "--user-pool-id and --client-id go together (the stack's outputs \
                     UserPoolId and ClientId)"
                        .to_owned(),
                ));
            }
        };
        if pool.is_some() && self.create_pool {
            return Err(SetupError::Usage(
                "--create-pool makes a new pool: leave out --user-pool-id and --client-id"
                    .to_owned(),
            ));
        }
        Ok(pool)
    }

    fn local_region(&self) -> String {
        self.region
            .clone()
            .unwrap_or_else(|| DEFAULT_REGION.to_owned())
    }
}

/// A client for AWS from the standard configuration, with its region; the credentials are
/// checked now, since the scenario's first calls need none and would otherwise find out late.
async fn aws_client(region: Option<&str>) -> Result<(Client, String), SetupError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = region {
        loader = loader.region(Region::new(region.to_owned()));
    }
    let config = loader.load().await;
    let region = config.region().map(ToString::to_string).ok_or_else(|| {
        SetupError::Usage(
            "no AWS region is configured: pass --region, set AWS_REGION, or set a region in \
             your AWS profile"
                .to_owned(),
        )
    })?;
    match config.credentials_provider() {
        Some(provider) => provider
            .provide_credentials()
            .await
            .map_err(|e| SetupError::Credentials(e.to_string()))?,
        None => {
            return Err(SetupError::Credentials(
                "no credentials provider".to_owned(),
            ));
        }
    };
    Ok((Client::new(&config), region))
}

impl Target {
    pub async fn prepare(options: TargetOptions) -> Result<Self, SetupError> {
        let existing_pool = options.existing_pool()?;
        let (place, client, region, endpoint, emulator) = match options.endpoint() {
            None if existing_pool.is_none() && !options.create_pool => {
                let emulator = Emulator::start_local()
                    .await
                    .map_err(SetupError::Emulator)?;
                let (url, region) = (emulator.url().to_owned(), options.local_region());
                let client = local_client(&url, &region);
                (Place::Embedded, client, region, Some(url), Some(emulator))
            }
            Some(url) => {
                let region = options.local_region();
                let client = local_client(&url, &region);
                (Place::Endpoint, client, region, Some(url), None)
            }
            None => {
                let (client, region) = aws_client(options.region.as_deref()).await?;
                (Place::Aws, client, region, None, None)
            }
        };
        let (pool, created_pool) = match existing_pool {
            Some(pool) => (pool, false),
            None => {
                let name = format!("cognito-mfa-scenario-{}", random::name_suffix(6));
                let admin = PoolAdmin::new(client.clone());
                (admin.create_scenario_pool(&name).await?, true)
            }
        };
        Ok(Self {
            place,
            client,
            pool,
            region,
            endpoint,
            created_pool,
            emulator,
        })
    }

    /// Deletes the pool if this run created it, and stops the embedded emulator.
    pub async fn tear_down(mut self) -> Result<Option<String>, SetupError> {
        let deleted = if self.created_pool {
            PoolAdmin::new(self.client.clone())
                .delete_user_pool(&self.pool.user_pool_id)
                .await?;
            Some(self.pool.user_pool_id.clone())
        } else {
            None
        };
        if let Some(emulator) = self.emulator.take() {
            emulator.stop().await.map_err(SetupError::EmulatorStop)?;
        }
        Ok(deleted)
    }

    /// The endpoint when it is another emulator, which may lack what ours has: errors name it.
    pub fn foreign_endpoint(&self) -> Option<&str> {
        match self.place {
            Place::Endpoint => self.endpoint.as_deref(),
            Place::Embedded | Place::Aws => None,
        }
    }

    /// What to show the user: where this runs, and the pool.
    pub fn describe(&self) -> [String; 2] {
        let place = match self.place {
            Place::Embedded => format!(
                "Running on the Cognito emulator built into this program, at {}: no AWS \
                 account, and nothing leaves this machine.",
                self.endpoint.as_deref().unwrap_or_default()
            ),
            Place::Endpoint => format!(
                "Running on the endpoint {}.",
                self.endpoint.as_deref().unwrap_or_default()
            ),
            Place::Aws => format!("Running on Amazon Cognito in {}.", self.region),
        };
        let pool = format!(
            "User pool {} ({}), app client {}.",
            self.pool.user_pool_id,
            if self.created_pool {
                "created for this run, deleted at the end"
            } else {
                "yours, kept"
            },
            self.pool.client_id
        );
        [place, pool]
    }
}
