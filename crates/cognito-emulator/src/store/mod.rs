// SPDX-License-Identifier: Apache-2.0
//! The data directory (`--data-dir`): pools, clients, users, devices, refresh grants and signing
//! keys written ahead of every answer, so that nothing a client was told about is lost to a
//! restart or a crash.
//!
//! The directory holds, for one generation `g` at a time:
//! - `snapshot-<g>.jsonl`: every entry as of the start of generation `g`. It is written under a
//!   temporary name, synced, and renamed into place, so it is either whole or absent.
//! - `journal-<g>.jsonl`, `journal-<g+1>.jsonl`, ...: entries changed since, one JSON object a
//!   line, appended and synced before the answers that depend on them are sent. A crash can
//!   tear the last line; no client was told about it, so it is dropped on the next start.
//!
//! Start-up folds the newest snapshot and the journals after it into one state, writes that as
//! the next generation's snapshot, and starts a fresh journal. While running, a journal that
//! has grown past [`COMPACT_AFTER_BYTES`] is closed and folded into a new snapshot in the
//! background; writers go on in the next journal meanwhile.
//!
//! Entries are keyed by pool, kind and id. Writing a pool's own entry as deleted drops the
//! whole pool. Sign-in sessions are not kept: they last minutes, and a client whose session
//! is gone starts the sign-in again, as after a session expires.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tokio::sync::watch;

mod compact;
mod files;
mod format;

use compact::*;
use files::*;
use format::*;
pub use format::{EntryRef, Kind, PoolEntries};

/// A journal this large is folded into a new snapshot.
pub const COMPACT_AFTER_BYTES: u64 = 64 << 20;
/// Every pool's entries, after folding a snapshot and the journals that follow it.
#[derive(Debug, Default)]
pub struct Contents {
    pub pools: BTreeMap<String, PoolEntries>,
}

impl Contents {
    fn apply(&mut self, entry: Entry) {
        match (entry.kind, entry.value) {
            (Kind::Pool, None) => {
                self.pools.remove(&entry.pool);
            }
            (kind, Some(value)) => {
                self.pools
                    .entry(entry.pool)
                    .or_default()
                    .insert((kind, entry.id), value);
            }
            (kind, None) => {
                if let Some(pool) = self.pools.get_mut(&entry.pool) {
                    pool.remove(&(kind, entry.id));
                }
            }
        }
    }

    /// Entries written by requests that were still running on a pool being deleted.
    fn drop_orphans(&mut self) {
        self.pools
            .retain(|_, entries| entries.contains_key(&(Kind::Pool, String::new())));
    }

    fn write_entries(&self, file: &mut dyn Write) -> io::Result<()> {
        for (pool, entries) in &self.pools {
            for ((kind, id), value) in entries {
                let line = EntryRef {
                    pool,
                    kind: *kind,
                    id,
                    value: Some(value),
                }
                .to_line();
                file.write_all(line.as_bytes())?;
            }
        }
        Ok(())
    }
}

/// Why the data directory cannot be used.
#[derive(Debug)]
pub struct StoreError(String);

impl StoreError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<StoreError> for io::Error {
    fn from(error: StoreError) -> Self {
        io::Error::other(error.0)
    }
}

fn failed(path: &Path, doing: &str, error: impl std::fmt::Display) -> StoreError {
    StoreError(format!("cannot {doing} {}: {error}", path.display()))
}

/// An open data directory: appends go to the current journal from a writer thread that syncs
/// each batch once, however many requests it carries.
#[derive(Debug)]
pub struct Store {
    shared: Arc<Shared>,
    writer: Mutex<Option<JoinHandle<()>>>,
    /// Held while open: a second emulator on the same directory would interleave journals.
    _lock: File,
}

#[derive(Debug)]
struct Shared {
    pending: Mutex<Pending>,
    wake: Condvar,
    synced: watch::Sender<Synced>,
    /// Makes the next journal write fail, as a full or broken disk would.
    #[cfg(test)]
    fail_writes: std::sync::atomic::AtomicBool,
}

