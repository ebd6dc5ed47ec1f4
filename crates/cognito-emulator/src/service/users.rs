// SPDX-License-Identifier: Apache-2.0
//! Users: SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp, AdminCreateUser,
//! AdminSetUserPassword, AdminGetUser, ListUsers, AdminDeleteUser, GetUser.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_srp::{Identity, PasswordVerifier};
use serde::Deserialize;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::clock::epoch_seconds;
use super::filter::Filter;
use super::lockout;
use super::model::{IssuedCode, PoolSettings, PoolState, SoftwareToken, User, UserStatus};
use super::pools::STANDARD_ATTRIBUTES;
use super::{Pool, Service, ServiceError, ServiceResult, check_password_policy, check_secret_hash};
use crate::crypto::random;
use crate::outbox::{Message, mask_email};

const CODE_VALIDITY: Duration = Duration::from_secs(24 * 3600);
/// Codes sent to one user (at sign-up and by resends) within any hour; a resend past that is
/// refused. Someone waiting for an email never needs a sixth, and a flood of codes buys an
/// attacker nothing: wrong codes count across codes (see `check_confirmation_code`).
const CODES_PER_HOUR: usize = 5;
const CODE_SEND_WINDOW: Duration = Duration::from_secs(3600);
/// Superseded codes remembered, so they answer "expired" rather than "mismatch".
const REMEMBERED_CODES: usize = 5;
const LIST_USERS_DEFAULT_LIMIT: usize = 60;
/// Users one ListUsers request looks at. A filter that matches few users would otherwise scan
/// the whole pool for a page; as the service does, the page comes back short (even empty) with a
/// PaginationToken to go on from, and the time of a request stays bounded.
const LIST_USERS_SCAN_BUDGET: usize = 5_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    pub name: String,
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpRequest {
    pub client_id: String,
    pub secret_hash: Option<String>,
    pub username: String,
    pub password: Option<Zeroizing<String>>,
    pub user_attributes: Option<Vec<AttributeType>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpRequest {
    pub client_id: String,
    pub secret_hash: Option<String>,
    pub username: String,
    pub confirmation_code: Zeroizing<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResendConfirmationCodeRequest {
    pub client_id: String,
    pub secret_hash: Option<String>,
    pub username: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUserRequest {
    pub user_pool_id: String,
    pub username: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserRequest {
    pub user_pool_id: String,
    pub username: String,
    pub user_attributes: Option<Vec<AttributeType>>,
    pub temporary_password: Option<Zeroizing<String>>,
    pub message_action: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserPasswordRequest {
    pub user_pool_id: String,
    pub username: String,
    pub password: Zeroizing<String>,
    pub permanent: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersRequest {
    pub user_pool_id: String,
    pub attributes_to_get: Option<Vec<String>>,
    pub limit: Option<usize>,
    pub pagination_token: Option<String>,
    pub filter: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    pub access_token: Zeroizing<String>,
}

/// A user about to be added: everything but the verifier, which is derived outside the lock.
struct NewUser {
    username: String,
    sub: String,
    attributes: Vec<(String, String)>,
}

impl Service {
    pub fn sign_up(&self, request: SignUpRequest) -> ServiceResult<Value> {
        let pool = self.pool_of_client(&request.client_id)?;
        let new_user = {
            let state = pool.lock();
            let client = state.client(&request.client_id)?;
            check_secret_hash(client, &request.username, request.secret_hash.as_deref())?;
            if state.settings.admin_create_user_only {
                return Err(ServiceError::not_authorized(
                    "SignUp is not permitted for this user pool",
                ));
            }
            let password = request
                .password
                .as_deref()
                .ok_or_else(|| ServiceError::invalid_parameter("Password is required."))?;
            check_password_policy(&state.settings.password_policy, password)?;
            let attributes = request.user_attributes.unwrap_or_default();
            let new_user = new_user(&state.settings, &request.username, &attributes, true)?;
            check_user_is_new(&state, &new_user)?;
            new_user
        };

        let identity = Identity::user(&pool.id, &new_user.username)
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let password = request.password.as_deref().map_or("", String::as_str);
        let verifier = PasswordVerifier::generate(&identity, password)
            .map_err(|e| ServiceError::internal(e.to_string()))?;

        let now = self.now();
        let mut state = pool.lock();
        // Another request may have taken the name while the verifier was computed.
        check_user_is_new(&state, &new_user)?;
        let sub = new_user.sub.clone();
        let key = insert_user(&mut state, new_user, verifier, UserStatus::Unconfirmed, now);
        let delivery = self.send_confirmation_code(&mut state, &key, "SignUp", now);
        let mut response = json!({ "UserConfirmed": false, "UserSub": sub });
        if let Some(delivery) = delivery {
            response["CodeDeliveryDetails"] = delivery;
        }
        Ok(response)
    }

    pub fn confirm_sign_up(&self, request: ConfirmSignUpRequest) -> ServiceResult<Value> {
        let pool = self.pool_of_client(&request.client_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let Some(key) = confirming_user(
            &state,
            &request.client_id,
            &request.username,
            request.secret_hash.as_deref(),
        )?
        else {
            // What a known user with a wrong code hears.
            return Err(code_mismatch());
        };
        let user = state
            .users
            .get_mut(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(ServiceError::not_authorized(format!(
                "User cannot be confirmed. Current status is {}",
                user.status.name()
            )));
        }
        check_confirmation_code(user, &request.confirmation_code, now)?;
        user.status = UserStatus::Confirmed;
        forget_codes(user);
        user.modified = now;
        if user.attribute("email").is_some() {
            user.set_attribute("email_verified", "true");
        }
        // A verified email becomes a sign-in alias where the pool has email aliases.
        state.index_user(&key);
        Ok(json!({}))
    }

    pub fn resend_confirmation_code(
        &self,
        request: ResendConfirmationCodeRequest,
    ) -> ServiceResult<Value> {
        let pool = self.pool_of_client(&request.client_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let Some(key) = confirming_user(
            &state,
            &request.client_id,
            &request.username,
            request.secret_hash.as_deref(),
        )?
        else {
            if !verifies_email(&state.settings) {
                return Err(no_auto_verification());
            }
            let user_key = state.user_key(&request.username);
            drop(state);
            let destination = simulated_destination(&pool, &user_key);
            return Ok(json!({ "CodeDeliveryDetails": email_delivery(&destination) }));
        };
        let user = state
            .users
            .get(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(ServiceError::invalid_parameter(
                "User is already confirmed.",
            ));
        }
        if user.attribute("email").is_none() || !verifies_email(&state.settings) {
            return Err(no_auto_verification());
        }
        check_code_quota(user, now)?;
        let delivery = self
            .send_confirmation_code(&mut state, &key, "ResendConfirmationCode", now)
            .unwrap_or(Value::Null);
        Ok(json!({ "CodeDeliveryDetails": delivery }))
    }

    pub fn admin_confirm_sign_up(&self, request: AdminUserRequest) -> ServiceResult<Value> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let key = state
            .find_user_key(&request.username)
            .ok_or_else(ServiceError::user_not_found)?;
        let user = state
            .users
            .get_mut(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(ServiceError::not_authorized(format!(
                "User cannot be confirmed. Current status is {}",
                user.status.name()
            )));
        }
        user.status = UserStatus::Confirmed;
        forget_codes(user);
        user.modified = now;
        state.index_user(&key);
        Ok(json!({}))
    }

    pub fn admin_create_user(&self, request: AdminCreateUserRequest) -> ServiceResult<Value> {
        let pool = self.pool(&request.user_pool_id)?;
        let resend = request.message_action.as_deref() == Some("RESEND");
        let suppress = request.message_action.as_deref() == Some("SUPPRESS");
        let (new_user, temporary, validity_days) = {
            let state = pool.lock();
            let policy = &state.settings.password_policy;
            let temporary = match request.temporary_password {
                Some(given) => {
                    check_password_policy(policy, &given)?;
                    given
                }
                None => Zeroizing::new(random::password((policy.minimum_length as usize).max(10))),
            };
            let attributes = request.user_attributes.unwrap_or_default();
            let new_user = new_user(&state.settings, &request.username, &attributes, false)?;
            if resend {
                let user = state.user(&request.username)?;
                if user.status != UserStatus::ForceChangePassword {
                    return Err(ServiceError::new(
                        "UnsupportedUserStateException",
                        "Resend not possible. User is not in FORCE_CHANGE_PASSWORD state.",
                    ));
                }
            } else if state.find_user_key(&new_user.username).is_some() {
                return Err(ServiceError::new(
                    "UsernameExistsException",
                    "User account already exists",
                ));
            }
            (new_user, temporary, policy.temporary_password_validity_days)
        };
        let username = if resend {
            pool.lock().user(&request.username)?.username.clone()
        } else {
            new_user.username.clone()
        };
        let identity = Identity::user(&pool.id, &username)
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let verifier = PasswordVerifier::generate(&identity, &temporary)
            .map_err(|e| ServiceError::internal(e.to_string()))?;

        let now = self.now();
        let expires = now + Duration::from_secs(u64::from(validity_days) * 86_400);
        let mut state = pool.lock();
        let key = if resend {
            let key = state
                .find_user_key(&username)
                .ok_or_else(ServiceError::user_not_found)?;
            let user = state
                .users
                .get_mut(&key)
                .ok_or_else(ServiceError::user_not_found)?;
            user.verifier = verifier;
            key
        } else {
            check_user_is_new(&state, &new_user)?;
            insert_user(
                &mut state,
                new_user,
                verifier,
                UserStatus::ForceChangePassword,
                now,
            )
        };
        let user = state
            .users
            .get_mut(&key)
            .ok_or_else(ServiceError::user_not_found)?;
        user.temporary_password_expires = Some(expires);
        if let (false, Some(email)) = (suppress, user.attribute("email")) {
            self.outbox.send(Message {
                user_pool_id: pool.id.clone(),
                username: user.username.clone(),
                destination: email.to_owned(),
                code: temporary.to_string(),
                kind: "AdminCreateUser".to_owned(),
                sent_at: epoch_seconds(now),
            });
        }
        let user = &state.users[&key];
        Ok(json!({ "User": user_type(user, "Attributes", None) }))
    }

    pub fn admin_set_user_password(
        &self,
        request: AdminSetUserPasswordRequest,
    ) -> ServiceResult<Value> {
        let pool = self.pool(&request.user_pool_id)?;
        let (username, validity_days) = {
            let state = pool.lock();
            check_password_policy(&state.settings.password_policy, &request.password)?;
            let user = state.user(&request.username)?;
            (
                user.username.clone(),
                state
                    .settings
                    .password_policy
                    .temporary_password_validity_days,
            )
        };
        let identity = Identity::user(&pool.id, &username)
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let verifier = PasswordVerifier::generate(&identity, &request.password)
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let now = self.now();
        let mut state = pool.lock();
        let user = state.user_mut(&username)?;
        user.verifier = verifier;
        user.failed_passwords = 0;
        user.locked_until = None;
        user.modified = now;
        if request.permanent.unwrap_or(false) {
            user.status = UserStatus::Confirmed;
            user.temporary_password_expires = None;
        } else {
            user.status = UserStatus::ForceChangePassword;
            user.temporary_password_expires =
                Some(now + Duration::from_secs(u64::from(validity_days) * 86_400));
        }
        if let Some(key) = state.find_user_key(&username) {
            state.index_user(&key);
        }
        Ok(json!({}))
    }

    pub fn admin_get_user(&self, request: AdminUserRequest) -> ServiceResult<Value> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let user = state.user(&request.username)?;
        let mut response = user_type(user, "UserAttributes", None);
        add_mfa_settings(&mut response, user);
        Ok(response)
    }

    pub fn list_users(&self, request: ListUsersRequest) -> ServiceResult<Value> {
        let pool = self.pool(&request.user_pool_id)?;
        let filter = match request.filter.as_deref() {
            Some(text) if !text.trim().is_empty() => Some(Filter::parse(text)?),
            _ => None,
        };
        let limit = match request.limit {
            Some(0) | None => LIST_USERS_DEFAULT_LIMIT,
            Some(limit) => limit,
        };
        let start = match &request.pagination_token {
            Some(token) => Bound::Excluded(
                URL_SAFE_NO_PAD
                    .decode(token)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .ok_or_else(|| ServiceError::invalid_parameter("Invalid pagination token."))?,
            ),
            None => Bound::Unbounded,
        };
        let state = pool.lock();
        let case_insensitive_username = !state.settings.username_case_sensitive;
        let matches = |user: &User| {
            filter
                .as_ref()
                .is_none_or(|f| f.matches(user, case_insensitive_username))
        };
        let (page, next) =
            page_of_users(&state.users, start, limit, LIST_USERS_SCAN_BUDGET, matches);
        let users: Vec<Value> = page
            .into_iter()
            .map(|user| user_type(user, "Attributes", request.attributes_to_get.as_deref()))
            .collect();
        let mut response = json!({ "Users": users });
        if let Some(key) = next {
            response["PaginationToken"] = json!(URL_SAFE_NO_PAD.encode(key));
        }
        Ok(response)
    }

    pub fn admin_delete_user(&self, request: AdminUserRequest) -> ServiceResult<Value> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        let key = state
            .find_user_key(&request.username)
            .ok_or_else(ServiceError::user_not_found)?;
        state.remove_user(&key);
        Ok(json!({}))
    }

    pub fn get_user(&self, request: AccessTokenRequest) -> ServiceResult<Value> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let state = pool.lock();
        let user = state.token_user(&claims)?;
        let mut response = user_type(user, "UserAttributes", None);
        if let Value::Object(fields) = &mut response {
            for dropped in [
                "UserCreateDate",
                "UserLastModifiedDate",
                "Enabled",
                "UserStatus",
            ] {
                fields.remove(dropped);
            }
        }
        add_mfa_settings(&mut response, user);
        Ok(response)
    }

    /// Issues a new confirmation code to a user's email, if the pool verifies email.
    fn send_confirmation_code(
        &self,
        state: &mut PoolState,
        key: &str,
        kind: &str,
        now: SystemTime,
    ) -> Option<Value> {
        if !verifies_email(&state.settings) {
            return None;
        }
        let pool_id = state.settings.id.clone();
        let user = state.users.get_mut(key)?;
        let email = user.attribute("email")?.to_owned();
        let code = Zeroizing::new(random::from_alphabet(random::DIGITS, 6));
        user.codes.push(IssuedCode {
            code: code.clone(),
            expires: now + CODE_VALIDITY,
        });
        if user.codes.len() > REMEMBERED_CODES {
            user.codes.remove(0);
        }
        record_code_sent(user, now);
        self.outbox.send(Message {
            user_pool_id: pool_id,
            username: user.username.clone(),
            destination: email.clone(),
            code: code.to_string(),
            kind: kind.to_owned(),
            sent_at: epoch_seconds(now),
        });
        Some(email_delivery(&mask_email(&email)))
    }
}

/// The key of the user a ConfirmSignUp or ResendConfirmationCode is about, once the client's
/// SECRET_HASH checks out. `None` when there is no such user and the client does not say so
/// (PreventUserExistenceErrors ENABLED): the caller then answers as for a user who exists.
fn confirming_user(
    state: &PoolState,
    client_id: &str,
    username: &str,
    secret_hash: Option<&str>,
) -> ServiceResult<Option<String>> {
    let client = state.client(client_id)?;
    check_secret_hash(client, username, secret_hash)?;
    match state.find_user_key(username) {
        Some(key) => Ok(Some(key)),
        None if client.prevent_user_existence_errors => Ok(None),
        None => Err(ServiceError::new(
            "UserNotFoundException",
            "Username/client id combination not found.",
        )),
    }
}

fn verifies_email(settings: &PoolSettings) -> bool {
    settings
        .auto_verified_attributes
        .iter()
        .any(|a| a == "email")
}

fn no_auto_verification() -> ServiceError {
    ServiceError::invalid_parameter(
        "Auto verification not turned on for this user pool, or the user has no email address.",
    )
}

fn code_mismatch() -> ServiceError {
    ServiceError::new(
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
}

fn attempt_limit_exceeded() -> ServiceError {
    ServiceError::new(
        "LimitExceededException",
        "Attempt limit exceeded, please try after some time.",
    )
}

/// CodeDeliveryDetails for a code sent by email to a masked address.
fn email_delivery(masked_destination: &str) -> Value {
    json!({
        "Destination": masked_destination,
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    })
}

/// Where a code "went" for a user who does not exist: an address shaped like a real user's and
/// the same every time for the same name, as a real user's is, so asking twice tells nothing.
/// A name that is an email address is its own destination (as in pools that sign in with email);
/// for any other, the letters shown come from the pool's key, so nobody else can predict them.
fn simulated_destination(pool: &Pool, user_key: &str) -> String {
    if looks_like_email(user_key) {
        return mask_email(user_key);
    }
    let derived = pool
        .keys
        .access
        .derive(&format!("code-destination:{user_key}"));
    let letter = |byte: u8| char::from(b'a' + byte % 26);
    mask_email(&format!(
        "{}@{}.com",
        letter(derived[0]),
        letter(derived[1])
    ))
}

fn sent_within_the_window(sent: SystemTime, now: SystemTime) -> bool {
    // A time after `now` (a clock set back) counts as recent.
    now.duration_since(sent)
        .map_or(true, |age| age < CODE_SEND_WINDOW)
}

/// Refuses another code while `CODES_PER_HOUR` were sent to the user within the last hour.
fn check_code_quota(user: &User, now: SystemTime) -> ServiceResult<()> {
    let recent = user
        .codes_sent_at
        .iter()
        .filter(|sent| sent_within_the_window(**sent, now))
        .count();
    if recent >= CODES_PER_HOUR {
        return Err(attempt_limit_exceeded());
    }
    Ok(())
}

/// Notes a code sent, keeping only the sends that still count against the quota.
fn record_code_sent(user: &mut User, now: SystemTime) {
    user.codes_sent_at
        .retain(|sent| sent_within_the_window(*sent, now));
    user.codes_sent_at.push(now);
    let excess = user.codes_sent_at.len().saturating_sub(CODES_PER_HOUR);
    user.codes_sent_at.drain(..excess);
}

/// A confirmed user has no codes, and nothing to guess.
fn forget_codes(user: &mut User) {
    user.codes.clear();
    user.failed_codes = 0;
    user.codes_locked_until = None;
    user.codes_sent_at.clear();
}

/// One page of ListUsers: up to `limit` users that `matches`, looking at no more than `budget`
/// users after `start`. Returns the page and the key to go on after, when any user is left.
fn page_of_users(
    users: &BTreeMap<String, User>,
    start: Bound<String>,
    limit: usize,
    budget: usize,
    matches: impl Fn(&User) -> bool,
) -> (Vec<&User>, Option<&String>) {
    let mut page = Vec::with_capacity(limit.min(users.len()));
    let mut last_seen = None;
    for (key, user) in users.range((start, Bound::Unbounded)).take(budget) {
        last_seen = Some(key);
        if matches(user) {
            page.push(user);
            if page.len() == limit {
                break;
            }
        }
    }
    let next = last_seen.filter(|key| {
        users
            .range::<String, _>((Bound::Excluded(*key), Bound::Unbounded))
            .next()
            .is_some()
    });
    (page, next)
}

/// Only the newest code confirms; a superseded or expired one is "expired"; anything else is
/// a mismatch. Every comparison is constant-time. Mismatches count per user across codes, as
/// wrong TOTP codes do: from the fifth in a row, confirming is locked for 1 s, then 2 s, 4 s,
/// ... up to 15 minutes, and a new code does not lift it, so resending buys no guesses.
fn check_confirmation_code(user: &mut User, code: &str, now: SystemTime) -> ServiceResult<()> {
    if user.codes_locked_until.is_some_and(|until| until > now) {
        return Err(attempt_limit_exceeded());
    }
    let equals = |issued: &IssuedCode| bool::from(issued.code.as_bytes().ct_eq(code.as_bytes()));
    if user
        .codes
        .last()
        .is_some_and(|newest| equals(newest) && newest.expires > now)
    {
        return Ok(());
    }
    if user.codes.iter().any(equals) {
        return Err(ServiceError::new(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        ));
    }
    user.failed_codes = user.failed_codes.saturating_add(1);
    user.codes_locked_until = lockout::lockout(user.failed_codes, now);
    Err(code_mismatch())
}

/// Validates the attributes against the schema and works out the internal username.
fn new_user(
    settings: &PoolSettings,
    username: &str,
    attributes: &[AttributeType],
    self_sign_up: bool,
) -> ServiceResult<NewUser> {
    let sub = random::uuid();
    let mut values: Vec<(String, String)> = vec![("sub".to_owned(), sub.clone())];
    for attribute in attributes {
        let known = STANDARD_ATTRIBUTES.contains(&attribute.name.as_str())
            || settings.schema.iter().any(|s| s.name == attribute.name);
        if !known {
            return Err(ServiceError::invalid_parameter(format!(
                "Attributes did not conform to the schema: Type for attribute {{{}}} could not be determined",
                attribute.name
            )));
        }
        if attribute.name == "sub" {
            return Err(ServiceError::invalid_parameter(
                "Attributes did not conform to the schema: sub: Attribute cannot be updated.",
            ));
        }
        let value = attribute.value.clone().unwrap_or_default();
        if attribute.name == "email" && !looks_like_email(&value) {
            return Err(ServiceError::invalid_parameter(
                "Invalid email address format.",
            ));
        }
        values.retain(|(name, _)| *name != attribute.name);
        values.push((attribute.name.clone(), value));
    }
    let internal = if settings.email_is_username() {
        if !looks_like_email(username) {
            return Err(ServiceError::invalid_parameter(
                "Username should be an email.",
            ));
        }
        if !values.iter().any(|(name, _)| name == "email") {
            values.push(("email".to_owned(), username.to_owned()));
        }
        sub.clone()
    } else {
        username.to_owned()
    };
    if self_sign_up {
        for required in settings
            .schema
            .iter()
            .filter(|a| a.required && a.name != "sub")
        {
            if !values.iter().any(|(name, _)| *name == required.name) {
                return Err(ServiceError::invalid_parameter(format!(
                    "Attributes did not conform to the schema: {}: The attribute is required",
                    required.name
                )));
            }
        }
    }
    Ok(NewUser {
        username: internal,
        sub,
        attributes: values,
    })
}

fn looks_like_email(value: &str) -> bool {
    value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
    })
}

fn check_user_is_new(state: &PoolState, user: &NewUser) -> ServiceResult<()> {
    let email = user
        .attributes
        .iter()
        .find(|(n, _)| n == "email")
        .map(|(_, v)| v.to_lowercase());
    if state.settings.email_is_username() {
        if email.is_some_and(|email| state.emails.contains_key(&email)) {
            return Err(ServiceError::new(
                "UsernameExistsException",
                "An account with the given email already exists.",
            ));
        }
    } else if state.users.contains_key(&state.user_key(&user.username)) {
        return Err(ServiceError::new(
            "UsernameExistsException",
            "User already exists",
        ));
    }
    Ok(())
}

fn insert_user(
    state: &mut PoolState,
    new_user: NewUser,
    verifier: PasswordVerifier,
    status: UserStatus,
    now: SystemTime,
) -> String {
    let key = state.user_key(&new_user.username);
    state.users.insert(
        key.clone(),
        User {
            username: new_user.username,
            sub: new_user.sub,
            attributes: new_user.attributes,
            verifier,
            status,
            enabled: true,
            created: now,
            modified: now,
            codes: Vec::new(),
            failed_codes: 0,
            codes_locked_until: None,
            codes_sent_at: Vec::new(),
            software_token: SoftwareToken::default(),
            device_group_key: format!("-{}", random::from_alphabet(random::ALPHANUMERIC, 9)),
            failed_passwords: 0,
            locked_until: None,
            failed_mfa: 0,
            mfa_locked_until: None,
            temporary_password_expires: None,
        },
    );
    state.index_user(&key);
    key
}

/// UserType (ListUsers, AdminCreateUser) or the AdminGetUser shape, which names the attribute
/// list `UserAttributes`.
fn user_type(user: &User, attributes_key: &str, only: Option<&[String]>) -> Value {
    let attributes: Vec<Value> = user
        .attributes
        .iter()
        .filter(|(name, _)| only.is_none_or(|names| names.iter().any(|n| n == name)))
        .map(|(name, value)| json!({ "Name": name, "Value": value }))
        .collect();
    json!({
        "Username": user.username,
        attributes_key: attributes,
        "UserCreateDate": epoch_seconds(user.created),
        "UserLastModifiedDate": epoch_seconds(user.modified),
        "Enabled": user.enabled,
        "UserStatus": user.status.name(),
    })
}

fn add_mfa_settings(response: &mut Value, user: &User) {
    if user.has_software_token() {
        response["UserMFASettingList"] = json!(["SOFTWARE_TOKEN_MFA"]);
        response["PreferredMfaSetting"] = json!("SOFTWARE_TOKEN_MFA");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool_of(names: &[&str]) -> BTreeMap<String, User> {
        names
            .iter()
            .map(|name| ((*name).to_owned(), User::for_test(name, &[])))
            .collect()
    }

    fn walk(
        users: &BTreeMap<String, User>,
        limit: usize,
        budget: usize,
        wanted: impl Fn(&User) -> bool + Copy,
    ) -> Vec<Vec<String>> {
        let mut pages = Vec::new();
        let mut start = Bound::Unbounded;
        loop {
            let (page, next) = page_of_users(users, start, limit, budget, wanted);
            pages.push(page.iter().map(|u| u.username.clone()).collect());
            match next {
                Some(key) => start = Bound::Excluded(key.clone()),
                None => return pages,
            }
        }
    }

    /// An attacker who guesses every second it is let, and has a new code sent every minute:
    /// the wrong codes it gets judged by the end of each hour.
    fn guesses_by_hour(hours: u64) -> Vec<u32> {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut user = User::for_test("victim", &[]);
        let mut guesses = 0;
        let mut by_hour = Vec::new();
        for second in 0..hours * 3600 {
            let now = start + Duration::from_secs(second);
            if second % 60 == 0 {
                user.codes.push(IssuedCode {
                    code: Zeroizing::new("123456".to_owned()),
                    expires: now + CODE_VALIDITY,
                });
            }
            while let Err(error) = check_confirmation_code(&mut user, "000000", now) {
                if error.code != "CodeMismatchException" {
                    break;
                }
                guesses += 1;
            }
            if (second + 1) % 3600 == 0 {
                by_hour.push(guesses);
            }
        }
        by_hour
    }

    #[test]
    fn resending_does_not_buy_guesses_17_in_the_first_hour_then_4_an_hour() {
        let by_hour = guesses_by_hour(24);
        assert_eq!(by_hour[0], 17);
        assert!(by_hour.windows(2).all(|pair| pair[1] - pair[0] <= 4));
        assert_eq!(by_hour[23], 109, "guesses in the first day");
    }

    #[test]
    fn the_lock_refuses_the_right_code_and_lifts_on_time() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut user = User::for_test("bo", &[]);
        user.codes.push(IssuedCode {
            code: Zeroizing::new("123456".to_owned()),
            expires: now + CODE_VALIDITY,
        });
        for _ in 0..5 {
            let refused = check_confirmation_code(&mut user, "000000", now).unwrap_err();
            assert_eq!(refused, code_mismatch());
        }
        let refused = check_confirmation_code(&mut user, "123456", now).unwrap_err();
        assert_eq!(refused, attempt_limit_exceeded());
        let later = now + Duration::from_secs(1);
        assert_eq!(check_confirmation_code(&mut user, "123456", later), Ok(()));
    }

    #[test]
    fn at_most_five_codes_go_out_in_any_hour() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let minutes = |n: u64| start + Duration::from_secs(60 * n);
        let mut user = User::for_test("ana", &[]);
        for minute in 0..5 {
            assert_eq!(check_code_quota(&user, minutes(minute)), Ok(()));
            record_code_sent(&mut user, minutes(minute));
        }
        assert_eq!(
            check_code_quota(&user, minutes(59)),
            Err(attempt_limit_exceeded())
        );
        assert_eq!(check_code_quota(&user, minutes(60)), Ok(()));
        record_code_sent(&mut user, minutes(60));
        assert_eq!(
            user.codes_sent_at.len(),
            CODES_PER_HOUR,
            "old sends are dropped"
        );
        assert_eq!(
            check_code_quota(&user, minutes(60)),
            Err(attempt_limit_exceeded())
        );
    }

    #[test]
    fn a_user_stored_before_the_limits_loads_without_them() {
        let mut stored = serde_json::to_value(User::for_test("old", &[])).unwrap();
        let fields = stored.as_object_mut().unwrap();
        assert!(fields.remove("codes_locked_until").is_some());
        assert!(fields.remove("codes_sent_at").is_some());
        let user: User = serde_json::from_value(stored).unwrap();
        assert_eq!(user.codes_locked_until, None);
        assert!(user.codes_sent_at.is_empty());
    }

    #[test]
    fn pages_stop_at_the_limit_and_end_without_a_token() {
        let users = pool_of(&["a", "b", "c", "d", "e"]);
        assert_eq!(
            walk(&users, 2, 100, |_| true),
            [vec!["a", "b"], vec!["c", "d"], vec!["e"]]
        );
        assert_eq!(
            walk(&users, 5, 100, |_| true),
            [vec!["a", "b", "c", "d", "e"]]
        );
    }

    #[test]
    fn a_sparse_filter_gives_short_pages_with_tokens_and_finds_every_match() {
        let users = pool_of(&["a", "b", "c", "d", "e", "f", "g"]);
        let wanted = |user: &User| ["b", "g"].contains(&user.username.as_str());
        let pages = walk(&users, 10, 3, wanted);
        assert_eq!(pages, [vec!["b"], vec![], vec!["g"]]);
        let found: Vec<String> = pages.concat();
        assert_eq!(found, ["b", "g"]);
    }
}
