// SPDX-License-Identifier: Apache-2.0
//! Containers that remember what changed in them, so that a pool's lock can write exactly the
//! changed entries to the data directory when it is released. Reading goes through `Deref`;
//! every way to change the contents is a method here, so none can skip the record.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Deref;

use serde_json::value::RawValue;

/// A map whose inserted, removed and mutably borrowed keys are recorded.
#[derive(Debug)]
pub struct TrackedMap<V> {
    map: BTreeMap<String, V>,
    changed: BTreeSet<String>,
    /// When kept ([`TrackedMap::keep_values_before`]): what each key changed since the last
    /// [`TrackedMap::take_values_before`] held before its first change, for the pool's history.
    before: Option<ValuesBefore<V>>,
}

/// A key's value as JSON before its first change (`None`: it was absent).
pub type ValueBefore = Option<Box<RawValue>>;

struct ValuesBefore<V> {
    serialize: fn(&V) -> Box<RawValue>,
    values: BTreeMap<String, ValueBefore>,
}

impl<V> std::fmt::Debug for ValuesBefore<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValuesBefore")
            .field("keys", &self.values.len())
            .finish_non_exhaustive()
    }
}

impl<V> Default for TrackedMap<V> {
    fn default() -> Self {
        Self {
            map: BTreeMap::new(),
            changed: BTreeSet::new(),
            before: None,
        }
    }
}

impl<V> Deref for TrackedMap<V> {
    type Target = BTreeMap<String, V>;

    fn deref(&self) -> &Self::Target {
        &self.map
    }
}

impl<V> FromIterator<(String, V)> for TrackedMap<V> {
    /// A map loaded as it was stored: nothing in it counts as changed.
    fn from_iter<I: IntoIterator<Item = (String, V)>>(entries: I) -> Self {
        Self {
            map: entries.into_iter().collect(),
            changed: BTreeSet::new(),
            before: None,
        }
    }
}

impl<V> TrackedMap<V> {
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        String: Borrow<Q>,
        Q: Ord + ToOwned<Owned = String> + ?Sized,
    {
        let value = self.map.get_mut(key)?;
        if let Some(before) = &mut self.before {
            before.keep(&key.to_owned(), Some(value));
        }
        self.changed.insert(key.to_owned());
        Some(value)
    }

    /// Inserts an entry as it was stored: not counted as changed.
    pub fn insert_unchanged(&mut self, key: String, value: V) {
        self.map.insert(key, value);
    }

    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        if let Some(before) = &mut self.before {
            before.keep(&key, self.map.get(&key));
        }
        self.changed.insert(key.clone());
        self.map.insert(key, value)
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        String: Borrow<Q>,
        Q: Ord + ToOwned<Owned = String> + ?Sized,
    {
        let value = self.map.remove(key)?;
        if let Some(before) = &mut self.before {
            before.keep(&key.to_owned(), Some(&value));
        }
        self.changed.insert(key.to_owned());
        Some(value)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut V) -> bool) {
        let changed = &mut self.changed;
        let mut before = self.before.as_mut();
        self.map.retain(|key, value| {
            let kept = keep(key, value);
            if !kept {
                if let Some(before) = before.as_deref_mut() {
                    before.keep(key, Some(value));
                }
                changed.insert(key.clone());
            }
            kept
        });
    }

    /// From now on, keeps what each changed key held before its first change, as `serialize`
    /// writes it: one serialization per key and [`TrackedMap::take_values_before`].
    pub fn keep_values_before(&mut self, serialize: fn(&V) -> Box<RawValue>) {
        self.before = Some(ValuesBefore {
            serialize,
            values: BTreeMap::new(),
        });
    }

    /// What the keys changed since the last call held before (empty unless kept), which also
    /// forgets them.
    pub fn take_values_before(&mut self) -> BTreeMap<String, ValueBefore> {
        match &mut self.before {
            Some(before) if !before.values.is_empty() => std::mem::take(&mut before.values),
            _ => BTreeMap::new(),
        }
    }

    /// The keys changed since the last call: present ones were written, absent ones removed.
    pub fn take_changed(&mut self) -> BTreeSet<String> {
        std::mem::take(&mut self.changed)
    }
}

