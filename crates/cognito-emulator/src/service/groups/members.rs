// SPDX-License-Identifier: Apache-2.0
//! Who is in which group: AdminAddUserToGroup, AdminRemoveUserFromGroup,
//! AdminListGroupsForUser and ListUsersInGroup. A user's groups are read from the user, and a
//! group's members from the member look-up ([`PoolState::group_members`]): neither list looks
//! at the rest of the pool.

use std::ops::Bound;

use serde::{Deserialize, Serialize};

use super::paging::{self, List};
use super::{GroupType, group_not_found, group_type};
use crate::service::model::{PoolState, User};
use crate::service::users::{UserType, user_type};
use crate::service::{Empty, Service, ServiceResult};

/// The request of AdminAddUserToGroup and AdminRemoveUserFromGroup.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MembershipRequest {
    pub user_pool_id: String,
    pub username: String,
    pub group_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListGroupsForUserRequest {
    pub user_pool_id: String,
    pub username: String,
    pub limit: Option<usize>,
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListGroupsForUserAnswer {
    pub groups: Vec<GroupType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersInGroupRequest {
    pub user_pool_id: String,
    pub group_name: String,
    pub limit: Option<usize>,
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersInGroupAnswer {
    pub users: Vec<UserType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl Service {
    /// Puts a user in a group; a user already in it stays, and the call succeeds.
    pub fn admin_add_user_to_group(&self, request: MembershipRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        if !state.groups.contains_key(&request.group_name) {
            return Err(group_not_found());
        }
        let key = member_key(&state, &request.username)?;
        state.add_member(&request.group_name, &key);
        Ok(Empty {})
    }

    /// Takes a user out of a group; a user not in it is left as it is, and the call succeeds.
    pub fn admin_remove_user_from_group(&self, request: MembershipRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        if !state.groups.contains_key(&request.group_name) {
            return Err(group_not_found());
        }
        let key = member_key(&state, &request.username)?;
        state.remove_member(&request.group_name, &key);
        Ok(Empty {})
    }

    pub fn admin_list_groups_for_user(
        &self,
        request: AdminListGroupsForUserRequest,
    ) -> ServiceResult<AdminListGroupsForUserAnswer> {
        let start = paging::start(List::GroupsForUser, request.next_token.as_deref())?;
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let user = state.user(&request.username)?;
        let names = user.groups.range::<String, _>((start, Bound::Unbounded));
        let (names, next_token) = paging::page(
            names.map(|name| (name, name)),
            List::GroupsForUser,
            paging::size(request.limit),
        );
        Ok(AdminListGroupsForUserAnswer {
            groups: names
                .into_iter()
                .filter_map(|name| state.groups.get(name))
                .map(|group| group_type(group, &pool.id))
                .collect(),
            next_token,
        })
    }

    pub fn list_users_in_group(
        &self,
        request: ListUsersInGroupRequest,
    ) -> ServiceResult<ListUsersInGroupAnswer> {
        let start = paging::start(List::UsersInGroup, request.next_token.as_deref())?;
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        if !state.groups.contains_key(&request.group_name) {
            return Err(group_not_found());
        }
        let size = paging::size(request.limit);
        let (members, next_token) = state.members_page(&request.group_name, start, size);
        Ok(ListUsersInGroupAnswer {
            users: members
                .into_iter()
                .map(|user| user_type(user, None))
                .collect(),
            next_token,
        })
    }
}

/// The key of the user a request names (username, `sub` or signing-in email).
fn member_key(state: &PoolState, username: &str) -> ServiceResult<String> {
    state
        .find_user_key(username)
        .ok_or_else(crate::service::ServiceError::user_not_found)
}

impl PoolState {
    /// Puts the user stored under `key` in a group that exists: stored on the user, and in the
    /// group's member look-up.
    pub(crate) fn add_member(&mut self, group: &str, key: &str) {
        let added = self
            .users
            .get_mut(key)
            .is_some_and(|user| user.groups.insert(group.to_owned()));
        if added {
            self.index_member(group, key);
        }
    }

    pub(crate) fn remove_member(&mut self, group: &str, key: &str) {
        let removed = self
            .users
            .get_mut(key)
            .is_some_and(|user| user.groups.remove(group));
        if removed {
            self.unindex_member(group, key);
        }
    }

    /// A page of a group's members in key order, from `start`, and the next page's token: read
    /// from the member look-up alone, however many other users the pool has.
    pub(crate) fn members_page(
        &self,
        group: &str,
        start: Bound<String>,
        size: usize,
    ) -> (Vec<&User>, Option<String>) {
        let Some(members) = self.group_members.get(group) else {
            return (Vec::new(), None);
        };
        let members = members
            .range::<String, _>((start, Bound::Unbounded))
            .filter_map(|key| Some((key, self.users.get(key)?)));
        paging::page(members, List::UsersInGroup, size)
    }

    /// Adds the user stored under `key` to the member look-up of each of its groups: start-up
    /// calls it for every user, so the look-up comes back as live requests left it.
    pub(crate) fn index_memberships(&mut self, key: &str) {
        let Some(user) = self.users.get(key) else {
            return;
        };
        for group in &user.groups {
            self.group_members
                .entry(group.clone())
                .or_default()
                .insert(key.to_owned());
        }
    }

    fn index_member(&mut self, group: &str, key: &str) {
        self.group_members
            .entry(group.to_owned())
            .or_default()
            .insert(key.to_owned());
    }

    /// Takes a user out of a group's member look-up (the user's own `groups` is the caller's).
    pub(crate) fn unindex_member(&mut self, group: &str, key: &str) {
        if let Some(members) = self.group_members.get_mut(group) {
            members.remove(key);
            if members.is_empty() {
                self.group_members.remove(group);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::service::model::{Group, PoolSettings};

    /// A pool of `users` users, the first `members` of them in group "g".
    fn pool(users: usize, members: usize) -> PoolState {
        let mut state = PoolState::new(PoolSettings::for_test());
        let group = Group {
            name: "g".to_owned(),
            description: None,
            precedence: None,
            role_arn: None,
            created: SystemTime::UNIX_EPOCH,
            modified: SystemTime::UNIX_EPOCH,
        };
        state.groups.insert("g".to_owned(), group);
        // One user's verifier is costly to derive: the others are copies of it.
        let template = serde_json::to_value(User::for_test("template", &[])).unwrap();
        for n in 0..users {
            let name = format!("user{n:05}");
            let mut user = template.clone();
            user["username"] = name.clone().into();
            user["sub"] = format!("sub-of-{name}").into();
            let user: User = serde_json::from_value(user).unwrap();
            state.users.insert(name.clone(), user);
            if n < members {
                state.add_member("g", &name);
            }
        }
        state
    }

    fn names(page: &[&User]) -> Vec<String> {
        page.iter().map(|user| user.username.clone()).collect()
    }

    #[test]
    fn a_groups_members_come_from_its_look_up_not_from_the_users() {
        let mut state = pool(20_000, 3);
        assert_eq!(state.group_members["g"].len(), 3);
        // A user who names the group without being in its look-up is never listed: the page
        // reads the look-up (3 keys), not the pool's 20,000 users.
        state
            .users
            .get_mut("user19999")
            .unwrap()
            .groups
            .insert("g".to_owned());
        let (page, next) = state.members_page("g", Bound::Unbounded, 60);
        assert_eq!(names(&page), ["user00000", "user00001", "user00002"]);
        assert_eq!(next, None);
    }

    #[test]
    fn members_page_by_key_and_go_when_removed_or_deleted() {
        let mut state = pool(10, 4);
        let (page, next) = state.members_page("g", Bound::Unbounded, 3);
        assert_eq!(names(&page), ["user00000", "user00001", "user00002"]);
        let after = paging::start(List::UsersInGroup, next.as_deref()).unwrap();
        let (page, next) = state.members_page("g", after, 3);
        assert_eq!((names(&page), next), (vec!["user00003".to_owned()], None));

        state.remove_member("g", "user00001");
        state.remove_user("user00002");
        let (page, _) = state.members_page("g", Bound::Unbounded, 60);
        assert_eq!(names(&page), ["user00000", "user00003"]);
        assert!(!state.users["user00001"].groups.contains("g"));

        // Adding a member twice keeps one membership.
        state.add_member("g", "user00000");
        assert_eq!(state.group_members["g"].len(), 2);
    }

    #[test]
    fn a_user_stored_before_groups_existed_loads_in_none() {
        let mut stored = serde_json::to_value(User::for_test("old", &[])).unwrap();
        let fields = stored.as_object_mut().unwrap();
        assert!(fields.remove("groups").is_some());
        assert!(fields.remove("mfa_options").is_some());
        let user: User = serde_json::from_value(stored).unwrap();
        assert!(user.groups.is_empty() && user.mfa_options.is_empty());
    }

    #[test]
    fn the_look_up_is_rebuilt_from_the_users_as_live_requests_left_it() {
        let live = pool(50, 7);
        let mut rebuilt = PoolState::new(PoolSettings::for_test());
        for (key, user) in live.users.iter() {
            let stored = serde_json::to_value(user).unwrap();
            rebuilt
                .users
                .insert(key.clone(), serde_json::from_value(stored).unwrap());
            rebuilt.index_memberships(key);
        }
        assert_eq!(rebuilt.group_members, live.group_members);
    }
}
