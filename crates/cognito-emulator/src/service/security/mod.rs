// SPDX-License-Identifier: Apache-2.0
//! Threat protection and sessions: the authentication events the pool saw (recorded where
//! sign-ins, sign-ups and password changes happen, when threat protection is on) and their
//! feedback; risk configuration and log delivery (stored, checked and returned: the emulator
//! sees no IP addresses and judges no risk); token sessions (one per sign-in that earned a
//! refresh token, listed and revoked) and the session configuration of the pool and its clients.
//!
//! Files: `stored` (what a pool keeps), `events` (recording them), `auth_events`
//! (AdminListUserAuthEvents and the feedback operations), `risk`, `log_delivery`, `sessions`
//! (opening and ending token sessions), `user_sessions` (the list and revoke operations),
//! `session_config`.

mod auth_events;
mod events;
mod log_delivery;
mod risk;
mod session_config;
mod sessions;
mod stored;
mod user_sessions;

pub use events::{EventKind, mfa_refused, password_refused, record_event};
pub use sessions::{session_ended, session_refreshed, signed_in};
pub use stored::{SecuritySetting, UserActivity, forget_client};

use super::model::PoolSettings;
use super::{ServiceError, ServiceResult};

/// Whether threat protection (UserPoolAddOns.AdvancedSecurityMode) is on: `AUDIT` or `ENFORCED`.
fn threat_protection_on(settings: &PoolSettings) -> bool {
    settings.advanced_security_mode != "OFF"
}

/// What operations that need threat protection answer in a pool without it.
fn require_threat_protection(settings: &PoolSettings) -> ServiceResult<()> {
    if threat_protection_on(settings) {
        return Ok(());
    }
    Err(ServiceError::new(
        "UserPoolAddOnNotEnabledException",
        "Threat protection (UserPoolAddOns AdvancedSecurityMode) is not enabled for this user pool.",
    ))
}
