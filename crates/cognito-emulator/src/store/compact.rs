// SPDX-License-Identifier: Apache-2.0
//! Folding a snapshot and the journals after it into a new snapshot, in key order, holding
//! only keys in memory.

use super::*;

/// Folds generation `base`'s snapshot and journals `base..=last` into snapshot `last + 1`,
/// then removes what it replaces. Only the journals' keys and where their newest lines are
/// are held in memory; the snapshot streams through, since both are in key order.
pub(super) fn compact(dir: &Path, base: u64, last: u64) -> Result<u64, StoreError> {
    let mut newest: BTreeMap<Key, Newest> = BTreeMap::new();
    let mut deleted_pools = BTreeSet::new();
    for generation in base..=last {
        let path = journal_path(dir, generation);
        if !path.exists() {
            continue;
        }
        for_each_entry(&path, true, |entry, span| {
            if entry.kind == Kind::Pool && entry.value.is_none() {
                newest.retain(|(pool, _, _), _| *pool != entry.pool);
                deleted_pools.insert(entry.pool.clone());
            }
            let line = match entry.value {
                Some(_) => Newest::Line(generation, span),
                None => Newest::Deleted,
            };
            newest.insert((entry.pool, entry.kind, entry.id), line);
        })?;
    }
    let snapshot = snapshot_path(dir, base);
    let snapshot = snapshot.exists().then_some(snapshot);
    write_file_atomically(dir, &snapshot_path(dir, last + 1), |out| {
        merge(dir, snapshot.as_deref(), &deleted_pools, newest, out)
    })?;
    Files {
        dir: dir.to_owned(),
        snapshots: vec![base],
        journals: (base..=last).collect(),
        temporary: Vec::new(),
    }
    .remove_all();
    Ok(last + 1)
}

type Key = (String, Kind, String);

/// The newest state of a key in the journals being compacted.
#[derive(Debug, Clone, Copy)]
pub(super) enum Newest {
    Line(u64, Span),
    Deleted,
}

/// Writes the snapshot's lines, with the journals' newer ones in their place, in key order.
/// A pool is written only if its own entry survives: not deleted, and there at all. The
/// snapshot's lines of a pool the journals deleted are gone, whatever came after.
pub(super) fn merge(
    dir: &Path,
    snapshot: Option<&Path>,
    deleted_pools: &BTreeSet<String>,
    newest: BTreeMap<Key, Newest>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut older = SnapshotLines::open(snapshot)?;
    let mut newer = newest.into_iter().peekable();
    let mut journals: BTreeMap<u64, File> = BTreeMap::new();
    let mut pool: Option<(String, bool)> = None;
    loop {
        let from_journal = match (older.peek_key(), newer.peek()) {
            (None, None) => break,
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (Some(old), Some((new, _))) => new <= old,
        };
        let (key, line) = if from_journal {
            let (key, newest) = newer.next().expect("peeked");
            if older.peek_key() == Some(&key) {
                older.advance()?;
            }
            let line = match newest {
                Newest::Line(generation, span) => {
                    Some(read_span(dir, &mut journals, generation, span)?)
                }
                Newest::Deleted => None,
            };
            (key, line)
        } else {
            let (key, line) = older.next()?.expect("peeked");
            let line = (!deleted_pools.contains(&key.0)).then_some(line);
            (key, line)
        };
        if pool.as_ref().is_none_or(|(id, _)| *id != key.0) {
            let alive = key.1 == Kind::Pool && line.is_some();
            pool = Some((key.0.clone(), alive));
        }
        if let (Some((_, true)), Some(line)) = (&pool, line) {
            out.write_all(&line)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

pub(super) fn read_span(
    dir: &Path,
    journals: &mut BTreeMap<u64, File>,
    generation: u64,
    span: Span,
) -> io::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let file = match journals.entry(generation) {
        std::collections::btree_map::Entry::Occupied(open) => open.into_mut(),
        std::collections::btree_map::Entry::Vacant(slot) => {
            slot.insert(File::open(journal_path(dir, generation))?)
        }
    };
    file.seek(SeekFrom::Start(span.offset))?;
    let mut line = vec![0; span.len];
    file.read_exact(&mut line)?;
    Ok(line)
}

/// A snapshot's entry lines, in the key order they were written in, one ahead.
pub(super) struct SnapshotLines {
    pub(super) lines: Option<std::io::Split<BufReader<File>>>,
    pub(super) next: Option<(Key, Vec<u8>)>,
}

impl SnapshotLines {
    pub(super) fn open(path: Option<&Path>) -> io::Result<Self> {
        let mut lines = match path {
            Some(path) => Some(BufReader::new(File::open(path)?).split(b'\n')),
            None => None,
        };
        if let Some(lines) = &mut lines {
            // The header, checked when the directory was opened.
            lines.next().transpose()?;
        }
        let mut this = Self { lines, next: None };
        this.advance()?;
        Ok(this)
    }

    pub(super) fn advance(&mut self) -> io::Result<()> {
        self.next = match self.lines.as_mut().and_then(Iterator::next) {
            Some(line) => {
                let line = line?;
                let entry: Entry = serde_json::from_slice(&line).map_err(io::Error::other)?;
                Some(((entry.pool, entry.kind, entry.id), line))
            }
            None => None,
        };
        Ok(())
    }

    pub(super) fn peek_key(&self) -> Option<&Key> {
        self.next.as_ref().map(|(key, _)| key)
    }

    pub(super) fn next(&mut self) -> io::Result<Option<(Key, Vec<u8>)>> {
        let next = self.next.take();
        self.advance()?;
        Ok(next)
    }
}
