// SPDX-License-Identifier: Apache-2.0
//! Every operation the emulator answers, and the service call behind it. What their inputs may
//! hold comes from the service model ([`super::model`]), which also names the operations the
//! emulator does not answer.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::service::{Service, ServiceError, ServiceResult};

/// What a handler knows of the request beyond its body.
#[derive(Debug, Default)]
pub struct Context {
    /// The region of a SigV4 signature, when the request was signed.
    pub signed_region: Option<String>,
}

pub struct Operation {
    pub name: &'static str,
    /// Runs SRP or RSA work: kept off the async workers.
    pub heavy: bool,
    /// Takes the checked request body and answers the answer's JSON text.
    pub handler: fn(&Service, Value, &Context) -> ServiceResult<String>,
    /// What the operation does not do that the service does, for the coverage table.
    pub limits: Option<&'static str>,
}

impl Operation {
    /// The operation with a note of what it leaves out.
    pub const fn limited(self, limits: &'static str) -> Self {
        Self {
            limits: Some(limits),
            ..self
        }
    }
}

/// The answer as JSON text: every operation's answer type is serialized here, in one place,
/// straight to text (no `Value` tree in between).
fn reply<T: Serialize>(answer: ServiceResult<T>) -> ServiceResult<String> {
    serde_json::to_string(&answer?).map_err(|error| {
        ServiceError::internal(format!("The answer could not be written: {error}"))
    })
}

fn decode<T: DeserializeOwned>(body: Value) -> ServiceResult<T> {
    serde_json::from_value(body).map_err(|error| {
        ServiceError::new(
            "SerializationException",
            format!("Could not read the request: {error}"),
        )
    })
}

const fn op(
    name: &'static str,
    heavy: bool,
    handler: fn(&Service, Value, &Context) -> ServiceResult<String>,
) -> Operation {
    Operation {
        name,
        heavy,
        handler,
        limits: None,
    }
}

mod attributes;
mod branding;
mod federation;
mod groups;
mod platform;
mod pool_admin;
mod security;

/// Every operation the emulator answers, family by family: each family's table is in its own
/// file, next to none of the others.
const FAMILIES: &[(&str, &[Operation])] = &[
    ("core", CORE),
    ("groups", groups::OPERATIONS),
    ("pools and clients", pool_admin::OPERATIONS),
    ("attributes and import", attributes::OPERATIONS),
    ("federation", federation::OPERATIONS),
    ("security", security::OPERATIONS),
    ("platform", platform::OPERATIONS),
    ("managed login branding", branding::OPERATIONS),
];

const KEPT_NOT_ACTED_ON: &str = "Lambda triggers, SMS and email settings, account recovery and the sign-in policy are kept and returned, not acted on";
const NO_PASSKEYS: &str = "WEB_AUTHN is never listed: the emulator keeps no passkeys";
const NO_CUSTOM_OR_PASSWORDLESS: &str =
    "USER_AUTH (passwordless) and CUSTOM_AUTH (Lambda challenges) are refused";

