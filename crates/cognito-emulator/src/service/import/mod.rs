// SPDX-License-Identifier: Apache-2.0
//! User import jobs: CreateUserImportJob, DescribeUserImportJob, ListUserImportJobs,
//! StartUserImportJob, StopUserImportJob, and the upload of a job's CSV file to its
//! pre-signed URL (served by the emulator itself, as S3 serves the service's).
//!
//! A job is stored with its pool (journaled). The uploaded CSV is kept in memory only, until
//! the job starts: a restart between the upload and StartUserImportJob loses it, and the job
//! then fails for want of a file. A job under way when the emulator stops is failed when it
//! starts again. The import itself ([`run`]) works in the background, a batch of rows per
//! taking of the pool's lock.

mod csv;
mod run;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::random;
use crate::service::clock::epoch_seconds;
use crate::service::model::{PoolState, User, UserStatus};
use crate::service::{Service, ServiceError, ServiceResult};

/// The largest CSV file a job takes.
pub const MAX_CSV_BYTES: usize = 100 * 1024 * 1024;
/// How long a job's pre-signed URL takes an upload.
const UPLOAD_VALIDITY: Duration = Duration::from_secs(15 * 60);
/// A job not started within this long expires.
const START_VALIDITY: Duration = Duration::from_secs(24 * 3600);
/// Where a job's pre-signed URL is, under the emulator's public URL.
pub const UPLOAD_PATH: &str = "/_emulator/user-import";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportStatus {
    Created,
    Pending,
    InProgress,
    Stopping,
    Expired,
    Stopped,
    Failed,
    Succeeded,
}

impl ImportStatus {
    /// Started and not finished: the pool runs at most one such job.
    fn is_running(self) -> bool {
        matches!(self, Self::Pending | Self::InProgress | Self::Stopping)
    }
}

/// A user import job, as stored with its pool.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportJob {
    pub id: String,
    pub name: String,
    pub role_arn: String,
    pub password_hashing_algorithm: Option<String>,
    pub status: ImportStatus,
    pub created: SystemTime,
    pub started: Option<SystemTime>,
    pub completed: Option<SystemTime>,
    pub completion_message: Option<String>,
    pub imported: u64,
    pub skipped: u64,
    pub failed: u64,
    /// The secret in the job's pre-signed URL: only who was given the URL can upload.
    pub upload_token: Zeroizing<String>,
}

impl ImportJob {
    /// Ends the job: it is no longer running, whatever the import does next.
    fn finish(&mut self, status: ImportStatus, message: &str, now: SystemTime) {
        self.status = status;
        self.completion_message = Some(message.to_owned());
        self.completed = Some(now);
    }

    /// A job left Created for too long expires; seen when the job is next read.
    fn expire_if_stale(&mut self, now: SystemTime) {
        if self.status == ImportStatus::Created && self.created + START_VALIDITY <= now {
            self.finish(
                ImportStatus::Expired,
                "The import job expired before it was started.",
                now,
            );
        }
    }
}

/// Whether the user has a password it may sign in with: not an imported user's placeholder,
/// nor one an administrator turned off.
pub(crate) fn has_usable_password(user: &User) -> bool {
    let placeholder = user.status == UserStatus::ResetRequired && run::is_unusable(&user.verifier);
    !placeholder && !user.password_sign_in_disabled
}

/// An imported user has no password to check until it sets one (ForgotPassword and
/// ConfirmForgotPassword, or AdminSetUserPassword): any sign-in is told to reset it.
/// A user whose password sign-in an administrator turned off (AdminDisableProviderForUser,
/// ProviderName Cognito) is refused the same way.
pub(crate) fn check_has_password(user: &User) -> ServiceResult<()> {
    if user.status == UserStatus::ResetRequired && run::is_unusable(&user.verifier) {
        return Err(ServiceError::new(
            "PasswordResetRequiredException",
            "Password reset required for the user",
        ));
    }
    if user.password_sign_in_disabled {
        return Err(ServiceError::new(
            "NotAuthorizedException",
            "Password sign-in is disabled for this user.",
        ));
    }
    Ok(())
}