#[derive(Debug, Default)]
struct Pending {
    bytes: Vec<u8>,
    /// Batches appended so far; batch `n` is durable once `Synced::batches >= n`.
    batches: u64,
    closing: bool,
}

#[derive(Debug, Clone, Default)]
struct Synced {
    batches: u64,
    failure: Option<Arc<str>>,
}

impl Shared {
    fn pending(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Nothing more can be saved: every wait, now and later, gets `message`.
    fn fail(&self, message: String) {
        tracing::error!("{message}");
        self.pending().closing = true;
        self.synced
            .send_modify(|s| s.failure = Some(message.into()));
    }

    fn write(&self, journal: &mut Journal, batch: &[u8]) -> io::Result<()> {
        #[cfg(test)]
        if self.fail_writes.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(io::Error::other("No space left on device (simulated)"));
        }
        journal.append(batch)
    }
}

impl Store {
    /// Opens (creating it if needed) and locks `dir`, and returns what it holds.
    pub fn open(dir: &Path) -> Result<(Self, Contents), StoreError> {
        Self::open_compacting_after(dir, COMPACT_AFTER_BYTES)
    }

    fn open_compacting_after(
        dir: &Path,
        compact_after_bytes: u64,
    ) -> Result<(Self, Contents), StoreError> {
        create_private_dir(dir).map_err(|e| failed(dir, "create the data directory", e))?;
        let lock_path = dir.join("lock");
        let lock = private_file(&lock_path, false)
            .map_err(|e| failed(&lock_path, "open the lock file", e))?;
        lock.try_lock().map_err(|_| {
            StoreError(format!(
                "{} is in use by another cognito-emulator; stop it or choose another --data-dir",
                dir.display()
            ))
        })?;
        let files = Files::list(dir)?;
        let (contents, journaled) = files.fold()?;
        let generation = files.newest() + 1;
        // The snapshot holds everything unless journals added to it; only then is a new one
        // worth writing (after a clean stop it is not, and that is most starts).
        let base = match files.snapshots.last() {
            Some(&snapshot) if journaled == 0 => snapshot,
            _ => {
                write_snapshot_file(dir, generation, &contents)?;
                generation
            }
        };
        files.remove_all_but(Some(base));
        let journal = Journal::create(dir, generation)?;
        let shared = Arc::new(Shared {
            pending: Mutex::default(),
            wake: Condvar::new(),
            synced: watch::Sender::new(Synced::default()),
            #[cfg(test)]
            fail_writes: false.into(),
        });
        let writer = {
            let shared = Arc::clone(&shared);
            let dir = dir.to_owned();
            std::thread::Builder::new()
                .name("cognito-emulator-journal".to_owned())
                .spawn(move || {
                    let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        write_journal(&shared, &dir, journal, base, compact_after_bytes);
                    }));
                    if written.is_err() {
                        shared.fail("the journal writer stopped unexpectedly".to_owned());
                    }
                })
                .map_err(|e| StoreError(format!("cannot start the journal writer: {e}")))?
        };
        Ok((
            Self {
                shared,
                writer: Mutex::new(Some(writer)),
                _lock: lock,
            },
            contents,
        ))
    }

    /// Queues lines for the journal. They are durable once [`Store::synced`] returns.
    pub fn append(&self, lines: &[u8]) {
        if lines.is_empty() {
            return;
        }
        let mut pending = self.shared.pending();
        if pending.closing {
            return;
        }
        pending.bytes.extend_from_slice(lines);
        pending.batches += 1;
        drop(pending);
        self.shared.wake.notify_one();
    }

    /// Waits until everything appended so far is on disk.
    pub async fn synced(&self) -> Result<(), StoreError> {
        let target = self.shared.pending().batches;
        let mut synced = self.shared.synced.subscribe();
        let state = synced
            .wait_for(|s| s.batches >= target || s.failure.is_some())
            .await
            .map_err(|_| StoreError("the journal writer has stopped".to_owned()))?;
        match &state.failure {
            Some(failure) => Err(StoreError(failure.to_string())),
            None => Ok(()),
        }
    }

    /// Writes out what is queued and stops the writer. Later appends are dropped.
    pub fn close(&self) {
        self.shared.pending().closing = true;
        self.shared.wake.notify_one();
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(writer) = writer {
            let _ = writer.join();
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.close();
    }
}

