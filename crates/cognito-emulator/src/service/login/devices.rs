// SPDX-License-Identifier: Apache-2.0
//! The browser's remembered device. A browser that passed MFA where the pool remembers devices
//! gets a real device of the user's (ListDevices lists it, ForgetDevice forgets it), confirmed
//! with a verifier as ConfirmDevice would; its key and password go in a cookie. Next time the
//! password proves the user and the cookie's device stands in for MFA, as DEVICE_SRP_AUTH
//! lets a device do through the API.

use std::sync::Arc;

use cognito_srp::{DeviceSecret, Identity};
use zeroize::Zeroizing;

use super::SignedInUser;
use crate::crypto::random;
use crate::service::model::Device;
use crate::service::{Pool, Service};

/// What the device cookie holds.
#[derive(Clone)]
pub struct DeviceCookie {
    pub key: String,
    pub password: Zeroizing<String>,
}

impl std::fmt::Debug for DeviceCookie {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCookie")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// How the pool remembers devices after MFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceRemembering {
    /// Device tracking is off.
    Never,
    /// Only when the user asks (DeviceOnlyRememberedOnUserPrompt).
    OnUserChoice,
    Always,
}

impl Service {
    /// How the domain's pool remembers devices.
    pub fn login_device_remembering(&self, domain: &str) -> DeviceRemembering {
        let Some(pool) = self.pool_of_domain(domain) else {
            return DeviceRemembering::Never;
        };
        match &pool.lock().settings.devices {
            None => DeviceRemembering::Never,
            Some(devices) if devices.device_only_remembered_on_user_prompt => {
                DeviceRemembering::OnUserChoice
            }
            Some(_) => DeviceRemembering::Always,
        }
    }

    /// A new confirmed, remembered device for the browser of a user who just passed MFA;
    /// `None` if the pool does not track devices or the user is gone.
    pub fn remember_login_device(&self, domain: &str, user: &SignedInUser) -> Option<DeviceCookie> {
        let pool = self.pool_of_domain(domain)?;
        let (username, group_key, region) = {
            let state = pool.lock();
            state.settings.devices.as_ref()?;
            let found = state.user_by_sub(&user.sub)?;
            (
                found.username.clone(),
                found.device_group_key.clone(),
                state.settings.region.clone(),
            )
        };
        let key = format!("{region}_{}", random::uuid());
        let identity = Identity::device(&group_key, &key).ok()?;
        // Generating the verifier is slow: done with the lock released.
        let secret = DeviceSecret::generate(&identity).ok()?;
        let now = self.now();
        let mut state = pool.lock();
        let owner = state.user_by_sub(&user.sub)?;
        if owner.username != username {
            return None;
        }
        let mut device = Device::new(&key, &username, now);
        device.verifier = Some(secret.verifier().clone());
        device.remembered = true;
        device.name = Some("Managed login browser".to_owned());
        state.devices.insert(key.clone(), device);
        Some(DeviceCookie {
            key,
            password: Zeroizing::new(secret.device_password().to_owned()),
        })
    }

    /// Whether a device cookie proves a confirmed, remembered device of the user signing in.
    pub(super) fn device_cookie_proves(
        &self,
        pool: &Arc<Pool>,
        username: &str,
        cookie: &DeviceCookie,
    ) -> bool {
        let (verifier, group_key) = {
            let state = pool.lock();
            let Some(user) = state
                .find_user_key(username)
                .and_then(|key| state.users.get(&key))
            else {
                return false;
            };
            let Some(device) = state
                .devices
                .get(&cookie.key)
                .filter(|device| device.username == user.username && device.remembered)
            else {
                return false;
            };
            let Some(verifier) = device.verifier.clone() else {
                return false;
            };
            (verifier, user.device_group_key.clone())
        };
        Identity::device(&group_key, &cookie.key)
            .is_ok_and(|identity| verifier.matches(&identity, &cookie.password))
    }
}
