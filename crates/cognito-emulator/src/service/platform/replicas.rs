// SPDX-License-Identifier: Apache-2.0
//! CreateUserPoolReplica, DeleteUserPoolReplica, ListUserPoolReplicas, UpdateUserPoolReplica.
//!
//! The emulator answers in one Region, so a replica is a record of the pool's replication
//! settings: stored, checked against the documented rules (a paid feature plan, at most one
//! secondary, never in the primary's own Region, only an inactive replica deleted) and listed
//! with the primary, but it serves no requests of its own.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::state::{Replica, ReplicaStatus};
use super::{MAX_PAGE, page, require_paid_tier};
use crate::service::model::{ACCOUNT_ID, PoolSettings};
use crate::service::{Service, ServiceError, ServiceResult};

/// A user directory has at most one secondary replica.
const MAX_SECONDARY_REPLICAS: usize = 1;
/// The tags one resource may carry.
const MAX_TAGS: usize = 50;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolReplicaRequest {
    pub user_pool_id: String,
    pub region_name: String,
    #[serde(default)]
    pub user_pool_tags: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReplicaRequest {
    pub user_pool_id: String,
    pub region_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolReplicaRequest {
    pub user_pool_id: String,
    pub region_name: String,
    pub status: ReplicaStatus,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolReplicasRequest {
    pub user_pool_id: String,
    pub next_token: Option<String>,
}

/// `UserPoolReplicaType`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolReplicaType {
    pub region_name: String,
    pub status: ReplicaStatus,
    pub role: &'static str,
    pub user_pool_arn: String,
}

/// The answer of the operations on one replica.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolReplicaAnswer {
    pub user_pool_replica: UserPoolReplicaType,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolReplicasAnswer {
    pub user_pool_replicas: Vec<UserPoolReplicaType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl Service {
    pub fn create_user_pool_replica(
        &self,
        request: CreateUserPoolReplicaRequest,
    ) -> ServiceResult<UserPoolReplicaAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        require_paid_tier(&state.settings, "Multi-Region replication")?;
        let region = request.region_name;
        check_region_name(&region)?;
        if region == state.settings.region {
            return Err(ServiceError::invalid_parameter(format!(
                "User pool {} is in {region} already: a replica must be in another Region.",
                state.settings.id
            )));
        }
        check_tags(&request.user_pool_tags)?;
        if state.platform.replicas.contains_key(&region) {
            return Err(ServiceError::invalid_parameter(format!(
                "User pool {} already has a replica in {region}.",
                state.settings.id
            )));
        }
        if state.platform.replicas.len() >= MAX_SECONDARY_REPLICAS {
            return Err(ServiceError::new(
                "LimitExceededException",
                format!(
                    "User pool {} already has {MAX_SECONDARY_REPLICAS} secondary replica, the most it can have.",
                    state.settings.id
                ),
            ));
        }
        // Nothing is provisioned, so the replica is ready at once, inactive as new ones start.
        let replica = Replica {
            region: region.clone(),
            status: ReplicaStatus::Inactive,
            tags: request.user_pool_tags,
            created: self.now(),
        };
        let answer = secondary(&state.settings, &replica);
        state.platform.replicas.insert(region, replica);
        Ok(UserPoolReplicaAnswer {
            user_pool_replica: answer,
        })
    }

    /// `signed_region` is the Region the request was signed for: a replica is deleted from
    /// the primary Region only.
    pub fn delete_user_pool_replica(
        &self,
        request: ReplicaRequest,
        signed_region: Option<&str>,
    ) -> ServiceResult<UserPoolReplicaAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        if let Some(signed) = signed_region.filter(|signed| *signed != state.settings.region) {
            return Err(ServiceError::invalid_parameter(format!(
                "A replica is deleted from the primary Region {} of user pool {}, not from {signed}.",
                state.settings.region, state.settings.id
            )));
        }
        refuse_primary(&state.settings, &request.region_name, "deleted")?;
        let replica = state
            .platform
            .replicas
            .get(&request.region_name)
            .ok_or_else(|| replica_not_found(&state.settings, &request.region_name))?;
        if replica.status != ReplicaStatus::Inactive {
            return Err(ServiceError::invalid_parameter(format!(
                "The replica in {} is active: deactivate it before deleting it.",
                request.region_name
            )));
        }
        let mut answer = secondary(&state.settings, replica);
        answer.status = ReplicaStatus::Deleting;
        state.platform.replicas.remove(&request.region_name);
        Ok(UserPoolReplicaAnswer {
            user_pool_replica: answer,
        })
    }

    pub fn update_user_pool_replica(
        &self,
        request: UpdateUserPoolReplicaRequest,
    ) -> ServiceResult<UserPoolReplicaAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        refuse_primary(
            &state.settings,
            &request.region_name,
            "activated or deactivated",
        )?;
        let settings = state.settings.clone();
        let replica = state
            .platform
            .replicas
            .get_mut(&request.region_name)
            .ok_or_else(|| replica_not_found(&settings, &request.region_name))?;
        replica.status = request.status;
        Ok(UserPoolReplicaAnswer {
            user_pool_replica: secondary(&settings, replica),
        })
    }

    pub fn list_user_pool_replicas(
        &self,
        request: ListUserPoolReplicasRequest,
    ) -> ServiceResult<ListUserPoolReplicasAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let settings = &state.settings;
        let mut replicas = vec![UserPoolReplicaType {
            region_name: settings.region.clone(),
            status: ReplicaStatus::Active,
            role: "PRIMARY",
            user_pool_arn: settings.arn(),
        }];
        replicas.extend(
            state
                .platform
                .replicas
                .values()
                .map(|replica| secondary(settings, replica)),
        );
        // The primary first, then the secondaries by Region.
        let key = |replica: &UserPoolReplicaType| {
            let order = if replica.role == "PRIMARY" { 0 } else { 1 };
            format!("{order}.{}", replica.region_name)
        };
        let (user_pool_replicas, next_token) =
            page(replicas, key, request.next_token.as_deref(), MAX_PAGE);
        Ok(ListUserPoolReplicasAnswer {
            user_pool_replicas,
            next_token,
        })
    }
}

