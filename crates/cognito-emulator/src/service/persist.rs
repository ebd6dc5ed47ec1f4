// SPDX-License-Identifier: Apache-2.0
//! Pools to and from the entries of the data directory ([`crate::store`]): what changed under a
//! pool's lock becomes journal lines, and stored entries become pools again at start-up.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::Pool;
use super::model::{PoolKeys, PoolSettings, PoolState};
use super::tracked::{Tracked, TrackedMap};
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

/// Journal lines for every entry changed since the last call, which also forgets them.
pub(super) fn changed_lines(pool: &Pool, state: &mut PoolState) -> String {
    let mut lines = String::new();
    if state.settings.take_changed() {
        lines.push_str(&pool_line(&pool.id, &state.settings, &pool.keys));
    }
    push_changed(&mut lines, &pool.id, Kind::Client, &mut state.clients);
    push_changed(&mut lines, &pool.id, Kind::User, &mut state.users);
    push_changed(&mut lines, &pool.id, Kind::Device, &mut state.devices);
    push_changed(
        &mut lines,
        &pool.id,
        Kind::RefreshGrant,
        &mut state.refresh_grants,
    );
    lines
}

/// Every stored entry of a pool, as journal lines: the pool as a restart would bring it back.
pub(super) fn all_lines(pool: &Pool, state: &PoolState) -> Vec<String> {
    fn push_all<V: Serialize>(
        lines: &mut Vec<String>,
        pool: &str,
        kind: Kind,
        map: &TrackedMap<V>,
    ) {
        lines.extend(map.iter().map(|(id, value)| {
            EntryRef {
                pool,
                kind,
                id,
                value: Some(value),
            }
            .to_line()
        }));
    }
    let mut lines = vec![pool_line(&pool.id, &state.settings, &pool.keys)];
    push_all(&mut lines, &pool.id, Kind::Client, &state.clients);
    push_all(&mut lines, &pool.id, Kind::User, &state.users);
    push_all(&mut lines, &pool.id, Kind::Device, &state.devices);
    push_all(
        &mut lines,
        &pool.id,
        Kind::RefreshGrant,
        &state.refresh_grants,
    );
    lines
}

/// Forgets what changed, when there is no data directory to write it to.
pub(super) fn forget_changes(state: &mut PoolState) {
    state.settings.take_changed();
    state.clients.take_changed();
    state.users.take_changed();
    state.devices.take_changed();
    state.refresh_grants.take_changed();
}

fn push_changed<V: Serialize>(
    lines: &mut String,
    pool_id: &str,
    kind: Kind,
    map: &mut TrackedMap<V>,
) {
    for id in map.take_changed() {
        let entry = EntryRef {
            pool: pool_id,
            kind,
            id: &id,
            value: map.get(&id),
        };
        lines.push_str(&entry.to_line());
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
    let mut clients = Vec::new();
    let mut users = Vec::new();
    let mut devices = Vec::new();
    let mut refresh_grants = Vec::new();
    for ((kind, id), value) in entries {
        match kind {
            Kind::Pool => {}
            Kind::Client => clients.push((id.clone(), parse(pool_id, kind, &id, &value)?)),
            Kind::User => users.push((id.clone(), parse(pool_id, kind, &id, &value)?)),
            Kind::Device => devices.push((id.clone(), parse(pool_id, kind, &id, &value)?)),
            Kind::RefreshGrant => {
                refresh_grants.push((id.clone(), parse(pool_id, kind, &id, &value)?));
            }
        }
    }
    let mut state = PoolState {
        settings: Tracked::new(settings),
        clients: clients.into_iter().collect(),
        users: users.into_iter().collect::<TrackedMap<_>>(),
        devices: devices.into_iter().collect(),
        sessions: HashMap::new(),
        refresh_grants: refresh_grants.into_iter().collect(),
        subs: HashMap::new(),
        emails: HashMap::new(),
        grants_after_purge: 0,
        checks_in_flight: HashMap::new(),
    };
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