impl<V> ValuesBefore<V> {
    /// Keeps `value` as the key's value before, unless it changed already since the last take.
    fn keep(&mut self, key: &str, value: Option<&V>) {
        if !self.values.contains_key(key) {
            let json = value.map(self.serialize);
            self.values.insert(key.to_owned(), json);
        }
    }
}

/// An entry that belongs to one user for good (a device, a refresh grant).
pub trait Owned {
    /// The owner's username, as the user stores it.
    fn owner(&self) -> &str;
}

/// A [`TrackedMap`] that also knows each owner's keys, so that a user's entries are found
/// without looking at anyone else's. The index follows from the entries (it is not stored) and
/// every change goes through here, so a loaded map and a live one index alike.
#[derive(Debug)]
pub struct OwnedMap<V> {
    map: TrackedMap<V>,
    by_owner: HashMap<String, BTreeSet<String>>,
}

impl<V> Default for OwnedMap<V> {
    fn default() -> Self {
        Self {
            map: TrackedMap::default(),
            by_owner: HashMap::new(),
        }
    }
}

impl<V> Deref for OwnedMap<V> {
    type Target = TrackedMap<V>;

    fn deref(&self) -> &Self::Target {
        &self.map
    }
}

impl<V: Owned> OwnedMap<V> {
    /// The owner's keys, in key order.
    pub fn keys_of(&self, owner: &str) -> impl Iterator<Item = &String> {
        self.by_owner.get(owner).into_iter().flatten()
    }

    /// The owner's entries, in key order.
    pub fn entries_of(&self, owner: &str) -> impl Iterator<Item = (&String, &V)> {
        self.keys_of(owner)
            .filter_map(|key| self.map.get(key).map(|value| (key, value)))
    }

    /// The owner's keys of the entries that pass `select`, collected so the map can change next.
    pub fn keys_of_where(&self, owner: &str, select: impl Fn(&V) -> bool) -> Vec<String> {
        self.entries_of(owner)
            .filter(|(_, value)| select(value))
            .map(|(key, _)| key.clone())
            .collect()
    }

    /// A mutable entry; its owner must stay the same.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.map.get_mut(key)
    }

    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        self.index(&key, &value);
        let owner = value.owner().to_owned();
        let old = self.map.insert(key.clone(), value)?;
        if old.owner() != owner {
            self.unindex(&key, old.owner());
        }
        Some(old)
    }

    /// Inserts an entry as it was stored: not counted as changed.
    pub fn insert_unchanged(&mut self, key: String, value: V) {
        self.index(&key, &value);
        self.map.insert_unchanged(key, value);
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        let value = self.map.remove(key)?;
        self.unindex(key, value.owner());
        Some(value)
    }

    /// Keeps the entries `keep` says yes to. Looks at every entry: for sweeps, not requests.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut V) -> bool) {
        let mut dropped = Vec::new();
        self.map.retain(|key, value| {
            let kept = keep(key, value);
            if !kept {
                dropped.push((key.clone(), value.owner().to_owned()));
            }
            kept
        });
        for (key, owner) in dropped {
            self.unindex(&key, &owner);
        }
    }

    /// Removes every entry of the owner.
    pub fn remove_owned_by(&mut self, owner: &str) {
        for key in self.by_owner.remove(owner).into_iter().flatten() {
            self.map.remove(&key);
        }
    }

    /// The keys changed since the last call: present ones were written, absent ones removed.
    pub fn take_changed(&mut self) -> BTreeSet<String> {
        self.map.take_changed()
    }

    fn index(&mut self, key: &str, value: &V) {
        self.by_owner
            .entry(value.owner().to_owned())
            .or_default()
            .insert(key.to_owned());
    }

    fn unindex(&mut self, key: &str, owner: &str) {
        if let Some(keys) = self.by_owner.get_mut(owner) {
            keys.remove(key);
            if keys.is_empty() {
                self.by_owner.remove(owner);
            }
        }
    }
}

/// A value whose mutable borrows are recorded.
#[derive(Debug)]
pub struct Tracked<T> {
    value: T,
    changed: bool,
}

impl<T> Tracked<T> {
    /// A value as it was stored or first made: not counted as changed.
    pub fn new(value: T) -> Self {
        Self {
            value,
            changed: false,
        }
    }

    pub fn edit(&mut self) -> &mut T {
        self.changed = true;
        &mut self.value
    }

    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }
}

