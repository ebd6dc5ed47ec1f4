// SPDX-License-Identifier: Apache-2.0
//! Pages of ListGroups, ListUsersInGroup and AdminListGroupsForUser: `Limit` and `NextToken`, as
//! the paginators of the model name them. A token says which list it continues and the key the
//! page ended at, so that a page goes on after it even when that entry is gone by then.

use std::collections::BTreeMap;
use std::ops::Bound;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::service::{ServiceError, ServiceResult};

/// The most a page holds, and what it holds when `Limit` is left out or 0.
const PAGE_SIZE: usize = 60;

/// Which list a token continues: one list's token is refused by the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum List {
    Groups,
    UsersInGroup,
    GroupsForUser,
}

impl List {
    fn tag(self) -> &'static str {
        match self {
            Self::Groups => "groups",
            Self::UsersInGroup => "members",
            Self::GroupsForUser => "memberships",
        }
    }
}

/// Where a page starts: after the key a `NextToken` names, or at the first entry.
pub(super) fn start(list: List, token: Option<&str>) -> ServiceResult<Bound<String>> {
    let Some(token) = token else {
        return Ok(Bound::Unbounded);
    };
    let invalid = || ServiceError::invalid_parameter("Invalid NextToken.");
    let text = URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(invalid)?;
    match text.split_once('\n') {
        Some((tag, after)) if tag == list.tag() => Ok(Bound::Excluded(after.to_owned())),
        _ => Err(invalid()),
    }
}

/// How many entries a page holds for this `Limit`.
pub(super) fn size(limit: Option<usize>) -> usize {
    match limit {
        Some(0) | None => PAGE_SIZE,
        Some(limit) => limit.min(PAGE_SIZE),
    }
}

/// One page of `entries` in key order from `start`, and the token of the next page when any
/// entry is left after it.
pub(super) fn page<'a, K: AsRef<str> + 'a, V: 'a>(
    entries: impl Iterator<Item = (&'a K, V)>,
    list: List,
    size: usize,
) -> (Vec<V>, Option<String>) {
    let mut page = Vec::with_capacity(size);
    let mut last = None;
    let mut entries = entries.peekable();
    while page.len() < size {
        let Some((key, value)) = entries.next() else {
            break;
        };
        last = Some(key.as_ref());
        page.push(value);
    }
    let next = last
        .filter(|_| entries.peek().is_some())
        .map(|key| URL_SAFE_NO_PAD.encode(format!("{}\n{key}", list.tag())));
    (page, next)
}

/// The entries of a map from `start` on: what [`page`] takes.
pub(super) fn from<V>(
    map: &BTreeMap<String, V>,
    start: Bound<String>,
) -> impl Iterator<Item = (&String, &V)> {
    map.range((start, Bound::Unbounded))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(map: &BTreeMap<String, u32>, size: usize) -> Vec<Vec<u32>> {
        let mut pages = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let at = start(List::Groups, token.as_deref()).unwrap();
            let (page, next) = page(from(map, at), List::Groups, size);
            pages.push(page.into_iter().copied().collect());
            match next {
                Some(next) => token = Some(next),
                None => return pages,
            }
        }
    }

    #[test]
    fn pages_follow_each_other_and_the_last_has_no_token() {
        let map: BTreeMap<String, u32> = (1..=5).map(|n| (format!("g{n}"), n)).collect();
        assert_eq!(walk(&map, 2), [vec![1, 2], vec![3, 4], vec![5]]);
        assert_eq!(walk(&map, 5), [vec![1, 2, 3, 4, 5]]);
        assert_eq!(walk(&BTreeMap::new(), 5), [Vec::<u32>::new()]);
    }

    #[test]
    fn a_token_is_refused_by_other_lists_and_garbage_is_refused() {
        let map: BTreeMap<String, u32> = (1..=3).map(|n| (format!("g{n}"), n)).collect();
        let (_, next) = page(from(&map, Bound::Unbounded), List::Groups, 1);
        let token = next.unwrap();
        assert_eq!(
            start(List::Groups, Some(&token)).unwrap(),
            Bound::Excluded("g1".to_owned())
        );
        for (list, token) in [
            (List::UsersInGroup, token.as_str()),
            (List::Groups, "not base64!"),
            (List::Groups, "Z3JvdXBz"),
        ] {
            let error = start(list, Some(token)).unwrap_err();
            assert_eq!(error.code, "InvalidParameterException");
        }
    }

    #[test]
    fn the_limit_is_capped_and_zero_means_a_full_page() {
        assert_eq!(size(None), 60);
        assert_eq!(size(Some(0)), 60);
        assert_eq!(size(Some(7)), 7);
        assert_eq!(size(Some(600)), 60);
    }
}
