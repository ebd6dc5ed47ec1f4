// SPDX-License-Identifier: Apache-2.0
//! The import of a started job, on a thread of its own. Rows are read and checked with no lock
//! held, then added a batch at a time under the pool's lock, so that requests to the pool go on
//! between batches and a StopUserImportJob takes effect before the next one. Each row costs a
//! look-up and an insertion in the pool's maps: the import is linear in the rows.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::SystemTime;

use cognito_srp::PasswordVerifier;

use super::ImportStatus;
use super::csv::{Columns, MAX_LINE_CHARS, columns, fields};
use crate::crypto::random;
use crate::service::model::{MfaConfiguration, PoolSettings, UserStatus};
use crate::service::schema::{csv_header, definition};
use crate::service::users::{NewUser, check_user_is_new, insert_user, new_user};
use crate::service::{AttributeType, Clock, Pool};

/// Rows added per taking of the pool's lock.
const BATCH_ROWS: usize = 1000;
/// The most users one file may hold.
const MAX_ROWS: usize = 500_000;
/// The service's CompletionMessage is at most this long.
const MAX_MESSAGE_CHARS: usize = 128;

/// The import of one job. It holds its pool weakly: a pool deleted (or a service dropped)
/// under it ends the import, as does the service closing.
#[derive(Clone)]
pub(super) struct Import {
    pub(super) pool: Weak<Pool>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) job_id: String,
    pub(super) closing: Arc<AtomicBool>,
}

/// What the rows came to so far.
#[derive(Debug, Default)]
struct Tally {
    imported: u64,
    skipped: u64,
    failed: u64,
    /// The first row that failed, and why: the rest are only logged.
    first_failure: Option<String>,
}

/// A row read and checked, ready to be added unless its username is taken by then.
type Row = Result<Option<(NewUser, PasswordVerifier)>, String>;

impl Import {
    /// Starts importing `csv` (`None`: nothing was uploaded) for the job, which is Pending.
    pub(super) fn spawn(self, csv: Option<Vec<u8>>) -> Option<JoinHandle<()>> {
        let thread = std::thread::Builder::new().name("user-import".to_owned());
        let import = self.clone();
        match thread.spawn(move || import.run(csv)) {
            Ok(running) => Some(running),
            Err(_) => {
                self.finish_with(ImportStatus::Failed, "The import could not be started.");
                None
            }
        }
    }

    fn run(&self, csv: Option<Vec<u8>>) {
        let Some(csv) = csv else {
            return self.fail("No CSV file was uploaded to the job's pre-signed URL.");
        };
        let Ok(text) = String::from_utf8(csv) else {
            return self.fail("The CSV file is not UTF-8 text.");
        };
        let Some(settings) = self.begin() else {
            return;
        };
        let mut lines = text.lines();
        let Some(header) = lines.next() else {
            return self.fail("The CSV file is empty.");
        };
        let columns = match columns(header, &csv_header(&settings.schema)) {
            Ok(columns) => columns,
            Err(why) => return self.fail(&why),
        };
        if text.lines().count() - 1 > MAX_ROWS {
            return self.fail("The CSV file has more than 500,000 users.");
        }
        let mut tally = Tally::default();
        let mut batch: Vec<(usize, Row)> = Vec::with_capacity(BATCH_ROWS);
        for (index, line) in lines.enumerate() {
            // Line numbers as an editor shows them: the header is line 1.
            batch.push((index + 2, self.read_row(line, &columns, &settings)));
            if batch.len() == BATCH_ROWS && !self.commit(&mut batch, &mut tally) {
                return;
            }
        }
        if self.commit(&mut batch, &mut tally) {
            self.complete(&tally);
        }
    }

    /// Marks the job InProgress, unless it was stopped first; answers the pool's settings.
    fn begin(&self) -> Option<PoolSettings> {
        let pool = self.pool.upgrade()?;
        let mut state = pool.lock();
        let settings = state.settings.clone();
        let job = state.import_jobs.get_mut(&self.job_id)?;
        if job.status != ImportStatus::Pending {
            return None;
        }
        job.status = ImportStatus::InProgress;
        Some(settings)
    }

