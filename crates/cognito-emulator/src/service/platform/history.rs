// SPDX-License-Identifier: Apache-2.0
//! A pool's recovery history: what its users and groups held before each change, and when, so
//! that point-in-time recovery can tell what reverting to a moment would change and do it.
//!
//! The user and group maps keep, for every key changed while the pool's lock is held, its
//! value before the first change (one serialization of that entry, made only when it changes;
//! see [`TrackedMap::keep_values_before`]). Releasing the lock files those values here under
//! the time of the release, as entries of their own kind: the data directory journals them with
//! the change itself, compaction keeps them as any entry, and a restart brings them back.
//!
//! The value of an entry at a moment `t` is then the value before its first change after `t`,
//! or, if it has not changed since, its value now: replaying needs nothing older than `t`. So
//! changes older than the longest recovery period are dropped as new ones come, and so are the
//! oldest ones beyond [`MOST_CHANGES`]; that moves the pool's *floor*, the earliest moment it
//! can still be restored to. A pool read from a data directory written before histories were
//! kept has its floor where the history began, at that start.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::service::model::PoolState;
use crate::service::tracked::{TrackedMap, ValueBefore};

/// How long changes are kept: the recovery period of the Plus plan, the longest.
pub const KEPT_FOR: Duration = Duration::from_secs(14 * 86_400);
/// At most this many changes of a pool are kept; a tenth of them goes at once when there are
/// more, so that the floor moves (and is written) seldom under a steady load.
pub const MOST_CHANGES: usize = 50_000;
const FLOOR_KEY: &str = "floor";

/// What a recovery restores. The names are the `Entity` of the recovery preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Entity {
    User,
    Group,
}

impl Entity {
    pub const ALL: [Entity; 2] = [Entity::User, Entity::Group];

    pub fn name(self) -> &'static str {
        match self {
            Self::User => "USER",
            Self::Group => "GROUP",
        }
    }

    fn code(self) -> char {
        match self {
            Self::User => 'u',
            Self::Group => 'g',
        }
    }
}

/// One stored entry of the history.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HistoryEntry {
    /// What an entry held just before it changed at `at`.
    Change {
        at: SystemTime,
        entity: Entity,
        id: String,
        before: ValueBefore,
    },
    /// No recovery point may be earlier: changes before it are not all kept.
    Floor { since: SystemTime },
}

/// A pool's history as stored: changes by time, and the floor.
pub type Changes = BTreeMap<String, HistoryEntry>;

/// A user or group map that keeps its values before changes for the history.
pub fn recorded_map<V: Serialize>() -> TrackedMap<V> {
    let mut map = TrackedMap::default();
    map.keep_values_before(to_raw::<V>);
    map
}

pub(super) fn to_raw<V: Serialize>(value: &V) -> Box<RawValue> {
    serde_json::value::to_raw_value(value).expect("stored entries serialize to JSON")
}

/// A new pool's history: complete from its creation.
pub fn begin(state: &mut PoolState, created: SystemTime) {
    let history = &mut state.platform.history;
    history.insert(FLOOR_KEY.to_owned(), HistoryEntry::Floor { since: created });
}

/// A pool read from a data directory: one without a floor was written before histories were
/// kept, and can be restored to no moment before now.
pub fn after_load(state: &mut PoolState, now: SystemTime) {
    state.users.take_values_before();
    state.groups.take_values_before();
    if !state.platform.history.contains_key(FLOOR_KEY) {
        begin(state, now);
    }
}

/// Files what the lock's holder changed under the time `now` gives (asked only when something
/// changed), and drops what has become too old or too much.
pub fn record(state: &mut PoolState, now: impl FnOnce() -> SystemTime) {
    let users = state.users.take_values_before();
    let groups = state.groups.take_values_before();
    if users.is_empty() && groups.is_empty() {
        return;
    }
    let now = now();
    let history = &mut state.platform.history;
    for (entity, values) in [(Entity::User, users), (Entity::Group, groups)] {
        for (id, before) in values {
            let key = change_key(now, entity, &id);
            // The same entry changed twice in one instant: the value before the first counts.
            if !history.contains_key(&key) {
                let change = HistoryEntry::Change {
                    at: now,
                    entity,
                    id,
                    before,
                };
                history.insert(key, change);
            }
        }
    }
    drop_old(history, now);
}

/// The earliest moment the pool can be restored to.
pub fn floor(history: &Changes) -> Option<SystemTime> {
    match history.get(FLOOR_KEY) {
        Some(HistoryEntry::Floor { since }) => Some(*since),
        _ => None,
    }
}

