// SPDX-License-Identifier: Apache-2.0
//! User pool groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup and ListGroups
//! ([`manage`]); AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser and
//! ListUsersInGroup ([`members`]), with the member look-up they keep; what a user's groups put
//! in its tokens ([`claims`]); the page tokens of the three lists ([`paging`]).
//!
//! A membership is stored once, with the user (`User::groups`). The look-up from a group to its
//! members follows from that: kept by every membership change and rebuilt at start-up.

mod claims;
mod manage;
mod members;
mod paging;

use serde::Serialize;

use super::ServiceError;
use super::clock::epoch_seconds;
use super::model::Group;

/// Groups a user pool may have (Amazon Cognito's quota, which cannot be raised).
pub(crate) const GROUPS_PER_POOL: usize = 10_000;

/// `GroupType`: a group as every group operation answers it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupType {
    pub group_name: String,
    pub user_pool_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precedence: Option<u32>,
    /// Seconds since the epoch, as every date of the API.
    pub creation_date: f64,
    pub last_modified_date: f64,
}

/// The answer of CreateGroup, GetGroup and UpdateGroup.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupAnswer {
    pub group: GroupType,
}

fn group_type(group: &Group, pool_id: &str) -> GroupType {
    GroupType {
        group_name: group.name.clone(),
        user_pool_id: pool_id.to_owned(),
        description: group.description.clone(),
        role_arn: group.role_arn.clone(),
        precedence: group.precedence,
        creation_date: epoch_seconds(group.created),
        last_modified_date: epoch_seconds(group.modified),
    }
}

fn group_not_found() -> ServiceError {
    ServiceError::resource_not_found("Group not found.")
}