impl<T> Deref for Tracked<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_is_recorded_once_and_reads_are_not() {
        let mut map: TrackedMap<u32> = [("a".to_owned(), 1), ("b".to_owned(), 2)]
            .into_iter()
            .collect();
        assert!(map.take_changed().is_empty());
        let _ = map.get("a");
        assert!(map.get_mut("missing").is_none());
        assert!(map.take_changed().is_empty());

        *map.get_mut("a").unwrap() += 1;
        map.insert("c".to_owned(), 3);
        map.remove("b");
        map.remove("never-there");
        let changed: Vec<String> = map.take_changed().into_iter().collect();
        assert_eq!(changed, ["a", "b", "c"]);
        assert!(map.take_changed().is_empty());

        map.retain(|_, value| *value != 3);
        assert_eq!(map.take_changed().into_iter().collect::<Vec<_>>(), ["c"]);
        assert_eq!(map.len(), 1);

        let mut settings = Tracked::new(1);
        assert!(!settings.take_changed());
        *settings.edit() = 2;
        assert!(settings.take_changed());
        assert!(!settings.take_changed());
        assert_eq!(*settings, 2);
    }

    impl Owned for (&'static str, u32) {
        fn owner(&self) -> &str {
            self.0
        }
    }

    #[test]
    fn an_owners_entries_are_found_by_the_index_through_every_change() {
        let mut map: OwnedMap<(&'static str, u32)> = OwnedMap::default();
        map.insert_unchanged("d1".to_owned(), ("alice", 1));
        map.insert("d2".to_owned(), ("bob", 2));
        map.insert("d3".to_owned(), ("alice", 3));
        map.insert("d4".to_owned(), ("alice", 4));
        let keys = |map: &OwnedMap<(&'static str, u32)>, owner| -> Vec<String> {
            map.keys_of(owner).cloned().collect()
        };
        assert_eq!(keys(&map, "alice"), ["d1", "d3", "d4"]);
        map.remove("d3");
        map.insert("d4".to_owned(), ("bob", 4)); // replaced under another owner
        assert_eq!(keys(&map, "alice"), ["d1"]);
        assert_eq!(keys(&map, "bob"), ["d2", "d4"]);
        assert_eq!(map.keys_of_where("bob", |v| v.1 > 2), ["d4"]);
        map.retain(|_, value| value.1 != 2);
        assert_eq!(keys(&map, "bob"), ["d4"]);
        map.remove_owned_by("bob");
        assert!(keys(&map, "bob").is_empty());
        assert_eq!(map.len(), 1);
        let changed: Vec<String> = map.take_changed().into_iter().collect();
        assert_eq!(
            changed,
            ["d2", "d3", "d4"],
            "every change is journaled, loads are not"
        );
    }

    #[test]
    fn the_value_before_the_first_change_is_kept_once_per_take() {
        let mut map: TrackedMap<u32> = [("a".to_owned(), 1), ("b".to_owned(), 2)]
            .into_iter()
            .collect();
        map.keep_values_before(|value| {
            serde_json::value::to_raw_value(value).expect("a number serializes")
        });
        *map.get_mut("a").unwrap() += 10;
        *map.get_mut("a").unwrap() += 10;
        map.insert("c".to_owned(), 3);
        map.remove("b");
        let before: Vec<(String, Option<String>)> = map
            .take_values_before()
            .into_iter()
            .map(|(key, json)| (key, json.map(|json| json.get().to_owned())))
            .collect();
        let expected = [("a", Some("1")), ("b", Some("2")), ("c", None)]
            .map(|(key, json)| (key.to_owned(), json.map(str::to_owned)));
        assert_eq!(before, expected, "first values only; absent keys as None");
        assert!(map.take_values_before().is_empty());
        *map.get_mut("a").unwrap() += 1;
        let again = map.take_values_before();
        assert_eq!(again["a"].as_ref().map(|json| json.get()), Some("21"));
    }

    #[test]
    fn settings_edits_are_recorded() {
        let mut settings = Tracked::new(1);
        assert!(!settings.take_changed());
        *settings.edit() = 2;
        assert!(settings.take_changed());
        assert!(!settings.take_changed());
        assert_eq!(*settings, 2);
    }
}