/// Every user and group changed after `moment`, with what it held at `moment` (`None`: it did
/// not exist), in key order.
pub fn values_at(history: &Changes, moment: SystemTime) -> BTreeMap<(Entity, String), ValueBefore> {
    let mut values = BTreeMap::new();
    let after = format!("{:020}~", nanos(moment));
    for entry in history.range(after..).map(|(_, entry)| entry) {
        if let HistoryEntry::Change {
            entity, id, before, ..
        } = entry
        {
            values
                .entry((*entity, id.clone()))
                .or_insert_with(|| before.clone());
        }
    }
    values
}

fn drop_old(history: &mut TrackedMap<HistoryEntry>, now: SystemTime) {
    let cutoff = format!(
        "{:020}",
        nanos(now.checked_sub(KEPT_FOR).unwrap_or(UNIX_EPOCH))
    );
    let expired: Vec<String> = history
        .range(..cutoff)
        .map(|(key, _)| key.clone())
        .collect();
    for key in expired {
        history.remove(&key);
    }
    // The floor is one entry besides the changes.
    if history.len() <= MOST_CHANGES + 1 {
        return;
    }
    let dropping: Vec<(String, SystemTime)> = history
        .iter()
        .take(MOST_CHANGES / 10)
        .filter_map(|(key, entry)| match entry {
            HistoryEntry::Change { at, .. } => Some((key.clone(), *at)),
            HistoryEntry::Floor { .. } => None,
        })
        .collect();
    let Some(newest) = dropping.last().map(|(_, at)| *at) else {
        return;
    };
    for (key, _) in &dropping {
        history.remove(key);
    }
    // Changes at the same instant as the newest dropped may remain; the floor passes them all.
    let since = newest + Duration::from_nanos(1);
    history.insert(FLOOR_KEY.to_owned(), HistoryEntry::Floor { since });
}

/// Keys sort by time (fixed-width nanoseconds), then entity and id; the floor's sorts last.
fn change_key(at: SystemTime, entity: Entity, id: &str) -> String {
    format!("{:020}.{}.{id}", nanos(at), entity.code())
}

fn nanos(at: SystemTime) -> u128 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Duration = Duration::from_secs(1_700_000_000);

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + T0 + Duration::from_secs(seconds)
    }

    fn change(
        history: &mut TrackedMap<HistoryEntry>,
        when: SystemTime,
        id: &str,
        before: Option<&str>,
    ) {
        let before = before.map(|json| RawValue::from_string(json.to_owned()).unwrap());
        let entry = HistoryEntry::Change {
            at: when,
            entity: Entity::User,
            id: id.to_owned(),
            before,
        };
        history.insert(change_key(when, Entity::User, id), entry);
    }

    fn value(values: &BTreeMap<(Entity, String), ValueBefore>, id: &str) -> Option<Option<String>> {
        values
            .get(&(Entity::User, id.to_owned()))
            .map(|before| before.as_ref().map(|json| json.get().to_owned()))
    }

    #[test]
    fn an_entry_at_a_moment_is_its_value_before_its_first_later_change() {
        let mut history = TrackedMap::default();
        change(&mut history, at(10), "ana", None); // created
        change(&mut history, at(20), "ana", Some("1"));
        change(&mut history, at(30), "ana", Some("2"));
        change(&mut history, at(20), "ben", Some("\"b\"")); // deleted
        let values = values_at(&history, at(25));
        assert_eq!(value(&values, "ana"), Some(Some("2".to_owned())));
        assert_eq!(value(&values, "ben"), None, "unchanged since: as it is now");
        let values = values_at(&history, at(5));
        assert_eq!(value(&values, "ana"), Some(None), "not created yet");
        assert_eq!(value(&values, "ben"), Some(Some("\"b\"".to_owned())));
        assert!(
            values_at(&history, at(30)).is_empty(),
            "a change at the moment is kept"
        );
    }

    #[test]
    fn old_and_surplus_changes_go_and_the_floor_follows_them() {
        let mut history = TrackedMap::default();
        change(&mut history, at(0), "old", None);
        change(&mut history, at(KEPT_FOR.as_secs() + 5), "new", None);
        drop_old(&mut history, at(KEPT_FOR.as_secs() + 5));
        assert_eq!(
            history.len(),
            1,
            "a change older than the longest period goes"
        );
        assert_eq!(
            floor(&history),
            None,
            "and moves no floor: no recovery point reaches it"
        );

        let mut history = TrackedMap::default();
        let created = HistoryEntry::Floor { since: at(0) };
        history.insert(FLOOR_KEY.to_owned(), created);
        for second in 0..=MOST_CHANGES as u64 {
            change(&mut history, at(second), &format!("u{second}"), None);
        }
        drop_old(&mut history, at(MOST_CHANGES as u64));
        let kept = history.len() - 1;
        assert_eq!(kept, MOST_CHANGES + 1 - MOST_CHANGES / 10);
        let newest_dropped = at(MOST_CHANGES as u64 / 10 - 1);
        assert!(floor(&history).is_some_and(|floor| floor > newest_dropped));
    }
}
