// SPDX-License-Identifier: Apache-2.0
//! What the files hold: one JSON entry a line, after a header naming the format.

use super::*;

pub(super) const FORMAT: &str = "cognito-emulator";
pub(super) const FORMAT_VERSION: u32 = 1;

/// What an entry is. A pool's own entry (settings and keys) has an empty id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Pool,
    Client,
    User,
    Device,
    RefreshGrant,
    UiCustomization,
    Replica,
    Restoration,
    CimdPolicy,
    /// An account-wide setting (a provisioned limit), kept under a key no pool id can have.
    ProvisionedLimit,
    Group,
    UserImportJob,
    /// A pool's risk, log delivery or session configuration.
    SecuritySetting,
    /// A user's authentication events and token sessions, by `sub`.
    UserActivity,
    IdentityProvider,
    ResourceServer,
    Domain,
    SigningCertificate,
    /// What a pool's users and groups held before a change, and its recovery floor.
    RecoveryHistory,
    /// An app client's managed-login branding style, by its id.
    ManagedLoginBranding,
    /// An app client's terms document (terms of use, privacy policy), by its id.
    Terms,
}

/// One line of a journal or snapshot, as written: `value: None` deletes.
#[derive(Debug, Serialize)]
pub struct EntryRef<'a, V: Serialize> {
    pub pool: &'a str,
    pub kind: Kind,
    pub id: &'a str,
    pub value: Option<&'a V>,
}

impl<V: Serialize> EntryRef<'_, V> {
    /// The entry as one journal line, newline included.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("entries serialize to JSON");
        line.push('\n');
        line
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct Entry {
    pub(super) pool: String,
    pub(super) kind: Kind,
    pub(super) id: String,
    pub(super) value: Option<Box<RawValue>>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Header {
    pub(super) format: String,
    pub(super) version: u32,
}

/// The entries of one pool, its own first, each as the JSON last written for it.
pub type PoolEntries = BTreeMap<(Kind, String), Box<RawValue>>;

/// Reads one file's entries into `contents`.
pub(super) fn read_entries(
    path: &Path,
    journal: bool,
    contents: &mut Contents,
) -> Result<(), StoreError> {
    for_each_entry(path, journal, |entry, _| contents.apply(entry))
}

/// Where a line is in its file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub(super) offset: u64,
    pub(super) len: usize,
}

/// Calls `visit` with each entry of a file and where its line is. In a journal, a last line that
/// does not parse is a write the crash interrupted, and is left out; anywhere else it is damage,
/// and an error.
pub(super) fn for_each_entry(
    path: &Path,
    journal: bool,
    mut visit: impl FnMut(Entry, Span),
) -> Result<(), StoreError> {
    let file = File::open(path).map_err(|e| failed(path, "open", e))?;
    let mut lines = BufReader::new(file).split(b'\n').peekable();
    let mut number = 0;
    let mut offset = 0;
    let mut header_checked = false;
    while let Some(line) = lines.next() {
        number += 1;
        let line = line.map_err(|e| failed(path, "read", e))?;
        let span = Span {
            offset,
            len: line.len(),
        };
        offset += line.len() as u64 + 1;
        let parsed = if header_checked {
            serde_json::from_slice::<Entry>(&line).map(|entry| visit(entry, span))
        } else {
            match serde_json::from_slice::<Header>(&line) {
                Ok(header) => {
                    check_header(path, &header)?;
                    header_checked = true;
                    Ok(())
                }
                Err(error) => Err(error),
            }
        };
        match parsed {
            Ok(()) => {}
            Err(_) if journal && lines.peek().is_none() => {
                tracing::warn!(
                    "{}: leaving out a torn last line (a write cut short by a crash)",
                    path.display()
                );
            }
            Err(error) => {
                return Err(StoreError(format!(
                    "{} is damaged at line {number} ({error}); move it out of the data \
                     directory to start without it",
                    path.display()
                )));
            }
        }
    }
    Ok(())
}

pub(super) fn check_header(path: &Path, header: &Header) -> Result<(), StoreError> {
    if header.format != FORMAT || header.version != FORMAT_VERSION {
        return Err(StoreError(format!(
            "{} was not written by this version of cognito-emulator (format {} version {})",
            path.display(),
            header.format,
            header.version
        )));
    }
    Ok(())
}

pub(super) fn write_header(file: &mut dyn Write) -> io::Result<()> {
    let header = Header {
        format: FORMAT.to_owned(),
        version: FORMAT_VERSION,
    };
    let mut line = serde_json::to_vec(&header)?;
    line.push(b'\n');
    file.write_all(&line)
}
