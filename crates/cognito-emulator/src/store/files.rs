// SPDX-License-Identifier: Apache-2.0
//! The directory's files: which generations are there, and writing them owner-only and
//! atomically.

use super::*;

/// The generation files found in a data directory.
#[derive(Debug)]
pub(super) struct Files {
    pub(super) dir: PathBuf,
    pub(super) snapshots: Vec<u64>,
    pub(super) journals: Vec<u64>,
    pub(super) temporary: Vec<PathBuf>,
}

impl Files {
    pub(super) fn list(dir: &Path) -> Result<Self, StoreError> {
        let mut files = Self {
            dir: dir.to_owned(),
            snapshots: Vec::new(),
            journals: Vec::new(),
            temporary: Vec::new(),
        };
        let listing = fs::read_dir(dir).map_err(|e| failed(dir, "read", e))?;
        for entry in listing {
            let entry = entry.map_err(|e| failed(dir, "read", e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.ends_with(".tmp") {
                files.temporary.push(entry.path());
            } else if let Some(g) = generation_of(name, "snapshot-") {
                files.snapshots.push(g);
            } else if let Some(g) = generation_of(name, "journal-") {
                files.journals.push(g);
            }
        }
        files.snapshots.sort_unstable();
        files.journals.sort_unstable();
        Ok(files)
    }

    pub(super) fn newest(&self) -> u64 {
        self.snapshots
            .iter()
            .chain(&self.journals)
            .copied()
            .max()
            .unwrap_or(0)
    }

    /// The newest snapshot, then every journal from its generation on, in order; and how many
    /// journal entries there were.
    pub(super) fn fold(&self) -> Result<(Contents, usize), StoreError> {
        let mut contents = Contents::default();
        let mut journaled = 0;
        let base = self.snapshots.last().copied();
        if let Some(base) = base {
            let path = snapshot_path(&self.dir, base);
            if path.exists() {
                read_entries(&path, false, &mut contents)?;
            }
        }
        for &generation in &self.journals {
            if generation >= base.unwrap_or(0) {
                let path = journal_path(&self.dir, generation);
                for_each_entry(&path, true, |entry, _| {
                    journaled += 1;
                    contents.apply(entry);
                })?;
            }
        }
        contents.drop_orphans();
        Ok((contents, journaled))
    }

    /// Removes the listed files (they are folded into a newer snapshot).
    pub(super) fn remove_all(&self) {
        self.remove_all_but(None);
    }

    /// Removes the listed files but one snapshot.
    pub(super) fn remove_all_but(&self, kept_snapshot: Option<u64>) {
        let paths = self
            .snapshots
            .iter()
            .filter(|&&g| Some(g) != kept_snapshot)
            .map(|&g| snapshot_path(&self.dir, g))
            .chain(self.journals.iter().map(|&g| journal_path(&self.dir, g)))
            .chain(self.temporary.iter().cloned());
        for path in paths {
            if let Err(error) = fs::remove_file(&path)
                && error.kind() != io::ErrorKind::NotFound
            {
                tracing::warn!("cannot remove {}: {error}", path.display());
            }
        }
    }
}

pub(super) fn generation_of(name: &str, prefix: &str) -> Option<u64> {
    name.strip_prefix(prefix)?
        .strip_suffix(".jsonl")?
        .parse()
        .ok()
}

pub(super) fn snapshot_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("snapshot-{generation:020}.jsonl"))
}

pub(super) fn journal_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("journal-{generation:020}.jsonl"))
}

/// Writes a snapshot of `contents`.
pub(super) fn write_snapshot_file(
    dir: &Path,
    generation: u64,
    contents: &Contents,
) -> Result<(), StoreError> {
    write_file_atomically(dir, &snapshot_path(dir, generation), |out| {
        contents.write_entries(out)
    })
}

/// Writes a snapshot file under a temporary name, syncs it, and renames it into place: it is
/// whole or absent.
pub(super) fn write_file_atomically(
    dir: &Path,
    path: &Path,
    write_entries: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), StoreError> {
    let temporary = path.with_extension("jsonl.tmp");
    let write = || -> io::Result<()> {
        let mut file = BufWriter::new(private_file(&temporary, true)?);
        write_header(&mut file)?;
        write_entries(&mut file)?;
        let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        fs::rename(&temporary, path)?;
        sync_dir(dir)
    };
    write().map_err(|e| failed(path, "write", e))
}

/// The journal being appended to.
#[derive(Debug)]
pub(super) struct Journal {
    pub(super) file: File,
    pub(super) generation: u64,
    pub(super) bytes: u64,
}

impl Journal {
    pub(super) fn create(dir: &Path, generation: u64) -> Result<Self, StoreError> {
        let path = journal_path(dir, generation);
        let create = || -> io::Result<File> {
            let mut file = private_file(&path, true)?;
            write_header(&mut file)?;
            file.sync_all()?;
            sync_dir(dir)?;
            Ok(file)
        };
        let file = create().map_err(|e| failed(&path, "create", e))?;
        Ok(Self {
            file,
            generation,
            bytes: 0,
        })
    }

    pub(super) fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.file.sync_data()?;
        self.bytes += bytes.len() as u64;
        Ok(())
    }
}

/// Opens a file only its owner can read: it holds TOTP secrets, refresh tokens and keys.
pub(super) fn private_file(path: &Path, truncate: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options
        .create(true)
        .read(true)
        .write(true)
        .truncate(truncate);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

pub(super) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Makes a rename or a new file in `dir` durable.
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