/// Whether one of the pool's jobs is importing.
pub(crate) fn import_running(state: &PoolState) -> bool {
    state
        .import_jobs
        .values()
        .any(|job| job.status.is_running())
}

/// Refuses to change or delete a pool while one of its jobs imports, as the service does.
pub(crate) fn check_no_import_running(state: &PoolState) -> ServiceResult<()> {
    if import_running(state) {
        return Err(ServiceError::new(
            "UserImportInProgressException",
            "The user pool cannot be changed while a user import job is running.",
        ));
    }
    Ok(())
}

/// Jobs that were running when the emulator stopped: their import is gone with the process.
pub(crate) fn fail_interrupted_jobs(state: &mut PoolState, now: SystemTime) {
    let interrupted: Vec<String> = state
        .import_jobs
        .iter()
        .filter(|(_, job)| job.status.is_running())
        .map(|(id, _)| id.clone())
        .collect();
    for id in interrupted {
        if let Some(job) = state.import_jobs.get_mut(&id) {
            job.finish(
                ImportStatus::Failed,
                "The import was interrupted when the emulator stopped.",
                now,
            );
        }
    }
}

/// The service's imports: CSV files uploaded to jobs that have not started (by pool and job
/// id), and the imports under way, which stop when the service closes.
#[derive(Debug, Default)]
pub struct Imports {
    uploads: Mutex<HashMap<(String, String), Vec<u8>>>,
    running: Mutex<Vec<JoinHandle<()>>>,
    closing: Arc<AtomicBool>,
}

impl Imports {
    fn put(&self, pool_id: &str, job_id: &str, csv: Vec<u8>) {
        self.uploads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((pool_id.to_owned(), job_id.to_owned()), csv);
    }

    fn take(&self, pool_id: &str, job_id: &str) -> Option<Vec<u8>> {
        self.uploads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&(pool_id.to_owned(), job_id.to_owned()))
    }

    fn track(&self, import: JoinHandle<()>) {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        running.retain(|import| !import.is_finished());
        running.push(import);
    }

    /// Stops every import after the batch it is on, and waits for them: nothing is imported
    /// once the service closes, and no import keeps the data directory open. Their jobs stay
    /// InProgress in the data directory, and fail when it is opened again.
    pub(crate) fn stop_all(&self) {
        self.closing.store(true, Ordering::SeqCst);
        let running = std::mem::take(&mut *self.running.lock().unwrap_or_else(|p| p.into_inner()));
        for import in running {
            let _ = import.join();
        }
    }
}

/// Why an upload to a pre-signed URL was refused, as S3 would say it.
#[derive(Debug, PartialEq, Eq)]
pub enum UploadRefused {
    /// No such job (404).
    NoSuchJob,
    /// The token is wrong, the URL has expired, or the job is past taking a file (403).
    AccessDenied(&'static str),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserImportJobRequest {
    pub user_pool_id: String,
    pub job_name: String,
    #[serde(rename = "CloudWatchLogsRoleArn")]
    pub cloud_watch_logs_role_arn: String,
    pub password_hashing_algorithm: Option<String>,
}

/// The request of DescribeUserImportJob, StartUserImportJob and StopUserImportJob.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobRequest {
    pub user_pool_id: String,
    pub job_id: String,
}