    /// One row as a user to add, `None` for a row with no values at all (skipped).
    fn read_row(&self, line: &str, columns: &Columns, settings: &PoolSettings) -> Row {
        if line.chars().count() > MAX_LINE_CHARS {
            return Err(format!(
                "the row is longer than {MAX_LINE_CHARS} characters"
            ));
        }
        let values = fields(line);
        if values.iter().all(String::is_empty) {
            return Ok(None);
        }
        if values.len() != columns.names.len() {
            return Err(format!(
                "the row has {} fields where the header has {}",
                values.len(),
                columns.names.len()
            ));
        }
        let username = &values[columns.username];
        if username.is_empty() || username.contains([' ', '\t']) {
            return Err("cognito:username must be given, without spaces or tabs".to_owned());
        }
        check_mfa_enabled(&values[columns.mfa_enabled], settings.mfa)?;
        let attributes = row_attributes(columns, &values, settings);
        check_verified_contact(&attributes, settings)?;
        let new_user = new_user(settings, username, &attributes, false).map_err(|e| e.message)?;
        Ok(Some((new_user, unusable_verifier())))
    }

    /// Adds a batch under the pool's lock; `false` when the job was stopped (or is gone), and
    /// the import ends.
    fn commit(&self, batch: &mut Vec<(usize, Row)>, tally: &mut Tally) -> bool {
        if self.closing.load(Ordering::SeqCst) {
            return false;
        }
        let Some(pool) = self.pool.upgrade() else {
            return false;
        };
        let now = self.clock.now();
        let mut state = pool.lock();
        let in_progress = state
            .import_jobs
            .get(&self.job_id)
            .is_some_and(|job| job.status == ImportStatus::InProgress);
        if !in_progress {
            return false;
        }
        for (line, row) in batch.drain(..) {
            let added = row.and_then(|row| {
                let Some((new_user, verifier)) = row else {
                    return Ok(false);
                };
                check_user_is_new(&state, &new_user).map_err(|e| e.message)?;
                insert_user(
                    &mut state,
                    new_user,
                    verifier,
                    UserStatus::ResetRequired,
                    now,
                );
                Ok(true)
            });
            match added {
                Ok(true) => tally.imported += 1,
                Ok(false) => tally.skipped += 1,
                Err(why) => {
                    tracing::info!(job = %self.job_id, line, reason = %why, "user not imported");
                    tally.failed += 1;
                    tally
                        .first_failure
                        .get_or_insert_with(|| format!("line {line}: {why}"));
                }
            }
        }
        if let Some(job) = state.import_jobs.get_mut(&self.job_id) {
            job.imported = tally.imported;
            job.skipped = tally.skipped;
            job.failed = tally.failed;
        }
        true
    }

    /// Ends the job once every row is done: it failed if no row could be imported.
    fn complete(&self, tally: &Tally) {
        match &tally.first_failure {
            None => self.finish_with(
                ImportStatus::Succeeded,
                "Import Job Completed Successfully.",
            ),
            Some(_) if tally.imported == 0 => self.finish_with(
                ImportStatus::Failed,
                "Too many users have failed or been skipped during the import.",
            ),
            Some(first) => {
                let message = format!(
                    "Import Job Completed; {} users failed, the first at {first}",
                    tally.failed
                );
                self.finish_with(ImportStatus::Succeeded, &message);
            }
        }
    }

    fn fail(&self, why: &str) {
        tracing::info!(job = %self.job_id, reason = why, "user import failed");
        self.finish_with(ImportStatus::Failed, why);
    }

    /// Ends the job, unless it was stopped meanwhile.
    fn finish_with(&self, status: ImportStatus, message: &str) {
        let Some(pool) = self.pool.upgrade() else {
            return;
        };
        let now: SystemTime = self.clock.now();
        let mut state = pool.lock();
        if let Some(job) = state.import_jobs.get_mut(&self.job_id)
            && matches!(job.status, ImportStatus::Pending | ImportStatus::InProgress)
        {
            job.finish(status, &shortened(message), now);
        }
    }
}

