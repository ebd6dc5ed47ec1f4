// SPDX-License-Identifier: Apache-2.0
//! What the platform operations keep: a pool's replicas, point-in-time recoveries and CIMD
//! policies (journaled with the pool), and the account's provisioned limits.

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

/// `RestoreStatusType`, as far as the emulator can truthfully report it. Its data directory
/// keeps the pool as it is now, not as it was (the journal is folded into a snapshot at every
/// start), so it cannot work out what a recovery would change, let alone revert it: every
/// recovery ends as the service's own "couldn't generate the recovery preview", which leaves
/// the pool as it is and lets a new recovery be initiated. The other statuses (a preview
/// ready, restoring, restored) would claim work that never happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RestoreStatus {
    PreviewGenerationFailed,
}

impl RestoreStatus {
    pub fn name(self) -> &'static str {
        match self {
            Self::PreviewGenerationFailed => "PREVIEW_GENERATION_FAILED",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Restoration {
    pub id: String,
    pub status: RestoreStatus,
    /// The point in time the pool would be restored to.
    pub restore_to: SystemTime,
    /// When the recovery was initiated: the end of the changes it would revert.
    pub triggered: SystemTime,
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
