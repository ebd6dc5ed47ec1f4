// SPDX-License-Identifier: Apache-2.0
//! An app client's secrets: AddUserPoolClientSecret, ListUserPoolClientSecrets,
//! DeleteUserPoolClientSecret. A client keeps up to two, so that a secret can be replaced
//! without downtime: while both are live, either one signs SECRET_HASH and authenticates the
//! client (see `AppClient::live_secrets`).

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::config::ClientSecret;
use crate::crypto::random;
use crate::service::clock::epoch_seconds;
use crate::service::model::PoolState;
use crate::service::{Empty, Service, ServiceError, ServiceResult};

/// Documented: "up to 2 active secrets per app client".
const MAX_SECRETS: usize = 2;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddUserPoolClientSecretRequest {
    pub user_pool_id: String,
    pub client_id: String,
    pub client_secret: Option<Zeroizing<String>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddUserPoolClientSecretAnswer {
    pub client_secret_descriptor: ClientSecretDescriptorType,
}

/// Its NextToken is never needed, and not read: both secrets fit on one page.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientSecretsRequest {
    pub user_pool_id: String,
    pub client_id: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientSecretsAnswer {
    pub client_secrets: Vec<ClientSecretDescriptorType>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserPoolClientSecretRequest {
    pub user_pool_id: String,
    pub client_id: String,
    pub client_secret_id: String,
}

/// `ClientSecretDescriptorType`. The value is shown only when the service generated it, and
/// only in the answer that created it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientSecretDescriptorType {
    pub client_secret_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret_value: Option<Zeroizing<String>>,
    pub client_secret_create_date: f64,
}

impl ClientSecretDescriptorType {
    fn of(secret: &ClientSecret, value: Option<Zeroizing<String>>) -> Self {
        Self {
            client_secret_id: secret.id.clone(),
            client_secret_value: value,
            client_secret_create_date: epoch_seconds(secret.created),
        }
    }
}

/// A new secret: the value given, or a generated one.
pub fn new_secret(value: Option<Zeroizing<String>>, now: SystemTime) -> ClientSecret {
    ClientSecret {
        id: random::from_alphabet(random::LOWER_ALPHANUMERIC, 26),
        value: value.unwrap_or_else(|| {
            Zeroizing::new(random::from_alphabet(random::LOWER_ALPHANUMERIC, 51))
        }),
        created: now,
    }
}

/// Clients stored with the one secret clients had before they had several get it as their
/// first entry, created with the client; the changed clients are journaled on the next release
/// of the lock.
pub fn adopt_legacy_secrets(state: &mut PoolState) {
    let legacy: Vec<String> = state
        .clients
        .iter()
        .filter(|(_, client)| client.secret.is_some())
        .map(|(id, _)| id.clone())
        .collect();
    for id in legacy {
        if let Some(client) = state.clients.get_mut(&id)
            && let Some(value) = client.secret.take()
        {
            client.secrets.insert(
                0,
                ClientSecret {
                    id: format!("{}-original", client.id),
                    value,
                    created: client.created,
                },
            );
        }
    }
}

impl Service {
    pub fn add_user_pool_client_secret(
        &self,
        request: AddUserPoolClientSecretRequest,
    ) -> ServiceResult<AddUserPoolClientSecretAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let client = state
            .clients
            .get_mut(&request.client_id)
            .ok_or_else(|| ServiceError::client_not_found(&request.client_id))?;
        if !client.has_secret() {
            return Err(ServiceError::invalid_parameter(
                "Secrets can be added only to a confidential app client, one created with a client secret.",
            ));
        }
        if client.secrets.len() >= MAX_SECRETS {
            return Err(ServiceError::new(
                "LimitExceededException",
                format!(
                    "An app client can have at most {MAX_SECRETS} client secrets. Delete one first."
                ),
            ));
        }
        let generated = request.client_secret.is_none();
        let secret = new_secret(request.client_secret, now);
        let shown = generated.then(|| secret.value.clone());
        let descriptor = ClientSecretDescriptorType::of(&secret, shown);
        client.secrets.push(secret);
        client.modified = now;
        Ok(AddUserPoolClientSecretAnswer {
            client_secret_descriptor: descriptor,
        })
    }

    pub fn list_user_pool_client_secrets(
        &self,
        request: ListUserPoolClientSecretsRequest,
    ) -> ServiceResult<ListUserPoolClientSecretsAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let client = state.client(&request.client_id)?;
        Ok(ListUserPoolClientSecretsAnswer {
            client_secrets: client
                .secrets
                .iter()
                .map(|secret| ClientSecretDescriptorType::of(secret, None))
                .collect(),
        })
    }

    pub fn delete_user_pool_client_secret(
        &self,
        request: DeleteUserPoolClientSecretRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let client = state
            .clients
            .get_mut(&request.client_id)
            .ok_or_else(|| ServiceError::client_not_found(&request.client_id))?;
        let Some(index) = client
            .secrets
            .iter()
            .position(|secret| secret.id == request.client_secret_id)
        else {
            return Err(ServiceError::resource_not_found(format!(
                "Client secret {} does not exist.",
                request.client_secret_id
            )));
        };
        if client.secrets.len() == 1 {
            return Err(ServiceError::invalid_parameter(
                "The last remaining secret of an app client cannot be deleted.",
            ));
        }
        client.secrets.remove(index);
        client.modified = now;
        Ok(Empty {})
    }
}
