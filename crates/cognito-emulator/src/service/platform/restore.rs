// SPDX-License-Identifier: Apache-2.0
//! What reverting a pool's users and groups to a moment of its history would change (the
//! recovery preview), and the reverting itself.
//!
//! A restore writes each entry back through the pool's maps, so it is journaled, and recorded
//! in the history, as any change: a restart keeps the restored state, and a later recovery can
//! go back to before the restore. An entry whose value then equals its value now is left alone.
//! A user that is put back is put back whole, as a new one would be: its devices, refresh
//! tokens and sessions of now are dropped (a restored user signs in again), and the look-ups
//! that follow from users (`sub`, email, groups, linked identities) are rebuilt.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::history::{self, Entity, to_raw};
use super::state::PreviewCount;
use crate::service::model::{Group, PoolState, User};
use crate::service::tracked::ValueBefore;
use crate::service::{ServiceError, ServiceResult};

/// How many users and groups reverting to `moment` would create, update and delete.
pub(super) fn preview(state: &PoolState, moment: SystemTime) -> Vec<PreviewCount> {
    let mut counts: BTreeMap<Entity, PreviewCount> = Entity::ALL
        .into_iter()
        .map(|entity| {
            let count = PreviewCount {
                entity: entity.name().to_owned(),
                ..PreviewCount::default()
            };
            (entity, count)
        })
        .collect();
    for ((entity, id), then) in history::values_at(&state.platform.history, moment) {
        let now = current(state, entity, &id);
        let Some(count) = counts.get_mut(&entity) else {
            continue;
        };
        match (then, now) {
            (None, Some(_)) => count.delete_count += 1,
            (Some(_), None) => count.create_count += 1,
            (Some(then), Some(now)) if then.get() != now.get() => count.update_count += 1,
            _ => {}
        }
    }
    counts.into_values().collect()
}

/// Reverts every user and group changed since `moment` to what it held then. Every value is
/// read before anything changes, so a value that cannot be read changes nothing.
pub(super) fn restore(state: &mut PoolState, moment: SystemTime) -> ServiceResult<()> {
    let mut users = Vec::new();
    let mut groups = Vec::new();
    for ((entity, id), then) in history::values_at(&state.platform.history, moment) {
        let now = current(state, entity, &id);
        if then.as_ref().map(|v| v.get()) == now.as_ref().map(|v| v.get()) {
            continue;
        }
        match entity {
            Entity::User => users.push((id, parse::<User>(then)?)),
            Entity::Group => groups.push((id, parse::<Group>(then)?)),
        }
    }
    for (name, group) in groups {
        match group {
            Some(group) => state.groups.insert(name, group),
            None => state.groups.remove(&name),
        };
    }
    for (key, user) in users {
        state.remove_user(&key);
        if let Some(user) = user {
            state.users.insert(key.clone(), user);
            state.index_user(&key);
            state.index_memberships(&key);
        }
    }
    crate::service::federation::rebuild_indexes(state);
    Ok(())
}

fn current(state: &PoolState, entity: Entity, id: &str) -> Option<Box<RawValue>> {
    match entity {
        Entity::User => state.users.get(id).map(to_raw),
        Entity::Group => state.groups.get(id).map(to_raw),
    }
}

fn parse<T: DeserializeOwned>(value: ValueBefore) -> ServiceResult<Option<T>> {
    value
        .map(|json| serde_json::from_str(json.get()))
        .transpose()
        .map_err(|error| {
            ServiceError::internal(format!("A kept value could not be read back: {error}"))
        })
}
