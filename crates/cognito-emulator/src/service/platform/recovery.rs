// SPDX-License-Identifier: Apache-2.0
//! InitiatePointInTimeRecovery, StartPointInTimeRecovery, CancelPointInTimeRecovery,
//! DescribePointInTimeRecovery, ListPointInTimeRecoveries.
//!
//! A recovery is checked as the service checks it (feature plan, recovery window, how many
//! previews a pool may have), and its preview is counted at once from the pool's history
//! ([`super::history`]): it starts `PREVIEW_GENERATED`. Starting it reverts the pool's users and
//! groups to the recovery point ([`super::restore`]), at once, and it is `RESTORE_COMPLETED`;
//! canceling it leaves the pool as it is. Both refuse a recovery whose preview is not ready.
//! The preview counts the changes up to its making; a start reverts every change since the
//! recovery point, later ones included. App clients, identity providers, domains and the other
//! entries of a pool are not restored.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::state::{PreviewCount, Restoration, RestoreStatus};
use super::{MAX_PAGE, history, page, require_paid_tier, restore};
use crate::crypto::random;
use crate::service::clock::epoch_seconds;
use crate::service::model::PoolState;
use crate::service::{Service, ServiceError, ServiceResult};

const MINUTE: Duration = Duration::from_secs(60);
const DAY: Duration = Duration::from_secs(86_400);
/// The recovery point must be at least this far in the past.
const NEWEST_POINT: Duration = Duration::from_secs(15 * 60);
/// How many recovery previews a pool may have in a day, and in thirty days.
const PREVIEWS_PER_DAY: usize = 3;
const PREVIEWS_PER_30_DAYS: usize = 10;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiatePointInTimeRecoveryRequest {
    pub user_pool_id: String,
    /// Seconds since the epoch, as the wire writes timestamps.
    pub restore_timestamp: f64,
}

/// The request of the operations on one recovery.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecoveryRequest {
    pub user_pool_id: String,
    pub restore_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPointInTimeRecoveriesRequest {
    pub user_pool_id: String,
    pub max_results: Option<usize>,
    pub next_token: Option<String>,
}

/// `RestorationType`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RestorationType {
    pub restore_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub restore_preview: Vec<PreviewCount>,
    pub restore_status: &'static str,
    pub restore_timestamp: f64,
    pub trigger_timestamp: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RestorationAnswer {
    pub restoration: RestorationType,
}

