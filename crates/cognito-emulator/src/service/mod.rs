// SPDX-License-Identifier: Apache-2.0
//! The user-pools domain: pools, clients, users, sign-up and confirmation, sign-in flows and
//! their challenges, TOTP enrolment, devices, tokens. No HTTP here: operations take and return
//! the API's shapes, and errors are the service's own exceptions.
//!
//! Each pool has one lock. Expensive work (SRP, RSA) is done with it released: state is read,
//! the lock dropped, the work done, and the lock taken again to commit.

mod branding;
pub mod clock;
mod decoy;
mod devices;
mod error;
mod federation;
mod filter;
mod groups;
mod import;
mod lockout;
pub mod login;
mod mfa;
pub mod model;
pub mod oauth;
mod persist;
mod platform;
mod pools;
mod schema;
mod security;
mod shapes;
mod sign_in;
mod sign_out;
mod tokens;
mod tracked;
mod users;
mod verifier_form;

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, SystemTime};

pub use branding::TermsLink;
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{ServiceError, ServiceResult};
pub use import::{MAX_CSV_BYTES, UploadRefused};
pub use shapes::{AttributeType, Empty};

use crate::outbox::Outbox;
use crate::store::{Store, StoreError};
use cognito_srp::secret_hash;
use model::{AppClient, PoolKeys, PoolSettings, PoolState, User, UserStatus};
use tracked::Tracked;

pub struct Service {
    pools: RwLock<HashMap<String, Arc<Pool>>>,
    /// Client id -> pool id.
    clients: RwLock<HashMap<String, String>>,
    /// Domain -> pool id: a user-pool domain belongs to one pool in the whole emulator.
    domains: RwLock<HashMap<String, String>>,
    clock: Arc<dyn Clock>,
    outbox: Outbox,
    /// The emulator's public URL: a new pool's issuer is this plus `/<pool id>`, and the pool
    /// keeps that issuer even when the emulator moves.
    issuer_base: String,
    default_region: String,
    /// The data directory, when there is one: every change is journaled before it is answered.
    store: Option<Arc<Store>>,
    /// CSV files uploaded to user import jobs, until the jobs start.
    imports: import::Imports,
    /// The account's provisioned API limits ([`platform`]).
    account_limits: platform::AccountLimits,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("issuer_base", &self.issuer_base)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
pub struct Pool {
    pub id: String,
    pub keys: PoolKeys,
    state: Mutex<PoolState>,
    store: Option<Arc<Store>>,
    /// The service's clock: releasing the lock dates what changed for the pool's history.
    clock: Arc<dyn Clock>,
}

impl Pool {
    pub fn lock(&self) -> PoolGuard<'_> {
        PoolGuard {
            pool: self,
            state: self
                .state
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        }
    }
}

/// A pool's lock. Releasing it queues what changed for the journal, in the order the changes
/// were made, before another request can see them.
#[derive(Debug)]
pub struct PoolGuard<'a> {
    pool: &'a Pool,
    state: MutexGuard<'a, PoolState>,
}

impl Deref for PoolGuard<'_> {
    type Target = PoolState;

    fn deref(&self) -> &PoolState {
        &self.state
    }
}

impl DerefMut for PoolGuard<'_> {
    fn deref_mut(&mut self) -> &mut PoolState {
        &mut self.state
    }
}

impl Drop for PoolGuard<'_> {
    fn drop(&mut self) {
        platform::history::record(&mut self.state, || self.pool.clock.now());
        match &self.pool.store {
            Some(store) => {
                store.append(persist::changed_lines(self.pool, &mut self.state).as_bytes())
            }
            None => persist::forget_changes(&mut self.state),
        }
    }
}

impl Service {
    pub fn new(issuer_base: String, default_region: String, clock: Arc<dyn Clock>) -> Self {
        Self {
            pools: RwLock::default(),
            clients: RwLock::default(),
            domains: RwLock::default(),
            clock,
            outbox: Outbox::default(),
            issuer_base,
            default_region,
            store: None,
            imports: import::Imports::default(),
            account_limits: Default::default(),
        }
    }

