// SPDX-License-Identifier: Apache-2.0
//! Pools to and from the entries of the data directory ([`crate::store`]): what changed under a
//! pool's lock becomes journal lines, and stored entries become pools again at start-up.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::model::{PoolKeys, PoolSettings, PoolState};
use super::tracked::{Owned, OwnedMap, TrackedMap};
use super::{Clock, Pool};
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

/// The lines of the entries named, as they are now: `None` deletes.
fn push_entries<'a, V: Serialize + 'a>(
    lines: &mut String,
    pool_id: &str,
    kind: Kind,
    ids: BTreeSet<String>,
    get: impl Fn(&str) -> Option<&'a V>,
) {
    for id in ids {
        let entry = EntryRef {
            pool: pool_id,
            kind,
            id: &id,
            value: get(&id),
        };
        lines.push_str(&entry.to_line());
    }
}

impl<V: Serialize + DeserializeOwned> Journaled for TrackedMap<V> {
    fn push_changed(&mut self, lines: &mut String, pool_id: &str, kind: Kind) {
        let changed = self.take_changed();
        push_entries(lines, pool_id, kind, changed, |id| self.get(id));
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

impl<V: Owned + Serialize + DeserializeOwned> Journaled for OwnedMap<V> {
    fn push_changed(&mut self, lines: &mut String, pool_id: &str, kind: Kind) {
        let changed = self.take_changed();
        push_entries(lines, pool_id, kind, changed, |id| self.get(id));
    }

    fn push_all(&self, lines: &mut Vec<String>, pool_id: &str, kind: Kind) {
        (**self).push_all(lines, pool_id, kind);
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
    /// Shows `visit` every journaled map of the pool with the kind its entries are stored as: a
    /// new kind of entry is one line here (and its `Kind`). A visitor rather than a list, since
    /// every lock release comes here.
    fn for_each_journaled(&mut self, mut visit: impl FnMut(Kind, &mut dyn Journaled)) {
        visit(Kind::Client, &mut self.clients);
        visit(Kind::User, &mut self.users);
        visit(Kind::Device, &mut self.devices);
        visit(Kind::RefreshGrant, &mut self.refresh_grants);
        visit(Kind::UiCustomization, &mut self.ui_customizations);
        visit(Kind::Replica, &mut self.platform.replicas);
        visit(Kind::Restoration, &mut self.platform.restorations);
        visit(Kind::CimdPolicy, &mut self.platform.cimd_policies);
        visit(Kind::RecoveryHistory, &mut self.platform.history);
        visit(Kind::Group, &mut self.groups);
        visit(Kind::SecuritySetting, &mut self.security_settings);
        visit(Kind::UserActivity, &mut self.user_activity);
        visit(Kind::IdentityProvider, &mut self.federation.providers);
        visit(Kind::ResourceServer, &mut self.federation.resource_servers);
        visit(Kind::Domain, &mut self.federation.domains);
        visit(Kind::SigningCertificate, &mut self.federation.certificates);
        visit(Kind::UserImportJob, &mut self.import_jobs);
        visit(Kind::ManagedLoginBranding, &mut self.branding.styles);
        visit(Kind::Terms, &mut self.branding.terms);
    }
}

/// Journal lines for every entry changed since the last call, which also forgets them.
pub(super) fn changed_lines(pool: &Pool, state: &mut PoolState) -> String {
    let mut lines = String::new();
    if state.settings.take_changed() {
        lines.push_str(&pool_line(&pool.id, &state.settings, &pool.keys));
    }
    state.for_each_journaled(|kind, map| map.push_changed(&mut lines, &pool.id, kind));
    lines
}

/// Every stored entry of a pool, as journal lines: the pool as a restart would bring it back.
pub(super) fn all_lines(pool: &Pool, state: &mut PoolState) -> Vec<String> {
    let mut lines = vec![pool_line(&pool.id, &state.settings, &pool.keys)];
    state.for_each_journaled(|kind, map| map.push_all(&mut lines, &pool.id, kind));
    lines
}

/// Forgets what changed, when there is no data directory to write it to.
pub(super) fn forget_changes(state: &mut PoolState) {
    state.settings.take_changed();
    state.for_each_journaled(|_, map| map.forget_changes());
}

/// The pools a data directory holds, ready to serve. Pools stored before each kept its issuer
/// get `legacy_issuer_base/<pool id>`, written back so that they keep it from now on.
pub(super) fn load_pools(
    contents: Contents,
    store: &Arc<Store>,
    legacy_issuer_base: &str,
    clock: &Arc<dyn Clock>,
) -> Result<Vec<Arc<Pool>>, StoreError> {
    contents
        .pools
        .into_iter()
        .map(|(pool_id, entries)| load_pool(&pool_id, entries, store, legacy_issuer_base, clock))
        .collect()
}

fn load_pool(
    pool_id: &str,
    mut entries: PoolEntries,
    store: &Arc<Store>,
    legacy_issuer_base: &str,
    clock: &Arc<dyn Clock>,
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
    let mut failure = None;
    // Entries come sorted by kind, so each map takes its own run of them.
    state.for_each_journaled(|kind, map| {
        let of_kind = entries
            .range((kind, String::new())..)
            .take_while(|((stored, _), _)| *stored == kind);
        for ((_, id), value) in of_kind {
            if failure.is_some() {
                return;
            }
            if let Err(error) = map.load(id.clone(), value) {
                failure = Some(StoreError::new(format!(
                    "the stored {kind:?} {id:?} of pool {pool_id} cannot be read: {error}"
                )));
            }
        }
    });
    if let Some(error) = failure {
        return Err(error);
    }
    super::pools::adopt_legacy_secrets(&mut state);
    rebuild_indexes(&mut state);
    super::platform::history::after_load(&mut state, clock.now());
    // An import under way when the emulator stopped went with the process.
    super::import::fail_interrupted_jobs(&mut state, std::time::SystemTime::now());
    Ok(Arc::new(Pool {
        id: pool_id.to_owned(),
        keys,
        state: Mutex::new(state),
        store: Some(Arc::clone(store)),
        clock: Arc::clone(clock),
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

/// The `sub`, email and group-member look-ups, which are not stored: they follow from the
/// users, by the same rule live requests keep them with.
fn rebuild_indexes(state: &mut PoolState) {
    let keys: Vec<String> = state.users.keys().cloned().collect();
    for key in keys {
        state.index_user(&key);
        state.index_memberships(&key);
    }
    super::federation::rebuild_indexes(state);
}
