// SPDX-License-Identifier: Apache-2.0
//! The making of a new user, shared by SignUp and AdminCreateUser: its attributes checked
//! against the schema, its name checked to be free, and the user added.

use std::time::SystemTime;

use cognito_srp::PasswordVerifier;

use crate::crypto::random;
use crate::service::model::{PoolSettings, PoolState, SoftwareToken, User, UserStatus};
use crate::service::schema::{Writer, check_writes};
use crate::service::{AttributeType, ServiceError, ServiceResult};

/// A user about to be added: everything but the verifier, which is derived outside the lock.
pub(crate) struct NewUser {
    pub(super) username: String,
    pub(super) sub: String,
    attributes: Vec<(String, String)>,
}

/// Validates the attributes against the schema (what the user may write itself, with
/// `self_sign_up`, or an administrator) and works out the internal username.
pub(crate) fn new_user(
    settings: &PoolSettings,
    username: &str,
    attributes: &[AttributeType],
    self_sign_up: bool,
) -> ServiceResult<NewUser> {
    let sub = random::uuid();
    let mut values: Vec<(String, String)> = vec![("sub".to_owned(), sub.clone())];
    let writer = Writer {
        admin: !self_sign_up,
        creating: true,
    };
    check_writes(&settings.schema, attributes, writer)?;
    for attribute in attributes {
        let value = attribute.value.clone();
        check_attribute_format(&attribute.name, &value)?;
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
    Ok(NewUser {
        username: internal,
        sub,
        attributes: values,
    })
}

/// The forms the service checks beyond the schema's types: an email address, and a phone
/// number as `+` and digits (the country code first, nothing else).
pub(super) fn check_attribute_format(name: &str, value: &str) -> ServiceResult<()> {
    match name {
        "email" if !looks_like_email(value) => Err(ServiceError::invalid_parameter(
            "Invalid email address format.",
        )),
        "phone_number" if !looks_like_phone_number(value) => Err(ServiceError::invalid_parameter(
            "Invalid phone number format.",
        )),
        _ => Ok(()),
    }
}

fn looks_like_phone_number(value: &str) -> bool {
    value
        .strip_prefix('+')
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

pub(super) fn looks_like_email(value: &str) -> bool {
    value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
    })
}

pub(crate) fn check_user_is_new(state: &PoolState, user: &NewUser) -> ServiceResult<()> {
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

pub(crate) fn insert_user(
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
            pending_email: None,
            revoked_sign_ins: Vec::new(),
            signed_out_before: None,
            password_sign_in_disabled: false,
            groups: Default::default(),
            mfa_options: Vec::new(),
        },
    );
    state.index_user(&key);
    key
}