/// `RestorationDescriptionType`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RestorationDescriptionType {
    pub restore_id: String,
    pub restore_status: &'static str,
    pub restore_timestamp: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPointInTimeRecoveriesAnswer {
    pub restorations: Vec<RestorationDescriptionType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl Service {
    pub fn initiate_point_in_time_recovery(
        &self,
        request: InitiatePointInTimeRecoveryRequest,
    ) -> ServiceResult<RestorationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        require_paid_tier(&state.settings, "Point-in-time recovery")?;
        let now = self.now();
        let restore_to = time_from_epoch(request.restore_timestamp)?;
        check_recovery_point(&state, restore_to, now)?;
        check_preview_quota(&state, now)?;
        let restoration = Restoration {
            id: random::uuid(),
            status: RestoreStatus::PreviewGenerated,
            restore_to,
            triggered: now,
            preview: restore::preview(&state, restore_to),
        };
        let answer = restoration_type(&restoration);
        state
            .platform
            .restorations
            .insert(restoration.id.clone(), restoration);
        Ok(RestorationAnswer {
            restoration: answer,
        })
    }

    /// Reverts the pool's users and groups to the recovery point, which must still lie in the
    /// recovery period.
    pub fn start_point_in_time_recovery(
        &self,
        request: RecoveryRequest,
    ) -> ServiceResult<RestorationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        require_paid_tier(&state.settings, "Point-in-time recovery")?;
        let restore_to = preview_ready(&state, &request.restore_id, "started")?.restore_to;
        check_still_in_period(&state, restore_to, self.now())?;
        restore::restore(&mut state, restore_to)?;
        finish(
            &mut state,
            &request.restore_id,
            RestoreStatus::RestoreCompleted,
        )
    }

    /// Drops the preview: the pool stays as it is.
    pub fn cancel_point_in_time_recovery(
        &self,
        request: RecoveryRequest,
    ) -> ServiceResult<RestorationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        require_paid_tier(&state.settings, "Point-in-time recovery")?;
        preview_ready(&state, &request.restore_id, "canceled")?;
        finish(
            &mut state,
            &request.restore_id,
            RestoreStatus::PreviewCancelled,
        )
    }

    pub fn describe_point_in_time_recovery(
        &self,
        request: RecoveryRequest,
    ) -> ServiceResult<RestorationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        require_paid_tier(&state.settings, "Point-in-time recovery")?;
        let restoration = find_restoration(&state, &request.restore_id)?;
        Ok(RestorationAnswer {
            restoration: restoration_type(restoration),
        })
    }

    pub fn list_point_in_time_recoveries(
        &self,
        request: ListPointInTimeRecoveriesRequest,
    ) -> ServiceResult<ListPointInTimeRecoveriesAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        require_paid_tier(&state.settings, "Point-in-time recovery")?;
        let all: Vec<&Restoration> = state.platform.restorations.values().collect();
        let (page, next_token) = page(
            all,
            |restoration| newest_first_key(restoration),
            request.next_token.as_deref(),
            request.max_results.unwrap_or(MAX_PAGE),
        );
        Ok(ListPointInTimeRecoveriesAnswer {
            restorations: page
                .into_iter()
                .map(|restoration| RestorationDescriptionType {
                    restore_id: restoration.id.clone(),
                    restore_status: restoration.status.name(),
                    restore_timestamp: epoch_seconds(restoration.restore_to),
                })
                .collect(),
            next_token,
        })
    }
}

/// Start and Cancel need a recovery whose preview is ready; any other is refused, naming the
/// status it is in.
fn preview_ready<'a>(
    state: &'a PoolState,
    restore_id: &str,
    what: &str,
) -> ServiceResult<&'a Restoration> {
    let restoration = find_restoration(state, restore_id)?;
    if restoration.status != RestoreStatus::PreviewGenerated {
        return Err(ServiceError::invalid_parameter(format!(
            "Recovery {} is {}: only a recovery whose preview is ready can be {what}.",
            restoration.id,
            restoration.status.name()
        )));
    }
    Ok(restoration)
}

/// Moves the recovery to `status` and answers it.
fn finish(
    state: &mut PoolState,
    restore_id: &str,
    status: RestoreStatus,
) -> ServiceResult<RestorationAnswer> {
    let pool_id = state.settings.id.clone();
    let restoration = state
        .platform
        .restorations
        .get_mut(restore_id)
        .ok_or_else(|| missing_restoration(restore_id, &pool_id))?;
    restoration.status = status;
    Ok(RestorationAnswer {
        restoration: restoration_type(restoration),
    })
}

fn find_restoration<'a>(state: &'a PoolState, restore_id: &str) -> ServiceResult<&'a Restoration> {
    state
        .platform
        .restorations
        .get(restore_id)
        .ok_or_else(|| missing_restoration(restore_id, &state.settings.id))
}

fn missing_restoration(restore_id: &str, pool_id: &str) -> ServiceError {
    ServiceError::resource_not_found(format!(
        "Recovery {restore_id} does not exist in user pool {pool_id}."
    ))
}

/// The recovery period of the pool's plan: a day with Essentials, 14 days with Plus.
fn recovery_period(state: &PoolState) -> Duration {
    if state.settings.tier == "PLUS" {
        14 * DAY
    } else {
        DAY
    }
}