    /// A service that keeps its pools in `data_dir`, starting with what is already there.
    /// Pools stored before each kept its issuer get `legacy_issuer_base/<pool id>`, for good.
    pub fn with_data_dir(
        issuer_base: String,
        legacy_issuer_base: &str,
        default_region: String,
        clock: Arc<dyn Clock>,
        data_dir: &Path,
    ) -> Result<Self, StoreError> {
        let (store, mut contents) = Store::open(data_dir)?;
        let account_limits =
            platform::AccountLimits::load(contents.pools.remove(platform::ACCOUNT_ENTRIES))?;
        let store = Arc::new(store);
        let pools = persist::load_pools(contents, &store, legacy_issuer_base, &clock)?;
        let mut service = Self::new(issuer_base, default_region, clock);
        {
            let mut clients = service.clients.write().unwrap_or_else(|p| p.into_inner());
            let mut by_id = service.pools.write().unwrap_or_else(|p| p.into_inner());
            for pool in pools {
                for client_id in pool.lock().clients.keys() {
                    clients.insert(client_id.clone(), pool.id.clone());
                }
                service.index_domains(&pool);
                by_id.insert(pool.id.clone(), pool);
            }
        }
        service.store = Some(store);
        service.account_limits = account_limits;
        Ok(service)
    }

    /// Waits until every change made so far is in the data directory (at once without one).
    /// Answers wait for this, so no client sees what a crash could take back.
    pub async fn synced(&self) -> ServiceResult<()> {
        match &self.store {
            Some(store) => store.synced().await.map_err(|error| {
                ServiceError::internal(format!("The change could not be saved: {error}"))
            }),
            None => Ok(()),
        }
    }

    /// Writes out what is queued for the data directory and closes it.
    pub fn close(&self) {
        self.imports.stop_all();
        if let Some(store) = &self.store {
            store.close();
        }
    }

    /// Everything a data directory keeps, in its line format, sorted: what a restart must
    /// bring back. For tests that compare the state before and after one.
    #[doc(hidden)]
    pub fn stored_form(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .all_pools()
            .iter()
            .flat_map(|pool| persist::all_lines(pool, &mut pool.lock()))
            .collect();
        lines.sort();
        lines
    }

    /// Pools and users in numbers: for the start-up line.
    pub fn counts(&self) -> (usize, usize) {
        let pools = self.all_pools();
        let users = pools.iter().map(|pool| pool.lock().users.len()).sum();
        (pools.len(), users)
    }

    fn new_pool(&self, settings: PoolSettings, keys: PoolKeys) -> Arc<Pool> {
        let id = settings.id.clone();
        if let Some(store) = &self.store {
            store.append(persist::pool_line(&id, &settings, &keys).as_bytes());
        }
        let created = settings.created;
        let mut state = PoolState::new(settings);
        platform::history::begin(&mut state, created);
        Arc::new(Pool {
            id,
            keys,
            state: Mutex::new(state),
            store: self.store.clone(),
            clock: Arc::clone(&self.clock),
        })
    }

    fn forget_pool(&self, pool_id: &str) {
        if let Some(store) = &self.store {
            store.append(persist::pool_deleted_line(pool_id).as_bytes());
        }
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    pub fn now(&self) -> SystemTime {
        self.clock.now()
    }

    /// Where clients reach the emulator now (`--public-url`, or the listen address).
    pub fn public_url(&self) -> &str {
        &self.issuer_base
    }

    /// The issuer a pool made now gets, and keeps.
    fn new_pool_issuer(&self, pool_id: &str) -> String {
        format!("{}/{pool_id}", self.issuer_base)
    }

    pub fn pool(&self, pool_id: &str) -> ServiceResult<Arc<Pool>> {
        self.pools
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(pool_id)
            .cloned()
            .ok_or_else(|| ServiceError::pool_not_found(pool_id))
    }

    /// Every pool, at this moment.
    fn all_pools(&self) -> Vec<Arc<Pool>> {
        self.pools
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect()
    }

    fn pool_of_client(&self, client_id: &str) -> ServiceResult<Arc<Pool>> {
        let pool_id = self
            .clients
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(client_id)
            .cloned()
            .ok_or_else(|| ServiceError::client_not_found(client_id))?;
        self.pool(&pool_id)
    }

    /// The JWKS of a pool: its ID-token key and its access-token key.
    pub fn jwks(&self, pool_id: &str) -> ServiceResult<serde_json::Value> {
        let pool = self.pool(pool_id)?;
        Ok(serde_json::json!({ "keys": [pool.keys.id.jwk(), pool.keys.access.jwk()] }))
    }
}

impl PoolState {
    pub(super) fn new(settings: PoolSettings) -> Self {
        Self {
            settings: Tracked::new(settings),
            clients: Default::default(),
            users: platform::history::recorded_map(),
            devices: Default::default(),
            sessions: HashMap::new(),
            refresh_grants: Default::default(),
            ui_customizations: Default::default(),
            security_settings: Default::default(),
            user_activity: Default::default(),
            groups: platform::history::recorded_map(),
            group_members: HashMap::new(),
            import_jobs: Default::default(),
            subs: HashMap::new(),
            emails: HashMap::new(),
            email_of: HashMap::new(),
            grants_after_purge: 0,
            checks_in_flight: HashMap::new(),
            platform: Default::default(),
            federation: Default::default(),
            oauth: Default::default(),
            login: Default::default(),
            branding: Default::default(),
        }
    }

