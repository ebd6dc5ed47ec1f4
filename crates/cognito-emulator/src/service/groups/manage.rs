// SPDX-License-Identifier: Apache-2.0
//! A pool's groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup and ListGroups.

use serde::{Deserialize, Serialize};

use super::paging::{self, List};
use super::{GROUPS_PER_POOL, GroupAnswer, GroupType, group_not_found, group_type};
use crate::service::model::Group;
use crate::service::{Empty, Service, ServiceError, ServiceResult};

/// The request of CreateGroup and of UpdateGroup, which are given the same members.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupRequest {
    pub user_pool_id: String,
    pub group_name: String,
    pub description: Option<String>,
    /// Checked here against the model's integer range: the model gives only its minimum.
    pub precedence: Option<i64>,
    pub role_arn: Option<String>,
}

/// The request of GetGroup and DeleteGroup.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupNameRequest {
    pub user_pool_id: String,
    pub group_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListGroupsRequest {
    pub user_pool_id: String,
    pub limit: Option<usize>,
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListGroupsAnswer {
    pub groups: Vec<GroupType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The precedence of a request: the model's `PrecedenceType` is a 32-bit integer of 0 or more.
fn precedence(value: Option<i64>) -> ServiceResult<Option<u32>> {
    value
        .map(|value| {
            i32::try_from(value)
                .ok()
                .and_then(|value| u32::try_from(value).ok())
                .ok_or_else(|| {
                    ServiceError::invalid_parameter(format!(
                        "1 validation error detected: Value '{value}' at 'precedence' failed to \
                         satisfy constraint: Member must have value between 0 and {}",
                        i32::MAX
                    ))
                })
        })
        .transpose()
}

impl Service {
    pub fn create_group(&self, request: GroupRequest) -> ServiceResult<GroupAnswer> {
        let precedence = precedence(request.precedence)?;
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        if state.groups.contains_key(&request.group_name) {
            return Err(ServiceError::new(
                "GroupExistsException",
                format!(
                    "A group with the name {} already exists.",
                    request.group_name
                ),
            ));
        }
        if state.groups.len() >= GROUPS_PER_POOL {
            return Err(ServiceError::new(
                "LimitExceededException",
                format!("The user pool has reached its limit of {GROUPS_PER_POOL} groups."),
            ));
        }
        let group = Group {
            name: request.group_name,
            description: request.description,
            precedence,
            role_arn: request.role_arn,
            created: now,
            modified: now,
        };
        let answer = group_type(&group, &pool.id);
        state.groups.insert(group.name.clone(), group);
        Ok(GroupAnswer { group: answer })
    }

    pub fn get_group(&self, request: GroupNameRequest) -> ServiceResult<GroupAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let group = state
            .groups
            .get(&request.group_name)
            .ok_or_else(group_not_found)?;
        Ok(GroupAnswer {
            group: group_type(group, &pool.id),
        })
    }

    /// Sets the group's description, precedence and role as given: one left out goes back to
    /// its default (none), as the API reference says of UpdateGroup.
    pub fn update_group(&self, request: GroupRequest) -> ServiceResult<GroupAnswer> {
        let precedence = precedence(request.precedence)?;
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let group = state
            .groups
            .get_mut(&request.group_name)
            .ok_or_else(group_not_found)?;
        group.description = request.description;
        group.precedence = precedence;
        group.role_arn = request.role_arn;
        group.modified = now;
        Ok(GroupAnswer {
            group: group_type(group, &pool.id),
        })
    }

    /// Deletes a group and every membership of it, through the group's member look-up.
    pub fn delete_group(&self, request: GroupNameRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        state
            .groups
            .remove(&request.group_name)
            .ok_or_else(group_not_found)?;
        let members = state
            .group_members
            .remove(&request.group_name)
            .unwrap_or_default();
        for key in members {
            if let Some(user) = state.users.get_mut(&key) {
                user.groups.remove(&request.group_name);
            }
        }
        Ok(Empty {})
    }

    pub fn list_groups(&self, request: ListGroupsRequest) -> ServiceResult<ListGroupsAnswer> {
        let start = paging::start(List::Groups, request.next_token.as_deref())?;
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let (groups, next_token) = paging::page(
            paging::from(&state.groups, start),
            List::Groups,
            paging::size(request.limit),
        );
        Ok(ListGroupsAnswer {
            groups: groups
                .into_iter()
                .map(|group| group_type(group, &pool.id))
                .collect(),
            next_token,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::service::ManualClock;

    fn request(pool_id: &str, name: &str) -> GroupRequest {
        GroupRequest {
            user_pool_id: pool_id.to_owned(),
            group_name: name.to_owned(),
            description: None,
            precedence: None,
            role_arn: None,
        }
    }

    #[test]
    fn a_pool_holds_ten_thousand_groups_and_no_more() {
        let service = Service::new(
            "http://127.0.0.1:9229".to_owned(),
            "us-east-1".to_owned(),
            Arc::new(ManualClock::new()),
        );
        let created = service
            .create_user_pool(
                serde_json::from_value(json!({ "PoolName": "p" })).unwrap(),
                None,
            )
            .unwrap();
        let pool_id = created.user_pool.id;
        for n in 0..GROUPS_PER_POOL {
            service
                .create_group(request(&pool_id, &format!("group-{n}")))
                .unwrap();
        }
        let refused = service
            .create_group(request(&pool_id, "one-more"))
            .unwrap_err();
        assert_eq!(refused.code, "LimitExceededException");
        let gone = GroupNameRequest {
            user_pool_id: pool_id.clone(),
            group_name: "group-0".to_owned(),
        };
        service.delete_group(gone).unwrap();
        service.create_group(request(&pool_id, "one-more")).unwrap();
    }

    #[test]
    fn precedence_must_fit_the_models_integer() {
        assert_eq!(precedence(None), Ok(None));
        assert_eq!(precedence(Some(0)), Ok(Some(0)));
        assert_eq!(
            precedence(Some(i64::from(i32::MAX))),
            Ok(Some(i32::MAX as u32))
        );
        for refused in [-1, i64::from(i32::MAX) + 1] {
            let error = precedence(Some(refused)).unwrap_err();
            assert_eq!(error.code, "InvalidParameterException");
        }
    }
}