fn secondary(settings: &PoolSettings, replica: &Replica) -> UserPoolReplicaType {
    UserPoolReplicaType {
        region_name: replica.region.clone(),
        status: replica.status,
        role: "SECONDARY",
        // A replica shares its primary's pool id; only the Region in the ARN differs.
        user_pool_arn: format!(
            "arn:aws:cognito-idp:{}:{ACCOUNT_ID}:userpool/{}",
            replica.region, settings.id
        ),
    }
}

fn refuse_primary(settings: &PoolSettings, region: &str, what: &str) -> ServiceResult<()> {
    if region == settings.region {
        return Err(ServiceError::invalid_parameter(format!(
            "{region} is the primary Region of user pool {}: only a secondary replica can be {what}.",
            settings.id
        )));
    }
    Ok(())
}

fn replica_not_found(settings: &PoolSettings, region: &str) -> ServiceError {
    ServiceError::resource_not_found(format!(
        "User pool {} has no replica in {region}.",
        settings.id
    ))
}

/// A Region's name as AWS writes them: `us-east-1`, `ap-southeast-5`, `us-gov-west-1`.
fn check_region_name(region: &str) -> ServiceResult<()> {
    let parts: Vec<&str> = region.split('-').collect();
    let well_formed = parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return Err(ServiceError::invalid_parameter(format!(
            "{region} is not a valid AWS Region."
        )));
    }
    Ok(())
}

fn check_tags(tags: &BTreeMap<String, String>) -> ServiceResult<()> {
    let tagging = |message: String| ServiceError::new("UserPoolTaggingException", message);
    if tags.len() > MAX_TAGS {
        return Err(tagging(format!(
            "A user pool can have at most {MAX_TAGS} tags; {} were given.",
            tags.len()
        )));
    }
    if let Some(reserved) = tags
        .keys()
        .find(|key| key.to_lowercase().starts_with("aws:"))
    {
        return Err(tagging(format!(
            "The tag key {reserved} is reserved: keys starting with aws: are AWS's own."
        )));
    }
    Ok(())
}