/// The answer of every job operation but ListUserImportJobs: the job.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobAnswer {
    pub user_import_job: UserImportJobType,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserImportJobsRequest {
    pub user_pool_id: String,
    pub max_results: usize,
    pub pagination_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserImportJobsAnswer {
    pub user_import_jobs: Vec<UserImportJobType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// `UserImportJobType`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobType {
    pub job_name: String,
    pub job_id: String,
    pub user_pool_id: String,
    pub pre_signed_url: String,
    pub creation_date: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_date: Option<f64>,
    pub status: ImportStatus,
    #[serde(rename = "CloudWatchLogsRoleArn")]
    pub cloud_watch_logs_role_arn: String,
    pub imported_users: u64,
    pub skipped_users: u64,
    pub failed_users: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_hashing_algorithm: Option<String>,
}

fn job_not_found(job_id: &str) -> ServiceError {
    ServiceError::resource_not_found(format!("Import job {job_id} does not exist."))
}

fn precondition(message: &str) -> ServiceError {
    ServiceError::new("PreconditionNotMetException", message)
}

impl Service {
    /// A job's pre-signed URL, under the emulator's public URL as it is now.
    fn upload_url(&self, pool_id: &str, job: &ImportJob) -> String {
        format!(
            "{}{UPLOAD_PATH}/{pool_id}/{}?token={}",
            self.issuer_base,
            job.id,
            job.upload_token.as_str()
        )
    }

    fn job_type(&self, pool_id: &str, job: &ImportJob) -> UserImportJobType {
        UserImportJobType {
            job_name: job.name.clone(),
            job_id: job.id.clone(),
            user_pool_id: pool_id.to_owned(),
            pre_signed_url: self.upload_url(pool_id, job),
            creation_date: epoch_seconds(job.created),
            start_date: job.started.map(epoch_seconds),
            completion_date: job.completed.map(epoch_seconds),
            status: job.status,
            cloud_watch_logs_role_arn: job.role_arn.clone(),
            imported_users: job.imported,
            skipped_users: job.skipped,
            failed_users: job.failed,
            completion_message: job.completion_message.clone(),
            password_hashing_algorithm: job.password_hashing_algorithm.clone(),
        }
    }

    pub fn create_user_import_job(
        &self,
        request: CreateUserImportJobRequest,
    ) -> ServiceResult<UserImportJobAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let job = ImportJob {
            id: format!("import-{}", random::from_alphabet(random::ALPHANUMERIC, 10)),
            name: request.job_name,
            role_arn: request.cloud_watch_logs_role_arn,
            password_hashing_algorithm: request.password_hashing_algorithm,
            status: ImportStatus::Created,
            created: self.now(),
            started: None,
            completed: None,
            completion_message: None,
            imported: 0,
            skipped: 0,
            failed: 0,
            upload_token: Zeroizing::new(random::opaque::<24>()),
        };
        let answer = self.job_type(&pool.id, &job);
        pool.lock().import_jobs.insert(job.id.clone(), job);
        Ok(UserImportJobAnswer {
            user_import_job: answer,
        })
    }

    pub fn describe_user_import_job(
        &self,
        request: UserImportJobRequest,
    ) -> ServiceResult<UserImportJobAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let job = state
            .import_jobs
            .get_mut(&request.job_id)
            .ok_or_else(|| job_not_found(&request.job_id))?;
        job.expire_if_stale(now);
        Ok(UserImportJobAnswer {
            user_import_job: self.job_type(&pool.id, job),
        })
    }

    /// Newest first, as the service lists them; the token is the id of the next job.
    pub fn list_user_import_jobs(
        &self,
        request: ListUserImportJobsRequest,
    ) -> ServiceResult<ListUserImportJobsAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let ids: Vec<String> = state.import_jobs.keys().cloned().collect();
        for id in &ids {
            if let Some(job) = state.import_jobs.get_mut(id) {
                job.expire_if_stale(now);
            }
        }
        let mut jobs: Vec<&ImportJob> = state.import_jobs.values().collect();
        jobs.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| b.id.cmp(&a.id)));
        let start = match &request.pagination_token {
            Some(token) => jobs
                .iter()
                .position(|job| job.id == *token)
                .ok_or_else(|| ServiceError::invalid_parameter("Invalid pagination token."))?,
            None => 0,
        };
        let end = (start + request.max_results).min(jobs.len());
        Ok(ListUserImportJobsAnswer {
            user_import_jobs: jobs[start..end]
                .iter()
                .map(|job| self.job_type(&pool.id, job))
                .collect(),
            pagination_token: jobs.get(end).map(|next| next.id.clone()),
        })
    }

    pub fn start_user_import_job(
        &self,
        request: UserImportJobRequest,
    ) -> ServiceResult<UserImportJobAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let running = import_running(&state);
        let no_verification = state.settings.auto_verified_attributes.is_empty();
        let job = state
            .import_jobs
            .get_mut(&request.job_id)
            .ok_or_else(|| job_not_found(&request.job_id))?;
        job.expire_if_stale(now);
        if job.status != ImportStatus::Created {
            return Err(precondition(
                "Only a job in the Created state can be started.",
            ));
        }
        if running {
            return Err(precondition(
                "Another import job is running in this user pool; a pool runs one at a time.",
            ));
        }
        if no_verification {
            return Err(precondition(
                "The user pool has no auto-verified attributes, which imported users need to reset their passwords.",
            ));
        }
        job.status = ImportStatus::Pending;
        job.started = Some(now);
        let answer = self.job_type(&pool.id, job);
        drop(state);
        let csv = self.imports.take(&pool.id, &request.job_id);
        let import = run::Import {
            pool: Arc::downgrade(&pool),
            clock: Arc::clone(&self.clock),
            job_id: request.job_id,
            closing: Arc::clone(&self.imports.closing),
        };
        if let Some(running) = import.spawn(csv) {
            self.imports.track(running);
        }
        Ok(UserImportJobAnswer {
            user_import_job: answer,
        })
    }

    /// Stops a job that is pending or importing: the users imported so far stay.
    pub fn stop_user_import_job(
        &self,
        request: UserImportJobRequest,
    ) -> ServiceResult<UserImportJobAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let job = state
            .import_jobs
            .get_mut(&request.job_id)
            .ok_or_else(|| job_not_found(&request.job_id))?;
        if !matches!(job.status, ImportStatus::Pending | ImportStatus::InProgress) {
            return Err(precondition(
                "Only a job that is Pending or InProgress can be stopped.",
            ));
        }
        // The import sees this before its next batch and goes no further.
        job.finish(
            ImportStatus::Stopped,
            "The Import Job was stopped by the developer.",
            now,
        );
        Ok(UserImportJobAnswer {
            user_import_job: self.job_type(&pool.id, job),
        })
    }

    /// Takes the CSV file PUT to a job's pre-signed URL. The token is compared in constant
    /// time; a second upload before the job starts replaces the first, as on S3.
    pub fn accept_import_upload(
        &self,
        pool_id: &str,
        job_id: &str,
        token: &str,
        csv: Vec<u8>,
    ) -> Result<(), UploadRefused> {
        let pool = self.pool(pool_id).map_err(|_| UploadRefused::NoSuchJob)?;
        let now = self.now();
        {
            let state = pool.lock();
            let job = state
                .import_jobs
                .get(job_id)
                .ok_or(UploadRefused::NoSuchJob)?;
            let token_matches = aws_lc_rs::constant_time::verify_slices_are_equal(
                job.upload_token.as_bytes(),
                token.as_bytes(),
            )
            .is_ok();
            if !token_matches {
                return Err(UploadRefused::AccessDenied(
                    "The request signature is not valid.",
                ));
            }
            if job.created + UPLOAD_VALIDITY <= now {
                return Err(UploadRefused::AccessDenied("Request has expired."));
            }
            if job.status != ImportStatus::Created {
                return Err(UploadRefused::AccessDenied(
                    "The job has started and takes no more files.",
                ));
            }
        }
        self.imports.put(pool_id, job_id, csv);
        Ok(())
    }
}