/// The writer thread: one write and one sync per batch of appends; a journal grown past
/// `compact_after_bytes` is swapped for a new one and folded into a snapshot in the background.
fn write_journal(
    shared: &Shared,
    dir: &Path,
    mut journal: Journal,
    mut base: u64,
    compact_after_bytes: u64,
) {
    let mut compaction: Option<JoinHandle<Result<u64, StoreError>>> = None;
    let mut batch = Vec::new();
    loop {
        let batches = {
            let mut pending = shared.pending();
            while pending.bytes.is_empty() && !pending.closing {
                pending = shared.wake.wait(pending).unwrap_or_else(|p| p.into_inner());
            }
            if pending.bytes.is_empty() {
                break;
            }
            std::mem::swap(&mut batch, &mut pending.bytes);
            pending.batches
        };
        if let Err(error) = shared.write(&mut journal, &batch) {
            shared.fail(format!(
                "cannot write to the data directory {}: {error}; restart the emulator once the \
                 disk is usable again",
                dir.display()
            ));
            break;
        }
        batch.clear();
        shared.synced.send_modify(|s| s.batches = batches);

        if let Some(done) = compaction.take_if(|c| c.is_finished()) {
            match done.join() {
                Ok(Ok(generation)) => base = generation,
                Ok(Err(error)) => tracing::warn!("compaction failed, will retry: {error}"),
                Err(_) => tracing::warn!("compaction panicked, will retry"),
            }
        }
        if journal.bytes >= compact_after_bytes && compaction.is_none() {
            let next = journal.generation + 1;
            match Journal::create(dir, next) {
                Ok(fresh) => {
                    let closed = std::mem::replace(&mut journal, fresh);
                    let dir = dir.to_owned();
                    compaction = std::thread::Builder::new()
                        .name("cognito-emulator-compaction".to_owned())
                        .spawn(move || compact(&dir, base, closed.generation))
                        .ok();
                }
                Err(error) => tracing::warn!("cannot start a new journal: {error}"),
            }
        }
    }
    if let Some(compaction) = compaction {
        let _ = compaction.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(pool: &str, kind: Kind, id: &str, value: Option<&serde_json::Value>) -> String {
        EntryRef {
            pool,
            kind,
            id,
            value,
        }
        .to_line()
    }

    fn pool_line(pool: &str) -> String {
        line(
            pool,
            Kind::Pool,
            "",
            Some(&serde_json::json!({ "name": pool })),
        )
    }

    fn user_line(pool: &str, id: &str, n: u64) -> String {
        line(pool, Kind::User, id, Some(&serde_json::json!({ "n": n })))
    }

    fn ids(contents: &Contents, pool: &str) -> Vec<String> {
        contents.pools[pool]
            .iter()
            .map(|((kind, id), value)| format!("{kind:?}:{id}={}", value.get()))
            .collect()
    }

    fn file_names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[tokio::test]
    async fn what_was_synced_comes_back_with_the_newest_value_of_each_entry() {
        let dir = tempfile::tempdir().unwrap();
        let (store, contents) = Store::open(dir.path()).unwrap();
        assert!(contents.pools.is_empty());
        store.append(pool_line("p1").as_bytes());
        store.append((user_line("p1", "alice", 1) + &user_line("p1", "bob", 1)).as_bytes());
        store.append(user_line("p1", "alice", 2).as_bytes());
        store.append(line("p1", Kind::User, "bob", None).as_bytes());
        store.append(line("p1", Kind::User, "never-there", None).as_bytes());
        store.synced().await.unwrap();
        drop(store);

        let (store, contents) = Store::open(dir.path()).unwrap();
        assert_eq!(
            ids(&contents, "p1"),
            [r#"Pool:={"name":"p1"}"#, r#"User:alice={"n":2}"#]
        );
        // Start-up folded everything into one snapshot and began one journal.
        let names = file_names(dir.path());
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names[0].starts_with("journal-") && names[1] == "lock");
        assert!(names[2].starts_with("snapshot-"));
        drop(store);
        // Nothing was journaled since: the snapshot is kept as it is, and a new journal begun.
        let (store, again) = Store::open(dir.path()).unwrap();
        assert_eq!(ids(&again, "p1"), ids(&contents, "p1"));
        let kept = file_names(dir.path());
        assert_eq!(kept[2], names[2]);
        assert!(kept[0] > names[0], "{kept:?} after {names:?}");
        assert_eq!(kept.len(), 3);
        // And what is journaled after that comes back on top of it.
        store.append(user_line("p1", "carol", 1).as_bytes());
        store.synced().await.unwrap();
        drop(store);
        let (_store, last) = Store::open(dir.path()).unwrap();
        assert_eq!(ids(&last, "p1").len(), 3);
    }

    #[tokio::test]
    async fn a_deleted_pool_takes_its_entries_with_it_even_those_written_after() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path()).unwrap();
        store.append((pool_line("gone") + &user_line("gone", "alice", 1)).as_bytes());
        store.append((pool_line("kept") + &user_line("kept", "bob", 1)).as_bytes());
        store.append(line("gone", Kind::Pool, "", None).as_bytes());
        // A request that was still running on the pool when it was deleted.
        store.append(user_line("gone", "late", 1).as_bytes());
        store.synced().await.unwrap();
        drop(store);
        let (_store, contents) = Store::open(dir.path()).unwrap();
        assert_eq!(contents.pools.keys().collect::<Vec<_>>(), ["kept"]);
        assert_eq!(ids(&contents, "kept").len(), 2);
    }

    fn write_journal_file(dir: &Path, generation: u64, body: &str) {
        let mut text = serde_json::to_string(&Header {
            format: FORMAT.to_owned(),
            version: FORMAT_VERSION,
        })
        .unwrap();
        text.push('\n');
        text.push_str(body);
        fs::write(journal_path(dir, generation), text).unwrap();
    }

    #[test]
    fn a_torn_last_line_is_left_out_and_damage_before_it_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let whole = pool_line("p1") + &user_line("p1", "alice", 1);
        let torn = &user_line("p1", "bob", 1)[..20];
        write_journal_file(dir.path(), 1, &(whole.clone() + torn));
        let (store, contents) = Store::open(dir.path()).unwrap();
        assert_eq!(ids(&contents, "p1").len(), 2);
        drop(store);

        let dir = tempfile::tempdir().unwrap();
        write_journal_file(dir.path(), 1, &format!("{whole}{torn}\n{whole}"));
        let error = Store::open(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("journal-00000000000000000001.jsonl is damaged at line 4"),
            "{error}"
        );
        // Nothing was rewritten or removed.
        assert!(journal_path(dir.path(), 1).exists());

        // A journal created just before a crash, header not yet written.
        let dir = tempfile::tempdir().unwrap();
        fs::write(journal_path(dir.path(), 3), "").unwrap();
        assert!(Store::open(dir.path()).unwrap().1.pools.is_empty());
    }

    #[tokio::test]
    async fn when_the_disk_fails_every_wait_says_so_and_nothing_more_is_queued() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path()).unwrap();
        store.append(pool_line("p1").as_bytes());
        store.synced().await.unwrap();
        store
            .shared
            .fail_writes
            .store(true, std::sync::atomic::Ordering::Relaxed);
        store.append(user_line("p1", "alice", 1).as_bytes());
        let error = store.synced().await.unwrap_err().to_string();
        assert!(
            error.contains("cannot write to the data directory"),
            "{error}"
        );
        assert!(error.contains("No space left on device"), "{error}");
        store.append(user_line("p1", "bob", 1).as_bytes());
        assert!(store.synced().await.is_err());
        drop(store);
        // What was saved before the failure is still there.
        let (_store, contents) = Store::open(dir.path()).unwrap();
        assert_eq!(ids(&contents, "p1"), [r#"Pool:={"name":"p1"}"#]);
    }

    #[test]
    fn files_from_another_format_version_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            snapshot_path(dir.path(), 2),
            "{\"format\":\"cognito-emulator\",\"version\":99}\n",
        )
        .unwrap();
        let error = Store::open(dir.path()).unwrap_err().to_string();
        assert!(error.contains("was not written by this version"), "{error}");
    }

    #[test]
    fn a_directory_serves_one_emulator_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let (first, _) = Store::open(dir.path()).unwrap();
        let error = Store::open(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("in use by another cognito-emulator"),
            "{error}"
        );
        drop(first);
        assert!(Store::open(dir.path()).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn only_the_owner_can_read_the_directory_and_its_files() {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("data");
        let (_store, _) = Store::open(&dir).unwrap();
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        for name in file_names(&dir) {
            assert_eq!(mode(&dir.join(&name)), 0o600, "{name}");
        }
    }

    /// Every (pool, kind, id) and its value, for comparing two folds.
    fn everything(contents: &Contents) -> Vec<String> {
        contents
            .pools
            .keys()
            .flat_map(|pool| {
                ids(contents, pool)
                    .into_iter()
                    .map(move |e| format!("{pool}/{e}"))
            })
            .collect()
    }

    #[test]
    fn background_compaction_keeps_exactly_what_a_full_fold_keeps() {
        // Random histories over a few pools and keys: puts, deletes, pool deletions, entries
        // written after their pool was deleted, and keys that were never there.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut random = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..40 {
            let dir = tempfile::tempdir().unwrap();
            let mut history = Vec::new();
            for step in 0..400 {
                let pool = format!("p{}", random(4));
                let id = format!("u{}", random(6));
                let kind = [Kind::Client, Kind::User, Kind::Device][random(3) as usize];
                history.push(match random(10) {
                    0 => pool_line(&pool),
                    1 if random(3) == 0 => line(&pool, Kind::Pool, "", None),
                    2 | 3 => line(&pool, kind, &id, None),
                    _ => line(&pool, kind, &id, Some(&serde_json::json!(step))),
                });
            }
            // Generation 1's snapshot, then journals 1 to 3.
            let chunks: Vec<String> = history.chunks(100).map(|c| c.concat()).collect();
            write_journal_file(dir.path(), 0, &chunks[0]);
            let mut first = Contents::default();
            read_entries(&journal_path(dir.path(), 0), true, &mut first).unwrap();
            first.drop_orphans();
            fs::remove_file(journal_path(dir.path(), 0)).unwrap();
            write_snapshot_file(dir.path(), 1, &first).unwrap();
            for (generation, chunk) in (1..).zip(&chunks[1..]) {
                write_journal_file(dir.path(), generation, chunk);
            }

            let (full, _) = Files::list(dir.path()).unwrap().fold().unwrap();
            assert_eq!(compact(dir.path(), 1, 3).unwrap(), 4);
            let files = Files::list(dir.path()).unwrap();
            assert_eq!(
                (files.snapshots.as_slice(), files.journals.len()),
                (&[4][..], 0)
            );
            let (compacted, _) = files.fold().unwrap();
            assert_eq!(everything(&compacted), everything(&full));
        }
    }

    #[tokio::test]
    async fn a_full_journal_is_folded_into_a_snapshot_while_writes_go_on() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open_compacting_after(dir.path(), 2_000).unwrap();
        store.append(pool_line("p1").as_bytes());
        for round in 0..200u64 {
            store.append(user_line("p1", &format!("user{}", round % 50), round).as_bytes());
            store.synced().await.unwrap();
        }
        drop(store);
        // The journal was swapped and folded while running: what is left is one snapshot and
        // the journals written after it.
        let files = Files::list(dir.path()).unwrap();
        assert_eq!(files.snapshots.len(), 1);
        assert!(files.snapshots[0] > 2, "{files:?}");
        assert!(
            files.journals.iter().all(|&g| g >= files.snapshots[0]),
            "{files:?}"
        );
        let (_store, contents) = Store::open(dir.path()).unwrap();
        let users = ids(&contents, "p1");
        assert_eq!(users.len(), 51);
        assert!(users.contains(&r#"User:user49={"n":199}"#.to_owned()));
        assert!(users.contains(&r#"User:user0={"n":150}"#.to_owned()));
        assert_eq!(file_names(dir.path()).len(), 3);
    }
}
