// SPDX-License-Identifier: Apache-2.0
//! ListUsers: a pool's users, filtered, a page at a time.

use std::collections::BTreeMap;
use std::ops::Bound;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::{UserType, user_type};
use crate::service::filter::Filter;
use crate::service::model::User;
use crate::service::{Service, ServiceError, ServiceResult};

const LIST_USERS_DEFAULT_LIMIT: usize = 60;
/// Users one ListUsers request looks at. A filter that matches few users would otherwise scan
/// the whole pool for a page; as the service does, the page comes back short (even empty) with a
/// PaginationToken to go on from, and the time of a request stays bounded.
const LIST_USERS_SCAN_BUDGET: usize = 5_000;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersRequest {
    pub user_pool_id: String,
    pub attributes_to_get: Option<Vec<String>>,
    pub limit: Option<usize>,
    pub pagination_token: Option<String>,
    pub filter: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersAnswer {
    pub users: Vec<UserType>,
    /// Where the next page starts, when any user is left to look at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

impl Service {
    pub fn list_users(&self, request: ListUsersRequest) -> ServiceResult<ListUsersAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let filter = match request.filter.as_deref() {
            Some(text) if !text.trim().is_empty() => Some(Filter::parse(text)?),
            _ => None,
        };
        let limit = match request.limit {
            Some(0) | None => LIST_USERS_DEFAULT_LIMIT,
            Some(limit) => limit,
        };
        let start = match &request.pagination_token {
            Some(token) => Bound::Excluded(
                URL_SAFE_NO_PAD
                    .decode(token)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .ok_or_else(|| ServiceError::invalid_parameter("Invalid pagination token."))?,
            ),
            None => Bound::Unbounded,
        };
        let state = pool.lock();
        let case_insensitive_username = !state.settings.username_case_sensitive;
        let matches = |user: &User| {
            filter
                .as_ref()
                .is_none_or(|f| f.matches(user, case_insensitive_username))
        };
        let (page, next) =
            page_of_users(&state.users, start, limit, LIST_USERS_SCAN_BUDGET, matches);
        Ok(ListUsersAnswer {
            users: page
                .into_iter()
                .map(|user| user_type(user, request.attributes_to_get.as_deref()))
                .collect(),
            pagination_token: next.map(|key| URL_SAFE_NO_PAD.encode(key)),
        })
    }
}

/// One page of ListUsers: up to `limit` users that `matches`, looking at no more than `budget`
/// users after `start`. Returns the page and the key to go on after, when any user is left.
fn page_of_users(
    users: &BTreeMap<String, User>,
    start: Bound<String>,
    limit: usize,
    budget: usize,
    matches: impl Fn(&User) -> bool,
) -> (Vec<&User>, Option<&String>) {
    let mut page = Vec::with_capacity(limit.min(users.len()));
    let mut last_seen = None;
    for (key, user) in users.range((start, Bound::Unbounded)).take(budget) {
        last_seen = Some(key);
        if matches(user) {
            page.push(user);
            if page.len() == limit {
                break;
            }
        }
    }
    let next = last_seen.filter(|key| {
        users
            .range::<String, _>((Bound::Excluded(*key), Bound::Unbounded))
            .next()
            .is_some()
    });
    (page, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool_of(names: &[&str]) -> BTreeMap<String, User> {
        names
            .iter()
            .map(|name| ((*name).to_owned(), User::for_test(name, &[])))
            .collect()
    }

    fn walk(
        users: &BTreeMap<String, User>,
        limit: usize,
        budget: usize,
        wanted: impl Fn(&User) -> bool + Copy,
    ) -> Vec<Vec<String>> {
        let mut pages = Vec::new();
        let mut start = Bound::Unbounded;
        loop {
            let (page, next) = page_of_users(users, start, limit, budget, wanted);
            pages.push(page.iter().map(|u| u.username.clone()).collect());
            match next {
                Some(key) => start = Bound::Excluded(key.clone()),
                None => return pages,
            }
        }
    }

    #[test]
    fn pages_stop_at_the_limit_and_end_without_a_token() {
        let users = pool_of(&["a", "b", "c", "d", "e"]);
        assert_eq!(
            walk(&users, 2, 100, |_| true),
            [vec!["a", "b"], vec!["c", "d"], vec!["e"]]
        );
        assert_eq!(
            walk(&users, 5, 100, |_| true),
            [vec!["a", "b", "c", "d", "e"]]
        );
    }

    #[test]
    fn a_sparse_filter_gives_short_pages_with_tokens_and_finds_every_match() {
        let users = pool_of(&["a", "b", "c", "d", "e", "f", "g"]);
        let wanted = |user: &User| ["b", "g"].contains(&user.username.as_str());
        let pages = walk(&users, 10, 3, wanted);
        assert_eq!(pages, [vec!["b"], vec![], vec!["g"]]);
        let found: Vec<String> = pages.concat();
        assert_eq!(found, ["b", "g"]);
    }
}