/// The operations of the example's scenario and of the first browser apps: pools and clients,
/// sign-up, sign-in, MFA, devices, tokens and the user's own account.
const CORE: &[Operation] = &[
    op("CreateUserPool", true, |service, body, context| {
        reply(service.create_user_pool(decode(body)?, context.signed_region.as_deref()))
    })
    .limited(KEPT_NOT_ACTED_ON),
    op("DescribeUserPool", false, |s, b, _| {
        reply(s.describe_user_pool(decode(b)?))
    }),
    op("DeleteUserPool", false, |s, b, _| {
        reply(s.delete_user_pool(decode(b)?))
    }),
    op("ListUserPools", false, |s, b, _| {
        reply(s.list_user_pools(decode(b)?))
    }),
    op("SetUserPoolMfaConfig", false, |s, b, _| {
        reply(s.set_user_pool_mfa_config(decode(b)?))
    })
    .limited("SMS, email and WebAuthn MFA are kept and returned; only TOTP is asked for"),
    op("CreateUserPoolClient", false, |s, b, _| {
        reply(s.create_user_pool_client(decode(b)?))
    }),
    op("DescribeUserPoolClient", false, |s, b, _| {
        reply(s.describe_user_pool_client(decode(b)?))
    }),
    op("DeleteUserPoolClient", false, |s, b, _| {
        reply(s.delete_user_pool_client(decode(b)?))
    }),
    op("SignUp", true, |s, b, _| reply(s.sign_up(decode(b)?))),
    op("ConfirmSignUp", false, |s, b, _| {
        reply(s.confirm_sign_up(decode(b)?))
    }),
    op("ResendConfirmationCode", false, |s, b, _| {
        reply(s.resend_confirmation_code(decode(b)?))
    }),
    op("AdminConfirmSignUp", false, |s, b, _| {
        reply(s.admin_confirm_sign_up(decode(b)?))
    }),
    op("AdminCreateUser", true, |s, b, _| {
        reply(s.admin_create_user(decode(b)?))
    }),
    op("AdminSetUserPassword", true, |s, b, _| {
        reply(s.admin_set_user_password(decode(b)?))
    }),
    op("AdminGetUser", false, |s, b, _| {
        reply(s.admin_get_user(decode(b)?))
    }),
    op("ListUsers", false, |s, b, _| {
        reply(s.list_users(decode(b)?))
    }),
    op("AdminDeleteUser", false, |s, b, _| {
        reply(s.admin_delete_user(decode(b)?))
    }),
    op("GetUser", false, |s, b, _| reply(s.get_user(decode(b)?))),
    op("GetUserAuthFactors", false, |s, b, _| {
        reply(s.get_user_auth_factors(decode(b)?))
    })
    .limited(NO_PASSKEYS),
    op("AdminGetUserAuthFactors", false, |s, b, _| {
        reply(s.admin_get_user_auth_factors(decode(b)?))
    })
    .limited(NO_PASSKEYS),
    op("ForgotPassword", false, |s, b, _| {
        reply(s.forgot_password(decode(b)?))
    }),
    op("ConfirmForgotPassword", true, |s, b, _| {
        reply(s.confirm_forgot_password(decode(b)?))
    }),
    op("AdminResetUserPassword", false, |s, b, _| {
        reply(s.admin_reset_user_password(decode(b)?))
    }),
    op("UpdateUserAttributes", false, |s, b, _| {
        reply(s.update_user_attributes(decode(b)?))
    }),
    op("AdminUpdateUserAttributes", false, |s, b, _| {
        reply(s.admin_update_user_attributes(decode(b)?))
    }),
    op("GetUserAttributeVerificationCode", false, |s, b, _| {
        reply(s.get_user_attribute_verification_code(decode(b)?))
    }),
    op("VerifyUserAttribute", false, |s, b, _| {
        reply(s.verify_user_attribute(decode(b)?))
    }),
    op("ChangePassword", true, |s, b, _| {
        reply(s.change_password(decode(b)?))
    }),
    op("DeleteUser", false, |s, b, _| {
        reply(s.delete_user(decode(b)?))
    }),
    op("AdminDisableUser", false, |s, b, _| {
        reply(s.admin_disable_user(decode(b)?))
    }),
    op("AdminEnableUser", false, |s, b, _| {
        reply(s.admin_enable_user(decode(b)?))
    }),
    op("DeleteUserAttributes", false, |s, b, _| {
        reply(s.delete_user_attributes(decode(b)?))
    }),
    op("AdminDeleteUserAttributes", false, |s, b, _| {
        reply(s.admin_delete_user_attributes(decode(b)?))
    }),
    op("SetUserMFAPreference", false, |s, b, _| {
        reply(s.set_user_mfa_preference(decode(b)?))
    }),
    op("AdminSetUserMFAPreference", false, |s, b, _| {
        reply(s.admin_set_user_mfa_preference(decode(b)?))
    }),
    op("InitiateAuth", true, |s, b, _| {
        reply(s.initiate_auth(decode(b)?))
    })
    .limited(NO_CUSTOM_OR_PASSWORDLESS),
    op("AdminInitiateAuth", true, |s, b, _| {
        reply(s.admin_initiate_auth(decode(b)?))
    })
    .limited(NO_CUSTOM_OR_PASSWORDLESS),
    op("RespondToAuthChallenge", true, |s, b, _| {
        reply(s.respond_to_auth_challenge(decode(b)?))
    }),
    op("AdminRespondToAuthChallenge", true, |s, b, _| {
        reply(s.admin_respond_to_auth_challenge(decode(b)?))
    }),
    op("AssociateSoftwareToken", false, |s, b, _| {
        reply(s.associate_software_token(decode(b)?))
    }),
    op("VerifySoftwareToken", false, |s, b, _| {
        reply(s.verify_software_token(decode(b)?))
    }),
    op("ConfirmDevice", false, |s, b, _| {
        reply(s.confirm_device(decode(b)?))
    }),
    op("UpdateDeviceStatus", false, |s, b, _| {
        reply(s.update_device_status(decode(b)?))
    }),
    op("ListDevices", false, |s, b, _| {
        reply(s.list_devices(decode(b)?))
    }),
    op("GetDevice", false, |s, b, _| {
        reply(s.get_device(decode(b)?))
    }),
    op("AdminGetDevice", false, |s, b, _| {
        reply(s.admin_get_device(decode(b)?))
    }),
    op("AdminListDevices", false, |s, b, _| {
        reply(s.admin_list_devices(decode(b)?))
    }),
    op("AdminUpdateDeviceStatus", false, |s, b, _| {
        reply(s.admin_update_device_status(decode(b)?))
    }),
    op("AdminForgetDevice", false, |s, b, _| {
        reply(s.admin_forget_device(decode(b)?))
    }),
    op("GetTokensFromRefreshToken", true, |s, b, _| {
        reply(s.get_tokens_from_refresh_token(decode(b)?))
    }),
    op("RevokeToken", false, |s, b, _| {
        reply(s.revoke_token(decode(b)?))
    }),
    op("GlobalSignOut", false, |s, b, _| {
        reply(s.global_sign_out(decode(b)?))
    }),
    op("AdminUserGlobalSignOut", false, |s, b, _| {
        reply(s.admin_user_global_sign_out(decode(b)?))
    }),
    op("ForgetDevice", false, |s, b, _| {
        reply(s.forget_device(decode(b)?))
    }),
];

/// Every operation the emulator answers, in routing order.
pub fn all() -> impl Iterator<Item = &'static Operation> {
    FAMILIES.iter().flat_map(|(_, family)| family.iter())
}

/// The families, by name, with their operations.
pub fn families() -> impl Iterator<Item = (&'static str, &'static [Operation])> {
    FAMILIES.iter().copied()
}

/// The family an operation is listed in, by the family's name.
pub fn family_of(name: &str) -> Option<&'static str> {
    FAMILIES
        .iter()
        .find(|(_, family)| family.iter().any(|operation| operation.name == name))
        .map(|(family, _)| *family)
}

pub fn find(name: &str) -> Option<&'static Operation> {
    static BY_NAME: LazyLock<HashMap<&'static str, &'static Operation>> =
        LazyLock::new(|| all().map(|operation| (operation.name, operation)).collect());
    BY_NAME.get(name).copied()
}