/// A preview waits for its start; by then its recovery point may have left the period, or the
/// history may no longer reach it (its oldest changes went to make room).
fn check_still_in_period(
    state: &PoolState,
    restore_to: SystemTime,
    now: SystemTime,
) -> ServiceResult<()> {
    let period = recovery_period(state);
    if restore_to + period < now {
        return Err(ServiceError::invalid_parameter(format!(
            "The recovery point is no longer within the last {} day(s), the recovery period of the {} feature plan; initiate a recovery to a later point.",
            period.as_secs() / DAY.as_secs(),
            state.settings.tier
        )));
    }
    if history::floor(&state.platform.history).is_some_and(|floor| restore_to < floor) {
        return Err(ServiceError::invalid_parameter(format!(
            "The history of user pool {} no longer reaches the recovery point; initiate a recovery to a later point.",
            state.settings.id
        )));
    }
    Ok(())
}

/// The recovery point: at least 15 minutes ago, not before the pool was made, and within the
/// recovery period of the pool's plan (a day with Essentials, 14 days with Plus).
fn check_recovery_point(
    state: &PoolState,
    restore_to: SystemTime,
    now: SystemTime,
) -> ServiceResult<()> {
    let settings = &state.settings;
    let period = recovery_period(state);
    let invalid = |why: String| Err(ServiceError::invalid_parameter(why));
    if restore_to + NEWEST_POINT > now {
        return invalid(format!(
            "The recovery point must be at least {} minutes in the past.",
            NEWEST_POINT.as_secs() / MINUTE.as_secs()
        ));
    }
    if restore_to < settings.created {
        return invalid(format!(
            "The recovery point is before user pool {} was created.",
            settings.id
        ));
    }
    if restore_to + period < now {
        return invalid(format!(
            "The recovery point must be within the last {} day(s), the recovery period of the {} feature plan.",
            period.as_secs() / DAY.as_secs(),
            settings.tier
        ));
    }
    if let Some(floor) = history::floor(&state.platform.history)
        && restore_to < floor
    {
        return invalid(format!(
            "The recovery point is before {}, the earliest point the history of user pool {} reaches.",
            epoch_seconds(floor),
            settings.id
        ));
    }
    Ok(())
}

/// At most three recovery previews of a pool in a day, and ten in thirty days.
fn check_preview_quota(state: &PoolState, now: SystemTime) -> ServiceResult<()> {
    let since = |window: Duration| {
        state
            .platform
            .restorations
            .values()
            .filter(|restoration| restoration.triggered + window > now)
            .count()
    };
    for (window, most) in [(DAY, PREVIEWS_PER_DAY), (30 * DAY, PREVIEWS_PER_30_DAYS)] {
        if since(window) >= most {
            return Err(ServiceError::new(
                "LimitExceededException",
                format!(
                    "User pool {} has had {most} recovery previews in the last {} day(s), the most it can have.",
                    state.settings.id,
                    window.as_secs() / DAY.as_secs()
                ),
            ));
        }
    }
    Ok(())
}

fn time_from_epoch(seconds: f64) -> ServiceResult<SystemTime> {
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(ServiceError::invalid_parameter(
            "RestoreTimestamp is not a valid time.",
        ));
    }
    Duration::try_from_secs_f64(seconds)
        .ok()
        .and_then(|since| UNIX_EPOCH.checked_add(since))
        .ok_or_else(|| ServiceError::invalid_parameter("RestoreTimestamp is not a valid time."))
}

/// Newest first: the key falls as the trigger time rises.
fn newest_first_key(restoration: &Restoration) -> String {
    let millis = restoration
        .triggered
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as u64);
    format!("{:020}.{}", u64::MAX - millis, restoration.id)
}

fn restoration_type(restoration: &Restoration) -> RestorationType {
    RestorationType {
        restore_id: restoration.id.clone(),
        restore_preview: restoration.preview.clone(),
        restore_status: restoration.status.name(),
        restore_timestamp: epoch_seconds(restoration.restore_to),
        trigger_timestamp: epoch_seconds(restoration.triggered),
    }
}