    /// The key users are stored under: the username, folded in case-insensitive pools.
    pub fn user_key(&self, username: &str) -> String {
        if self.settings.username_case_sensitive {
            username.to_owned()
        } else {
            username.to_lowercase()
        }
    }

    /// Finds a user by username, by `sub`, or by an email that signs in.
    pub fn find_user_key(&self, name: &str) -> Option<String> {
        let key = self.user_key(name);
        if self.users.contains_key(&key) {
            return Some(key);
        }
        self.subs
            .get(name)
            .or_else(|| self.emails.get(&name.to_lowercase()))
            .cloned()
    }

    pub fn user(&self, name: &str) -> ServiceResult<&User> {
        self.find_user_key(name)
            .and_then(|key| self.users.get(&key))
            .ok_or_else(ServiceError::user_not_found)
    }

    pub fn user_mut(&mut self, name: &str) -> ServiceResult<&mut User> {
        let key = self
            .find_user_key(name)
            .ok_or_else(ServiceError::user_not_found)?;
        self.users
            .get_mut(&key)
            .ok_or_else(ServiceError::user_not_found)
    }

    pub fn client(&self, client_id: &str) -> ServiceResult<&AppClient> {
        self.clients
            .get(client_id)
            .ok_or_else(|| ServiceError::client_not_found(client_id))
    }

    /// Keeps the look-ups that follow from one user as stored now: its `sub`, and its email where
    /// the email signs in (an email it signed in with before stops). Live requests call it after
    /// every change that can make an email sign in or stop, and start-up calls it for every user,
    /// so a restart finds the same users as before.
    pub fn index_user(&mut self, key: &str) {
        self.unindex_email(key);
        let Some(user) = self.users.get(key) else {
            return;
        };
        self.subs.insert(user.sub.clone(), key.to_owned());
        if let Some(email) = email_that_signs_in(&self.settings, user) {
            self.emails.insert(email.clone(), key.to_owned());
            self.email_of.insert(key.to_owned(), email);
        }
    }

    /// Takes the user's email out of the look-up, unless another user has it by now.
    fn unindex_email(&mut self, key: &str) {
        if let Some(email) = self.email_of.remove(key)
            && self.emails.get(&email).is_some_and(|owner| owner == key)
        {
            self.emails.remove(&email);
        }
    }

    /// The user with this `sub`, by the index: a user deleted since the `sub` was read, or
    /// replaced by another of the same name, is not there.
    pub fn user_by_sub(&self, sub: &str) -> Option<&User> {
        self.users.get(self.subs.get(sub)?)
    }

    pub fn user_by_sub_mut(&mut self, sub: &str) -> Option<&mut User> {
        let key = self.subs.get(sub)?.clone();
        self.users.get_mut(&key)
    }

    /// Removes a user with everything that hangs off it: devices, sessions, refresh grants.
    pub fn remove_user(&mut self, key: &str) -> Option<User> {
        let user = self.users.remove(key)?;
        self.subs.remove(&user.sub);
        self.forget_links_of(key, &user);
        self.user_activity.remove(&user.sub);
        self.unindex_email(key);
        self.devices.remove_owned_by(&user.username);
        self.sessions
            .retain(|_, session| session.username != user.username);
        self.refresh_grants.remove_owned_by(&user.username);
        for group in &user.groups {
            self.unindex_member(group, key);
        }
        Some(user)
    }

    /// Drops refresh grants a day past their expiry (until then, presenting one is answered
    /// "expired" rather than "invalid"). Scans only once their number has doubled since the
    /// last scan, so issuing tokens stays cheap however many there are.
    pub fn purge_expired_grants(&mut self, now: SystemTime) {
        const KEEP_EXPIRED_FOR: Duration = Duration::from_secs(86_400);
        const FIRST_SCAN_AT: usize = 1024;
        if self.refresh_grants.len() < (2 * self.grants_after_purge).max(FIRST_SCAN_AT) {
            return;
        }
        self.refresh_grants
            .retain(|_, grant| grant.expires + KEEP_EXPIRED_FOR > now);
        self.grants_after_purge = self.refresh_grants.len();
    }

