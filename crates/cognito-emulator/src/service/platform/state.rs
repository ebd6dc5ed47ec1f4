// SPDX-License-Identifier: Apache-2.0
//! What the platform operations keep: a pool's replicas, point-in-time recoveries and CIMD
//! policies and the recovery history (journaled with the pool), and the account's provisioned
//! limits.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::service::tracked::TrackedMap;

/// A pool's entries of this family, each journaled as its own kind.
#[derive(Debug, Default)]
pub struct PlatformState {
    /// Secondary replicas, by Region. The pool itself is the primary and is not stored here.
    pub replicas: TrackedMap<Replica>,
    /// Point-in-time recoveries, by restore id.
    pub restorations: TrackedMap<Restoration>,
    /// CIMD policies, by policy id.
    pub cimd_policies: TrackedMap<CimdPolicy>,
    /// What users and groups held before each change ([`super::history`]).
    pub history: TrackedMap<super::history::HistoryEntry>,
}

/// `ReplicaStatusType`. A replica is stored at once, so it is never seen `CREATING`; it is
/// `DELETING` only in the answer to its deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReplicaStatus {
    Active,
    Inactive,
    Deleting,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Replica {
    pub region: String,
    pub status: ReplicaStatus,
    /// Tags of the replica itself, kept apart from the primary's.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    pub created: SystemTime,
}

/// `RestoreStatusType`, as far as the emulator goes through it. A preview is made at once, so a
/// recovery starts `PREVIEW_GENERATED`; StartPointInTimeRecovery restores at once, so it goes
/// straight to `RESTORE_COMPLETED`; CancelPointInTimeRecovery leaves it `PREVIEW_CANCELLED`.
/// Recoveries stored by versions that kept no history ended `PREVIEW_GENERATION_FAILED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RestoreStatus {
    PreviewGenerated,
    PreviewCancelled,
    PreviewGenerationFailed,
    RestoreCompleted,
}

impl RestoreStatus {
    pub fn name(self) -> &'static str {
        match self {
            Self::PreviewGenerated => "PREVIEW_GENERATED",
            Self::PreviewCancelled => "PREVIEW_CANCELLED",
            Self::PreviewGenerationFailed => "PREVIEW_GENERATION_FAILED",
            Self::RestoreCompleted => "RESTORE_COMPLETED",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Restoration {
    pub id: String,
    pub status: RestoreStatus,
    /// The point in time the pool is restored to.
    pub restore_to: SystemTime,
    /// When the recovery was initiated.
    pub triggered: SystemTime,
    /// What the restore would change, by entity, as of `triggered`.
    #[serde(default)]
    pub preview: Vec<PreviewCount>,
}

/// `RestorePreviewType`: how many entries of one entity a restore creates (deleted since the
/// recovery point), updates and deletes (created since).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PreviewCount {
    pub entity: String,
    pub create_count: u64,
    pub update_count: u64,
    pub delete_count: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CimdPolicy {
    pub id: String,
    pub name: String,
    pub client_id: String,
    pub cache_duration: u32,
    pub url_patterns: Vec<String>,
    pub created: SystemTime,
    pub modified: SystemTime,
}

/// A provisioned API rate, by category, for the emulator's one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionedLimit {
    pub category: String,
    pub requests_per_second: u32,
}
