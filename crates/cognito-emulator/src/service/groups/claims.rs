// SPDX-License-Identifier: Apache-2.0
//! What a user's groups put in its tokens: `cognito:groups` in both tokens, and
//! `cognito:roles` and `cognito:preferred_role` in the ID token. A user in no group gets none.

use serde_json::{Value, json};

use crate::service::model::{Group, PoolState, User};

/// The group claims of one user, as its groups stand when the tokens are issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GroupClaims {
    /// By precedence, lowest first; groups without one last (by name within each).
    pub groups: Vec<String>,
    /// The groups' roles in the same order, each once.
    pub roles: Vec<String>,
    /// The role of the group with the lowest precedence that has one. When groups of that
    /// precedence have different roles, none is preferred.
    pub preferred_role: Option<String>,
}

impl PoolState {
    /// The group claims of a user, or `None` for a user in no group.
    pub(crate) fn group_claims(&self, user: &User) -> Option<GroupClaims> {
        let mut groups: Vec<&Group> = user
            .groups
            .iter()
            .filter_map(|name| self.groups.get(name))
            .collect();
        if groups.is_empty() {
            return None;
        }
        // `None` sorts after every precedence: a group without one comes last.
        groups.sort_by_key(|group| (group.precedence.is_none(), group.precedence));
        let mut roles: Vec<String> = Vec::new();
        for role in groups.iter().filter_map(|group| group.role_arn.as_ref()) {
            if !roles.contains(role) {
                roles.push(role.clone());
            }
        }
        Some(GroupClaims {
            preferred_role: preferred_role(&groups),
            groups: groups.iter().map(|group| group.name.clone()).collect(),
            roles,
        })
    }
}

/// Among the groups with a role, those of the best precedence: their role if they agree.
fn preferred_role(sorted: &[&Group]) -> Option<String> {
    let mut with_role = sorted.iter().filter(|group| group.role_arn.is_some());
    let best = with_role.next()?;
    let tied_roles_agree = with_role
        .take_while(|group| group.precedence == best.precedence)
        .all(|group| group.role_arn == best.role_arn);
    tied_roles_agree.then(|| best.role_arn.clone()).flatten()
}

impl GroupClaims {
    pub(crate) fn add_to_id_token(&self, claims: &mut Value) {
        claims["cognito:groups"] = json!(self.groups);
        if !self.roles.is_empty() {
            claims["cognito:roles"] = json!(self.roles);
        }
        if let Some(role) = &self.preferred_role {
            claims["cognito:preferred_role"] = json!(role);
        }
    }

    pub(crate) fn add_to_access_token(&self, claims: &mut Value) {
        claims["cognito:groups"] = json!(self.groups);
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::service::model::PoolSettings;

    fn group(name: &str, precedence: Option<u32>, role: Option<&str>) -> Group {
        Group {
            name: name.to_owned(),
            description: None,
            precedence,
            role_arn: role.map(|role| format!("arn:aws:iam::000000000000:role/{role}")),
            created: SystemTime::UNIX_EPOCH,
            modified: SystemTime::UNIX_EPOCH,
        }
    }

    fn claims_of(groups: &[Group]) -> Option<GroupClaims> {
        let mut state = PoolState::new(PoolSettings::for_test());
        let mut user = User::for_test("ann", &[]);
        for group in groups {
            state.groups.insert(group.name.clone(), group.clone());
            user.groups.insert(group.name.clone());
        }
        state.group_claims(&user)
    }

    fn role(name: &str) -> String {
        format!("arn:aws:iam::000000000000:role/{name}")
    }

    #[test]
    fn groups_come_by_precedence_with_unranked_ones_last() {
        let claims = claims_of(&[
            group("z-none", None, Some("none")),
            group("b-ten", Some(10), None),
            group("a-one", Some(1), Some("one")),
        ])
        .unwrap();
        assert_eq!(claims.groups, ["a-one", "b-ten", "z-none"]);
        assert_eq!(claims.roles, [role("one"), role("none")]);
        assert_eq!(claims.preferred_role, Some(role("one")));
    }

    #[test]
    fn the_preferred_role_skips_groups_without_one_and_ties_must_agree() {
        let skips = claims_of(&[
            group("top", Some(0), None),
            group("next", Some(5), Some("r")),
        ]);
        assert_eq!(skips.unwrap().preferred_role, Some(role("r")));
        let disagree = claims_of(&[
            group("a", Some(2), Some("x")),
            group("b", Some(2), Some("y")),
        ]);
        assert_eq!(disagree.unwrap().preferred_role, None);
        let agree = claims_of(&[
            group("a", Some(2), Some("x")),
            group("b", Some(2), Some("x")),
        ]);
        let agree = agree.unwrap();
        assert_eq!(agree.preferred_role, Some(role("x")));
        assert_eq!(agree.roles, [role("x")]);
        let unranked = claims_of(&[group("a", None, Some("x"))]).unwrap();
        assert_eq!(unranked.preferred_role, Some(role("x")));
    }

    #[test]
    fn a_user_in_no_group_has_no_group_claims() {
        assert_eq!(claims_of(&[]), None);
        let no_roles = claims_of(&[group("plain", None, None)]).unwrap();
        let mut id = json!({});
        no_roles.add_to_id_token(&mut id);
        assert_eq!(id, json!({ "cognito:groups": ["plain"] }));
    }
}
