// SPDX-License-Identifier: Apache-2.0
//! Containers that remember what changed in them, so that a pool's lock can write exactly the
//! changed entries to the data directory when it is released. Reading goes through `Deref`;
//! every way to change the contents is a method here, so none can skip the record.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;

/// A map whose inserted, removed and mutably borrowed keys are recorded.
#[derive(Debug)]
pub struct TrackedMap<V> {
    map: BTreeMap<String, V>,
    changed: BTreeSet<String>,
}

impl<V> Default for TrackedMap<V> {
    fn default() -> Self {
        Self {
            map: BTreeMap::new(),
            changed: BTreeSet::new(),
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
        self.changed.insert(key.to_owned());
        Some(value)
    }

    /// Inserts an entry as it was stored: not counted as changed.
    pub fn insert_unchanged(&mut self, key: String, value: V) {
        self.map.insert(key, value);
    }

    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        self.changed.insert(key.clone());
        self.map.insert(key, value)
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        String: Borrow<Q>,
        Q: Ord + ToOwned<Owned = String> + ?Sized,
    {
        let value = self.map.remove(key)?;
        self.changed.insert(key.to_owned());
        Some(value)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut V) -> bool) {
        let changed = &mut self.changed;
        self.map.retain(|key, value| {
            let kept = keep(key, value);
            if !kept {
                changed.insert(key.clone());
            }
            kept
        });
    }

    /// The keys changed since the last call: present ones were written, absent ones removed.
    pub fn take_changed(&mut self) -> BTreeSet<String> {
        std::mem::take(&mut self.changed)
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
}
