// SPDX-License-Identifier: Apache-2.0
//! Managed login: the hosted pages' side of a sign-in (the authorize request, the browser's
//! managed-login session), on the same sign-in, sign-up and password code the API uses.
//!
//! Files: `authorize` (what `/oauth2/authorize` asks for, and the code it ends in),
//! `steps` (the sign-in steps, run by `sign_in`), `devices` (the browser's remembered device),
//! `accounts` (sign-up and forgotten passwords for a page), `session` (the browser's session),
//! `logout` (where a browser goes once signed out).

mod accounts;
mod authorize;
mod devices;
mod logout;
mod session;
mod steps;

use std::collections::HashMap;
use std::sync::Arc;

use cognito_srp::secret_hash;

pub use authorize::{Authorization, AuthorizeRefusal, AuthorizeRequest, ResponseType};
pub use devices::{DeviceCookie, DeviceRemembering};
pub use steps::LoginStep;

use super::model::PoolState;
pub use super::sign_in::SignedInUser;
use super::{Pool, Service, ServiceError, ServiceResult};

/// What a pool keeps of managed login between requests: the browsers signed in. In memory
/// only: a restart signs every browser out, as the session's end would.
#[derive(Debug, Default)]
pub struct LoginState {
    sessions: HashMap<String, session::BrowserSession>,
    pending_sign_ups: HashMap<String, accounts::PendingSignUp>,
}

impl Service {
    /// The pool of a domain, for a page: a domain deleted meanwhile is an error the page shows.
    fn login_pool(&self, domain: &str) -> ServiceResult<Arc<Pool>> {
        self.pool_of_domain(domain).ok_or_else(|| {
            ServiceError::resource_not_found(format!("No user pool has the domain {domain}."))
        })
    }
}

/// The SECRET_HASH the pages send for a user: the pages act for the app client, so they prove
/// its secret as its own code would. `None` for a client without a secret.
fn page_secret_hash(state: &PoolState, client_id: &str, username: &str) -> Option<String> {
    let client = state.clients.get(client_id)?;
    let secret = client.live_secrets().next()?;
    Some(secret_hash::compute(secret, username, client_id))
}