/// The row's non-empty values as attributes, Boolean ones (`TRUE`, `False`) in lower case.
fn row_attributes(
    columns: &Columns,
    values: &[String],
    settings: &PoolSettings,
) -> Vec<AttributeType> {
    columns
        .names
        .iter()
        .zip(values)
        .filter(|(name, value)| !value.is_empty() && !name.starts_with("cognito:"))
        .map(|(name, value)| {
            let boolean = definition(&settings.schema, name)
                .is_some_and(|d| d.attribute_data_type == "Boolean");
            let value = if boolean {
                value.to_lowercase()
            } else {
                value.clone()
            };
            AttributeType::new(name, value)
        })
        .collect()
}

/// `cognito:mfa_enabled` must be given, and agree with a pool where MFA is on or off.
fn check_mfa_enabled(value: &str, mfa: MfaConfiguration) -> Result<(), String> {
    let enabled = match value.to_lowercase().as_str() {
        "true" => true,
        "false" => false,
        _ => return Err("cognito:mfa_enabled must be true or false".to_owned()),
    };
    match (mfa, enabled) {
        (MfaConfiguration::On, false) => {
            Err("cognito:mfa_enabled must be true: MFA is required".to_owned())
        }
        (MfaConfiguration::Off, true) => {
            Err("cognito:mfa_enabled must be false: MFA is off".to_owned())
        }
        _ => Ok(()),
    }
}

/// An imported user resets its password with a code: it needs a verified email or phone number
/// among those the pool verifies, and a verified one must be there.
fn check_verified_contact(
    attributes: &[AttributeType],
    settings: &PoolSettings,
) -> Result<(), String> {
    let value = |name: &str| {
        attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    };
    for contact in ["email", "phone_number"] {
        let flag = format!("{contact}_verified");
        if value(&flag) == Some("true") && value(contact).is_none() {
            return Err(format!("{flag} is true but {contact} is empty"));
        }
    }
    let verified = settings
        .auto_verified_attributes
        .iter()
        .any(|contact| value(&format!("{contact}_verified")) == Some("true"));
    if verified {
        Ok(())
    } else {
        Err(
            "at least one auto-verified attribute (email or phone_number) must be verified"
                .to_owned(),
        )
    }
}

/// A verifier no password matches: an imported user has none until it resets it. `v = g`
/// would take a password whose hash is 1, which no one can find.
fn unusable_verifier() -> PasswordVerifier {
    use base64::Engine;
    let salt = base64::engine::general_purpose::STANDARD.encode(random::bytes::<16>());
    PasswordVerifier::from_base64(&salt, "Ag==")
        .expect("2 is a valid verifier and 16 random bytes a valid salt")
}

/// Whether a verifier is [`unusable_verifier`]'s, whatever its salt.
pub(super) fn is_unusable(verifier: &PasswordVerifier) -> bool {
    static UNUSABLE: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| unusable_verifier().verifier_base64());
    verifier.verifier_base64() == *UNUSABLE
}

fn shortened(message: &str) -> String {
    message.chars().take(MAX_MESSAGE_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mfa_enabled_must_agree_with_the_pool() {
        assert!(check_mfa_enabled("FALSE", MfaConfiguration::Off).is_ok());
        assert!(check_mfa_enabled("true", MfaConfiguration::Off).is_err());
        assert!(check_mfa_enabled("false", MfaConfiguration::On).is_err());
        assert!(check_mfa_enabled("", MfaConfiguration::Optional).is_err());
    }

    #[test]
    fn the_placeholder_verifier_matches_no_password() {
        let identity = cognito_srp::Identity::user("us-east-1_Test12345", "jo").unwrap();
        assert!(!unusable_verifier().matches(&identity, ""));
        assert!(!unusable_verifier().matches(&identity, "Passw0rd!"));
        assert!(is_unusable(&unusable_verifier()));
        assert!(!is_unusable(&PasswordVerifier::derive(
            &identity,
            "x",
            &[1]
        )));
    }

    #[test]
    fn long_messages_are_cut_to_the_services_length() {
        let job_message = shortened(&"x".repeat(300));
        assert_eq!(job_message.chars().count(), MAX_MESSAGE_CHARS);
    }
}
