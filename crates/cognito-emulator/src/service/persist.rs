// SPDX-License-Identifier: Apache-2.0
//! Pools to and from the entries of the data directory ([`crate::store`]): what changed under a
//! pool's lock becomes journal lines, and stored entries become pools again at start-up.

use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::Pool;
use super::model::{PoolKeys, PoolSettings, PoolState};
use super::tracked::TrackedMap;
use serde_json::value::RawValue;

use crate::store::{Contents, EntryRef, Kind, PoolEntries, Store, StoreError};

/// A pool's own entry.
#[derive(Serialize)]
struct PoolEntry<'a> {
    settings: &'a PoolSettings,
    keys: &'a PoolKeys,
}

#[derive(Deserialize)]
struct StoredPool {
    settings: PoolSettings,
    keys: PoolKeys,
}

/// The journal line that creates a pool or records new settings.
pub(super) fn pool_line(pool_id: &str, settings: &PoolSettings, keys: &PoolKeys) -> String {
    EntryRef {
        pool: pool_id,
        kind: Kind::Pool,
        id: "",
        value: Some(&PoolEntry { settings, keys }),
    }
    .to_line()
}

/// The journal line that deletes a pool and everything in it.
pub(super) fn pool_deleted_line(pool_id: &str) -> String {
    EntryRef::<()> {
        pool: pool_id,
        kind: Kind::Pool,
        id: "",
        value: None,
    }
    .to_line()
}

/// A map of a pool's entries of one kind, as the journal sees it.
pub(super) trait Journaled {
    /// Lines for the entries changed since the last call, which also forgets them.
    fn push_changed(&mut self, lines: &mut String, pool_id: &str, kind: Kind);
    /// Lines for every entry.
    fn push_all(&self, lines: &mut Vec<String>, pool_id: &str, kind: Kind);
    fn forget_changes(&mut self);
    /// Puts back an entry read from the data directory, not counted as a change.
    fn load(&mut self, id: String, value: &RawValue) -> Result<(), serde_json::Error>;
}

impl<V: Serialize + DeserializeOwned> Journaled for TrackedMap<V> {
    fn push_changed(&mut self, lines: &mut String, pool_id: &str, kind: Kind) {
        for id in self.take_changed() {
            let entry = EntryRef {
                pool: pool_id,
                kind,
                id: &id,
                value: self.get(&id),
            };
            lines.push_str(&entry.to_line());
        }
    }

    fn push_all(&self, lines: &mut Vec<String>, pool_id: &str, kind: Kind) {
        lines.extend(self.iter().map(|(id, value)| {
            EntryRef {
                pool: pool_id,
                kind,
                id,
                value: Some(value),
            }
            .to_line()
        }));
    }

    fn forget_changes(&mut self) {
        self.take_changed();
    }

    fn load(&mut self, id: String, value: &RawValue) -> Result<(), serde_json::Error> {
        self.insert_unchanged(id, serde_json::from_str(value.get())?);
        Ok(())
    }
}

impl PoolState {
    /// Every journaled map of the pool with the kind its entries are stored as: a new kind of
    /// entry is one line here (and its `Kind`).
    fn journaled(&mut self) -> Vec<(Kind, &mut dyn Journaled)> {
        vec![
            (Kind::Client, &mut self.clients),
            (Kind::User, &mut self.users),
            (Kind::Device, &mut self.devices),
            (Kind::RefreshGrant, &mut self.refresh_grants),
        ]
    }
}

/// Journal lines for every entry changed since the last call, which also forgets them.
pub(super) fn changed_lines(pool: &Pool, state: &mut PoolState) -> String {
    let mut lines = String::new();
    if state.settings.take_changed() {
        lines.push_str(&pool_line(&pool.id, &state.settings, &pool.keys));
    }
    for (kind, map) in state.journaled() {
        map.push_changed(&mut lines, &pool.id, kind);
    }
    lines
}

/// Every stored entry of a pool, as journal lines: the pool as a restart would bring it back.
pub(super) fn all_lines(pool: &Pool, state: &mut PoolState) -> Vec<String> {
    let mut lines = vec![pool_line(&pool.id, &state.settings, &pool.keys)];
    for (kind, map) in state.journaled() {
        map.push_all(&mut lines, &pool.id, kind);
    }
    lines
}

/// Forgets what changed, when there is no data directory to write it to.
pub(super) fn forget_changes(state: &mut PoolState) {
    state.settings.take_changed();
    for (_, map) in state.journaled() {
        map.forget_changes();
    }
}

/// The pools a data directory holds, ready to serve. Pools stored before each kept its issuer
/// get `legacy_issuer_base/<pool id>`, written back so that they keep it from now on.
pub(super) fn load_pools(
    contents: Contents,
    store: &Arc<Store>,
    legacy_issuer_base: &str,
) -> Result<Vec<Arc<Pool>>, StoreError> {
    contents
        .pools
        .into_iter()
        .map(|(pool_id, entries)| load_pool(&pool_id, entries, store, legacy_issuer_base))
        .collect()
}

fn load_pool(
    pool_id: &str,
    mut entries: PoolEntries,
    store: &Arc<Store>,
    legacy_issuer_base: &str,
) -> Result<Arc<Pool>, StoreError> {
    let own = entries
        .remove(&(Kind::Pool, String::new()))
        .ok_or_else(|| StoreError::new(format!("pool {pool_id} has no settings")))?;
    let StoredPool { mut settings, keys } = parse(pool_id, Kind::Pool, "", &own)?;
    if settings.issuer.is_empty() {
        settings.issuer = format!("{legacy_issuer_base}/{pool_id}");
        store.append(pool_line(pool_id, &settings, &keys).as_bytes());
    }
    let mut state = PoolState::new(settings);
    for ((kind, id), value) in entries {
        let Some((_, map)) = state.journaled().into_iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        map.load(id.clone(), &value).map_err(|error| {
            StoreError::new(format!(
                "the stored {kind:?} {id:?} of pool {pool_id} cannot be read: {error}"
            ))
        })?;
    }
    rebuild_indexes(&mut state);
    Ok(Arc::new(Pool {
        id: pool_id.to_owned(),
        keys,
        state: Mutex::new(state),
        store: Some(Arc::clone(store)),
    }))
}

fn parse<T: DeserializeOwned>(
    pool_id: &str,
    kind: Kind,
    id: &str,
    value: &serde_json::value::RawValue,
) -> Result<T, StoreError> {
    serde_json::from_str(value.get()).map_err(|error| {
        StoreError::new(format!(
            "the stored {kind:?} {id:?} of pool {pool_id} cannot be read: {error}"
        ))
    })
}

/// The `sub` and email look-ups, which are not stored: they follow from the users, by the same
/// rule live requests keep them with.
fn rebuild_indexes(state: &mut PoolState) {
    let keys: Vec<String> = state.users.keys().cloned().collect();
    for key in keys {
        state.index_user(&key);
    }
}
