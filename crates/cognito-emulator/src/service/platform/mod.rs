// SPDX-License-Identifier: Apache-2.0
//! The platform operations: multi-Region replicas ([`replicas`]), point-in-time recovery
//! ([`recovery`], over the history of [`history`] and the restore of [`restore`]), client ID metadata document policies ([`cimd`]), the account's provisioned
//! API limits ([`limits`]), and the client-credentials and token-exchange tokens
//! ([`client_token`], [`derived_token`]).
//!
//! What each does beyond keeping what it is given is said on the operation: the emulator serves
//! one Region, fetches no URL and throttles nothing, so replicas, CIMD policies and limits are
//! stored, checked and answered, while the tokens are real, signed with the pool's keys.

mod cimd;
mod client_token;
mod derived_token;
mod exchange;
pub(super) mod history;
mod limits;
mod recovery;
mod replicas;
mod restore;
mod state;

pub use limits::{ACCOUNT_ENTRIES, AccountLimits};
pub use state::PlatformState;

use super::model::PoolSettings;
use super::{ServiceError, ServiceResult};

/// The feature plans that include the platform features the tier matters for (replication,
/// point-in-time recovery, CIMD, token exchange): all but Lite.
fn require_paid_tier(settings: &PoolSettings, feature: &str) -> ServiceResult<()> {
    if settings.tier == "LITE" {
        return Err(ServiceError::new(
            "FeatureUnavailableInTierException",
            format!(
                "{feature} is not available in the LITE feature plan of user pool {}.",
                settings.id
            ),
        ));
    }
    Ok(())
}

/// One page of a list sorted by `key`, from after the key a `NextToken` names, and the token
/// of the next page when there is one. Tokens are keys, so a list that changes between pages
/// neither repeats nor skips what stayed.
fn page<T>(
    mut items: Vec<T>,
    key: impl Fn(&T) -> String,
    next_token: Option<&str>,
    max_results: usize,
) -> (Vec<T>, Option<String>) {
    items.sort_by_key(|item| key(item));
    let start = next_token.map_or(0, |token| {
        items
            .iter()
            .position(|item| key(item).as_str() > token)
            .unwrap_or(items.len())
    });
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(start).take(max_results).collect();
    let more = start + page.len() < total;
    let next = page.last().filter(|_| more).map(&key);
    (page, next)
}

/// The page size of lists whose `MaxResults` is 1 to 60 and defaults to the most.
const MAX_PAGE: usize = 60;