    /// Drops sessions that ended long enough ago that nobody can still present them.
    pub fn purge_sessions(&mut self, now: SystemTime) {
        const KEEP_EXPIRED_FOR: Duration = Duration::from_secs(3600);
        self.sessions
            .retain(|_, session| session.expires + KEEP_EXPIRED_FOR > now);
    }
}

/// Checks the SECRET_HASH of a client that has secrets; clients without one need none.
pub(crate) fn check_secret_hash(
    client: &AppClient,
    username: &str,
    sent: Option<&str>,
) -> ServiceResult<()> {
    if !client.has_secret() {
        return Ok(());
    }
    // During a rotation both secrets are live: a hash made with either is the client's.
    let matches = |sent: &str| {
        client
            .live_secrets()
            .any(|secret| secret_hash::matches(secret, username, &client.id, sent))
    };
    match sent {
        Some(sent) if matches(sent) => Ok(()),
        _ => Err(ServiceError::secret_hash_mismatch(&client.id)),
    }
}

/// Checks a password against the pool's policy, with the service's messages.
pub(crate) fn check_password_policy(
    policy: &model::PasswordPolicy,
    password: &str,
) -> ServiceResult<()> {
    const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";
    let fail = |why: &str| {
        Err(ServiceError::new(
            "InvalidPasswordException",
            format!("Password did not conform with policy: {why}"),
        ))
    };
    if password.chars().count() < policy.minimum_length as usize {
        return fail("Password not long enough");
    }
    if policy.require_lowercase && !password.chars().any(|c| c.is_lowercase()) {
        return fail("Password must have lowercase characters");
    }
    if policy.require_uppercase && !password.chars().any(|c| c.is_uppercase()) {
        return fail("Password must have uppercase characters");
    }
    if policy.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        return fail("Password must have numeric characters");
    }
    if policy.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

/// The email a user signs in with besides its username, folded: in pools where the email is
/// the username, always; where it is an alias, once the user is confirmed and the email verified.
fn email_that_signs_in(settings: &PoolSettings, user: &User) -> Option<String> {
    let email = user.attribute("email")?;
    let signs_in = settings.email_is_username()
        || (settings.email_is_alias()
            // A user whose password an administrator reset still recovers it by email.
            && matches!(user.status, UserStatus::Confirmed | UserStatus::ResetRequired)
            && user.attribute("email_verified") == Some("true"));
    signs_in.then(|| email.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_refresh_grants_are_dropped_a_day_late_and_live_ones_kept() {
        let mut state = PoolState::new(PoolSettings::for_test());
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(100 * 86_400);
        let grant = |expires: SystemTime| model::RefreshGrant {
            username: "alice".to_owned(),
            client_id: "client".to_owned(),
            device_key: None,
            origin_jti: String::new(),
            auth_time: 0,
            expires,
            revoked: false,
            scopes: None,
        };
        let day = Duration::from_secs(86_400);
        for n in 0..1500 {
            let expires = match n % 3 {
                0 => now + day,                       // live
                1 => now - Duration::from_secs(3600), // expired an hour ago
                _ => now - 2 * day,                   // expired two days ago
            };
            state
                .refresh_grants
                .insert(format!("token-{n}"), grant(expires));
            state.purge_expired_grants(now);
        }
        // One scan, at 1,024 grants, dropped the 341 two days old among them.
        assert_eq!(state.refresh_grants.len(), 1500 - 341);
        assert!(state.refresh_grants.contains_key("token-1"));
        assert!(!state.refresh_grants.contains_key("token-2"));
        assert!(state.refresh_grants.contains_key("token-1499"));
        let changed = state.refresh_grants.take_changed();
        assert!(changed.contains("token-2"), "a dropped grant is journaled");
    }

    #[test]
    fn password_policy_names_the_first_rule_broken() {
        let policy = model::PasswordPolicy::default();
        let message = |password: &str| {
            check_password_policy(&policy, password)
                .err()
                .map(|e| e.message)
        };
        assert_eq!(message("Aa1!aaaa"), None);
        assert!(
            message("Aa1!")
                .unwrap()
                .ends_with("Password not long enough")
        );
        assert!(
            message("AAAA1111!")
                .unwrap()
                .ends_with("lowercase characters")
        );
        assert!(
            message("aaaa1111!")
                .unwrap()
                .ends_with("uppercase characters")
        );
        assert!(
            message("Aaaaaaaa!")
                .unwrap()
                .ends_with("numeric characters")
        );
        assert!(message("Aaaaaaaa1").unwrap().ends_with("symbol characters"));
    }
}
