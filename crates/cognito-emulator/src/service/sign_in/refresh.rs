// SPDX-License-Identifier: Apache-2.0
//! REFRESH_TOKEN_AUTH (and its alias REFRESH_TOKEN): new ID and access tokens for a refresh
//! token, while its grant, user and device last.

use std::collections::HashMap;
use std::sync::Arc;

use super::SignInAnswer;
use super::challenge::required;
use crate::service::tokens::SignedIn;
use crate::service::{Pool, Service, ServiceError, ServiceResult, check_secret_hash};

impl Service {
    pub(super) fn refresh(
        &self,
        pool: &Arc<Pool>,
        client_id: &str,
        params: &HashMap<String, String>,
    ) -> ServiceResult<SignInAnswer> {
        let token = required(params, "REFRESH_TOKEN")?;
        let now = self.now();
        let mut state = pool.lock();
        let invalid = || ServiceError::not_authorized("Invalid Refresh Token.");
        let grant = state
            .refresh_grants
            .get(token)
            .cloned()
            .ok_or_else(invalid)?;
        if grant.client_id != client_id {
            return Err(invalid());
        }
        if grant.expires <= now {
            state.refresh_grants.remove(token);
            return Err(ServiceError::not_authorized("Refresh Token has expired"));
        }
        let client = state.client(client_id)?;
        check_secret_hash(
            client,
            &grant.username,
            params.get("SECRET_HASH").map(String::as_str),
        )?;
        let user_key = state.find_user_key(&grant.username).ok_or_else(invalid)?;
        let device_gone = grant
            .device_key
            .as_ref()
            .is_some_and(|key| !state.devices.contains_key(key));
        if device_gone {
            state.refresh_grants.remove(token);
            return Err(ServiceError::not_authorized(
                "Refresh Token has been revoked",
            ));
        }
        if !state.users.get(&user_key).is_some_and(|user| user.enabled) {
            return Err(ServiceError::not_authorized("User is disabled."));
        }
        let grant = self.grant_tokens(
            &mut state,
            SignedIn {
                user_key: &user_key,
                client_id,
                device_key: grant.device_key,
                auth_time: grant.auth_time,
                origin_jti: Some(grant.origin_jti),
                issue_refresh_token: false,
                offer_new_device: false,
            },
            now,
        )?;
        drop(state);
        Ok(SignInAnswer::tokens(Self::sign_tokens(pool, grant)))
    }
}
