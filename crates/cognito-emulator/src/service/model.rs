// SPDX-License-Identifier: Apache-2.0
//! What a user pool holds: its settings, app clients, users, devices, sign-in sessions and
//! refresh grants.

use std::collections::{BTreeSet, HashMap};
use std::time::SystemTime;

use cognito_srp::{PasswordVerifier, SrpServer};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::pools::config::{AnalyticsConfigurationType, ClientOAuth, ClientSecret, PoolConfig};
use super::pools::ui::UiCustomization;
use super::sign_in::{AuthFlow, ChallengeName};
use super::tracked::{Owned, OwnedMap, Tracked, TrackedMap};
use super::verifier_form::{optional_verifier, verifier};
use crate::crypto::tokens::SigningKey;

/// The account in the ARNs the emulator writes: it has none of its own.
pub const ACCOUNT_ID: &str = "000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MfaConfiguration {
    Off,
    On,
    Optional,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicy {
    pub minimum_length: u32,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    pub temporary_password_validity_days: u32,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: 7,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceConfiguration {
    #[serde(default)]
    pub challenge_required_on_new_device: bool,
    #[serde(default)]
    pub device_only_remembered_on_user_prompt: bool,
}

/// An attribute of the pool's schema (standard or `custom:`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct SchemaAttribute {
    pub name: String,
    #[serde(default = "default_attribute_type")]
    pub attribute_data_type: String,
    #[serde(default)]
    pub developer_only_attribute: bool,
    #[serde(default = "default_true")]
    pub mutable: bool,
    #[serde(default)]
    pub required: bool,
    /// MinLength and MaxLength of a String attribute (see `service::schema`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_attribute_constraints: Option<StringAttributeConstraints>,
    /// MinValue and MaxValue of a Number attribute (see `service::schema`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_attribute_constraints: Option<NumberAttributeConstraints>,
}

/// `StringAttributeConstraintsType`: bounds as the API writes them, in decimal strings.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct StringAttributeConstraints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<String>,
}

/// `NumberAttributeConstraintsType`: bounds as the API writes them, in decimal strings.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct NumberAttributeConstraints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<String>,
}

fn default_attribute_type() -> String {
    "String".to_owned()
}

fn advanced_security_off() -> String {
    "OFF".to_owned()
}

fn default_true() -> bool {
    true
}

/// The pool's settings, as CreateUserPool and SetUserPoolMfaConfig leave them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoolSettings {
    pub id: String,
    pub name: String,
    pub region: String,
    pub created: SystemTime,
    pub modified: SystemTime,
    pub username_case_sensitive: bool,
    pub username_attributes: Vec<String>,
    pub alias_attributes: Vec<String>,
    pub auto_verified_attributes: Vec<String>,
    /// UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate: a new value of
    /// these keeps the old one in force until it is verified.
    #[serde(default)]
    pub attributes_require_verification_before_update: Vec<String>,
    pub schema: Vec<SchemaAttribute>,
    pub password_policy: PasswordPolicy,
    pub mfa: MfaConfiguration,
    pub software_token_mfa: bool,
    pub devices: Option<DeviceConfiguration>,
    pub admin_create_user_only: bool,
    pub deletion_protection: bool,
    pub email_subject: Option<String>,
    pub email_message: Option<String>,
    pub tier: String,
    /// UserPoolAddOns.AdvancedSecurityMode (threat protection): `OFF`, `AUDIT` or `ENFORCED`.
    /// Authentication events are recorded only when it is not `OFF`, as on the service.
    #[serde(default = "advanced_security_off")]
    pub advanced_security_mode: String,
    /// The `iss` of the pool's tokens, fixed when the pool is made so that tokens stay valid
    /// when the emulator moves. Empty when read from a data directory written before pools kept
    /// it; loading fills it in.
    #[serde(default)]
    pub issuer: String,
    /// What else CreateUserPool/UpdateUserPool/SetUserPoolMfaConfig were given, described back.
    #[serde(default)]
    pub config: PoolConfig,
}

impl PoolSettings {
    /// A pool with the API's defaults, for unit tests.
    #[cfg(test)]
    pub(crate) fn for_test() -> Self {
        Self {
            id: "us-east-1_Test12345".to_owned(),
            name: "test".to_owned(),
            region: "us-east-1".to_owned(),
            created: SystemTime::UNIX_EPOCH,
            modified: SystemTime::UNIX_EPOCH,
            username_case_sensitive: true,
            username_attributes: Vec::new(),
            alias_attributes: Vec::new(),
            auto_verified_attributes: Vec::new(),
            attributes_require_verification_before_update: Vec::new(),
            schema: Vec::new(),
            password_policy: PasswordPolicy::default(),
            mfa: MfaConfiguration::Off,
            software_token_mfa: false,
            devices: None,
            admin_create_user_only: false,
            deletion_protection: false,
            email_subject: None,
            email_message: None,
            tier: "ESSENTIALS".to_owned(),
            advanced_security_mode: advanced_security_off(),
            issuer: "http://127.0.0.1:9229/us-east-1_Test12345".to_owned(),
            config: PoolConfig::default(),
        }
    }

    pub fn arn(&self) -> String {
        format!(
            "arn:aws:cognito-idp:{}:{ACCOUNT_ID}:userpool/{}",
            self.region, self.id
        )
    }

    pub fn email_is_username(&self) -> bool {
        self.username_attributes.iter().any(|a| a == "email")
    }

    pub fn email_is_alias(&self) -> bool {
        self.alias_attributes.iter().any(|a| a == "email")
    }

    /// Whether a new email stays pending, the old one in force, until it is verified.
    pub fn email_update_needs_verification(&self) -> bool {
        self.attributes_require_verification_before_update
            .iter()
            .any(|a| a == "email")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl TokenUnit {
    pub fn seconds(self) -> u64 {
        match self {
            Self::Seconds => 1,
            Self::Minutes => 60,
            Self::Hours => 3600,
            Self::Days => 86_400,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Seconds => "seconds",
            Self::Minutes => "minutes",
            Self::Hours => "hours",
            Self::Days => "days",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppClient {
    pub id: String,
    pub name: String,
    /// The one secret of clients stored before clients had several: loading moves it into
    /// `secrets`, and nothing writes it any more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Zeroizing<String>>,
    /// The live secrets, oldest first (at most two); none for a public client.
    #[serde(default)]
    pub secrets: Vec<ClientSecret>,
    pub explicit_auth_flows: Vec<String>,
    pub access_token_validity: (u64, TokenUnit),
    pub id_token_validity: (u64, TokenUnit),
    pub refresh_token_validity: (u64, TokenUnit),
    pub auth_session_validity_minutes: u64,
    pub prevent_user_existence_errors: bool,
    pub enable_token_revocation: bool,
    /// RefreshTokenRotation: `Some(grace seconds)` when enabled. GetTokensFromRefreshToken then
    /// issues a new refresh token, and the one it was given lasts only the grace period more.
    #[serde(default)]
    pub refresh_token_rotation: Option<u64>,
    /// ReadAttributes: the attributes the client may read (GetUser, the ID token); `None` is
    /// every attribute.
    #[serde(default)]
    pub read_attributes: Option<Vec<String>>,
    /// WriteAttributes: the attributes the client may set (SignUp, UpdateUserAttributes);
    /// `None` is every mutable attribute.
    #[serde(default)]
    pub write_attributes: Option<Vec<String>>,
    #[serde(default)]
    pub oauth: ClientOAuth,
    #[serde(default)]
    pub analytics: Option<AnalyticsConfigurationType>,
    #[serde(default)]
    pub propagate_user_context_data: bool,
    pub created: SystemTime,
    pub modified: SystemTime,
}

impl AppClient {
    /// Whether a client secret sent as is (RevokeToken, GetTokensFromRefreshToken) is one of
    /// this client's live secrets; any will do for a client without one. Compared in constant
    /// time.
    pub fn secret_matches(&self, sent: Option<&str>) -> bool {
        if !self.has_secret() {
            return true;
        }
        let Some(sent) = sent else {
            return false;
        };
        self.live_secrets().any(|secret| {
            aws_lc_rs::constant_time::verify_slices_are_equal(secret.as_bytes(), sent.as_bytes())
                .is_ok()
        })
    }

    /// Whether the client is confidential: it has a secret that callers must prove.
    pub fn has_secret(&self) -> bool {
        self.live_secrets().next().is_some()
    }

    /// Every secret the client accepts now.
    pub fn live_secrets(&self) -> impl Iterator<Item = &Zeroizing<String>> {
        self.secrets
            .iter()
            .map(|secret| &secret.value)
            .chain(self.secret.iter())
    }

    /// Whether a flow is allowed, accepting both the `ALLOW_` names and the legacy ones.
    pub fn allows(&self, flow: AuthFlow) -> bool {
        let legacy = flow.legacy_name();
        self.explicit_auth_flows
            .iter()
            .any(|allowed| allowed == flow.allow_name() || Some(allowed.as_str()) == legacy)
            // Refresh is always possible for clients configured with only legacy names.
            || (flow.is_refresh()
                && !self.explicit_auth_flows.iter().any(|f| f.starts_with("ALLOW_")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    ForceChangePassword,
    ResetRequired,
}

impl UserStatus {
    pub fn name(self) -> &'static str {
        match self {
            Self::Unconfirmed => "UNCONFIRMED",
            Self::Confirmed => "CONFIRMED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            Self::ResetRequired => "RESET_REQUIRED",
        }
    }
}

/// A code the pool "sent". Only the newest of its purpose counts; older ones answer as expired.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IssuedCode {
    pub code: Zeroizing<String>,
    pub expires: SystemTime,
    /// What the code is for: a code is never accepted for another purpose. Codes stored before
    /// codes had purposes were all sign-up confirmations.
    #[serde(default)]
    pub purpose: CodePurpose,
}

/// What a code confirms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodePurpose {
    /// The sign-up (ConfirmSignUp).
    #[default]
    SignUp,
    /// A new password (ConfirmForgotPassword).
    PasswordReset,
    /// The email address (VerifyUserAttribute).
    EmailVerification,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SoftwareToken {
    /// Associated but not yet verified: replaced by each AssociateSoftwareToken.
    pub pending_secret: Option<Zeroizing<String>>,
    /// Verified: answers SOFTWARE_TOKEN_MFA.
    pub secret: Option<Zeroizing<String>>,
    /// The newest TOTP step accepted, so no code is accepted twice.
    pub last_used_step: Option<i64>,
    pub friendly_name: Option<String>,
    /// What SetUserMFAPreference last said of TOTP; never said, a verified secret is enabled
    /// and preferred.
    #[serde(default)]
    pub preference: Option<TotpPreference>,
}

/// A user's TOTP preference, as SetUserMFAPreference sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpPreference {
    pub enabled: bool,
    pub preferred: bool,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct User {
    /// The internal username: as signed up (or the sub, in email-as-username pools).
    pub username: String,
    pub sub: String,
    /// In order of first setting, `sub` first.
    pub attributes: Vec<(String, String)>,
    #[serde(with = "verifier")]
    pub verifier: PasswordVerifier,
    pub status: UserStatus,
    pub enabled: bool,
    pub created: SystemTime,
    pub modified: SystemTime,
    /// Newest last.
    pub codes: Vec<IssuedCode>,
    /// Wrong confirmation codes in a row, across codes: sending a new code does not reset it.
    pub failed_codes: u32,
    /// Confirming is refused until then, right code or not.
    #[serde(default)]
    pub codes_locked_until: Option<SystemTime>,
    /// When the codes of the last hour were sent, oldest first: resending is limited by it.
    #[serde(default)]
    pub codes_sent_at: Vec<SystemTime>,
    pub software_token: SoftwareToken,
    pub device_group_key: String,
    pub failed_passwords: u32,
    pub locked_until: Option<SystemTime>,
    /// Wrong MFA codes in a row, across sessions: a correct password does not reset it.
    pub failed_mfa: u32,
    pub mfa_locked_until: Option<SystemTime>,
    pub temporary_password_expires: Option<SystemTime>,
    /// A new email waiting to be verified before it replaces the current one, in pools whose
    /// UserAttributeUpdateSettings require it.
    #[serde(default)]
    pub pending_email: Option<String>,
    /// Sign-ins whose tokens were revoked (RevokeToken, GlobalSignOut), by `origin_jti`, until
    /// the last token they issued would have expired.
    #[serde(default)]
    pub revoked_sign_ins: Vec<RevokedSignIn>,
    /// GlobalSignOut: every token issued before this second (`iat`) is refused.
    #[serde(default)]
    pub signed_out_before: Option<i64>,
    /// AdminDisableProviderForUser with ProviderName Cognito: the user may no longer sign in
    /// with its password (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_SRP_AUTH).
    #[serde(default)]
    pub password_sign_in_disabled: bool,
    /// The names of the groups the user is in (AdminAddUserToGroup): stored with the user, so
    /// that its groups are read without looking at any other group or user.
    #[serde(default)]
    pub groups: BTreeSet<String>,
    /// The legacy SMS MFA options of AdminSetUserSettings and SetUserSettings, as set.
    #[serde(default)]
    pub mfa_options: Vec<MfaOption>,
}

/// `MFAOptionType`: a legacy SMS MFA option (AdminSetUserSettings, SetUserSettings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaOption {
    pub delivery_medium: String,
    pub attribute_name: String,
}

/// A user pool group (CreateGroup). Its members are the users whose `groups` name it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub description: Option<String>,
    /// Lower goes first in `cognito:groups` and wins `cognito:preferred_role`; none goes last.
    pub precedence: Option<u32>,
    pub role_arn: Option<String>,
    pub created: SystemTime,
    pub modified: SystemTime,
}

/// A sign-in whose tokens are refused, by its `origin_jti`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedSignIn {
    pub origin_jti: String,
    /// After this, every token of the sign-in has expired anyway and the entry can go.
    pub until: SystemTime,
}

impl User {
    /// Whether a token of this user with these claims was revoked: its sign-in by RevokeToken
    /// or GlobalSignOut, or issued before a GlobalSignOut.
    pub fn revoked(&self, origin_jti: Option<&str>, issued_at: Option<&serde_json::Value>) -> bool {
        let issued_at = issued_at.and_then(serde_json::Value::as_i64).unwrap_or(0);
        self.signed_out_before
            .is_some_and(|before| issued_at < before)
            || origin_jti.is_some_and(|origin| {
                self.revoked_sign_ins
                    .iter()
                    .any(|revoked| revoked.origin_jti == origin)
            })
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn set_attribute(&mut self, name: &str, value: &str) {
        match self.attributes.iter_mut().find(|(key, _)| key == name) {
            Some(entry) => entry.1 = value.to_owned(),
            None => self.attributes.push((name.to_owned(), value.to_owned())),
        }
    }

    pub fn has_software_token(&self) -> bool {
        self.software_token.secret.is_some()
    }

    /// Whether TOTP is one of the user's MFA methods: a verified secret not disabled by
    /// SetUserMFAPreference. Where MFA is optional, only these users are asked for a code.
    pub fn software_token_mfa_enabled(&self) -> bool {
        self.has_software_token() && self.software_token.preference.is_none_or(|p| p.enabled)
    }

    /// Whether TOTP is the user's preferred MFA method.
    pub fn software_token_mfa_preferred(&self) -> bool {
        self.software_token_mfa_enabled()
            && self.software_token.preference.is_none_or(|p| p.preferred)
    }

    /// A confirmed user with a throwaway verifier, for unit tests.
    #[cfg(test)]
    pub(crate) fn for_test(username: &str, attributes: &[(&str, &str)]) -> Self {
        let identity = cognito_srp::Identity::user("us-east-1_Test12345", username).unwrap();
        Self {
            username: username.to_owned(),
            sub: format!("sub-of-{username}"),
            attributes: attributes
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            verifier: PasswordVerifier::derive(&identity, "x", &[1]),
            status: UserStatus::Confirmed,
            enabled: true,
            created: SystemTime::UNIX_EPOCH,
            modified: SystemTime::UNIX_EPOCH,
            codes: Vec::new(),
            failed_codes: 0,
            codes_locked_until: None,
            codes_sent_at: Vec::new(),
            software_token: SoftwareToken::default(),
            device_group_key: String::new(),
            failed_passwords: 0,
            locked_until: None,
            failed_mfa: 0,
            mfa_locked_until: None,
            temporary_password_expires: None,
            pending_email: None,
            revoked_sign_ins: Vec::new(),
            signed_out_before: None,
            password_sign_in_disabled: false,
            groups: BTreeSet::new(),
            mfa_options: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Device {
    pub key: String,
    pub username: String,
    #[serde(with = "optional_verifier")]
    pub verifier: Option<PasswordVerifier>,
    pub remembered: bool,
    pub name: Option<String>,
    pub created: SystemTime,
    pub modified: SystemTime,
    pub last_authenticated: SystemTime,
}

impl Owned for Device {
    fn owner(&self) -> &str {
        &self.username
    }
}

impl Owned for RefreshGrant {
    fn owner(&self) -> &str {
        &self.username
    }
}

impl Device {
    /// A device first seen at a sign-in: not confirmed (no verifier) and not remembered.
    pub fn new(key: &str, username: &str, now: SystemTime) -> Self {
        Self {
            key: key.to_owned(),
            username: username.to_owned(),
            verifier: None,
            remembered: false,
            name: None,
            created: now,
            modified: now,
            last_authenticated: now,
        }
    }
}

/// What the service sent with a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge.
#[derive(Debug)]
pub struct SrpSent {
    pub server: Box<SrpServer>,
    pub srp_a: String,
    pub secret_block: String,
}

/// Where a sign-in stands between two requests.
#[derive(Debug)]
pub enum Challenge {
    /// USER_SRP_AUTH answered with SRP_B; waiting for the password claim.
    PasswordVerifier(SrpSent),
    /// The user must set a new password.
    NewPasswordRequired,
    /// The user must enrol a TOTP authenticator (AssociateSoftwareToken next).
    MfaSetup,
    /// AssociateSoftwareToken done; VerifySoftwareToken next.
    MfaSetupAssociated,
    /// VerifySoftwareToken done; RespondToAuthChallenge MFA_SETUP next.
    MfaSetupVerified,
    SoftwareTokenMfa,
    /// A remembered device must prove itself (SRP_A next).
    DeviceSrpAuth,
    DevicePasswordVerifier(SrpSent),
}

impl Challenge {
    pub fn name(&self) -> ChallengeName {
        match self {
            Self::PasswordVerifier(_) => ChallengeName::PasswordVerifier,
            Self::NewPasswordRequired => ChallengeName::NewPasswordRequired,
            Self::MfaSetup | Self::MfaSetupAssociated | Self::MfaSetupVerified => {
                ChallengeName::MfaSetup
            }
            Self::SoftwareTokenMfa => ChallengeName::SoftwareTokenMfa,
            Self::DeviceSrpAuth => ChallengeName::DeviceSrpAuth,
            Self::DevicePasswordVerifier(_) => ChallengeName::DevicePasswordVerifier,
        }
    }
}

#[derive(Debug)]
pub struct AuthSession {
    pub username: String,
    /// Whose sign-in this is: a user deleted and signed up again under the same name is another.
    pub sub: String,
    pub client_id: String,
    pub expires: SystemTime,
    pub challenge: Challenge,
    /// The DEVICE_KEY this sign-in presented, once known to be the user's.
    pub device_key: Option<String>,
    pub wrong_answers: u32,
    /// When the password was proven: the `auth_time` of the tokens.
    pub authenticated_at: SystemTime,
    /// What the sign-in ends in: tokens (the API) or a signed-in browser (managed login).
    pub purpose: SignInPurpose,
}

/// What a sign-in is for. The steps are the same; only the last one differs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SignInPurpose {
    /// InitiateAuth and its kin: the last step issues tokens.
    #[default]
    Tokens,
    /// The hosted pages: the last step says who signed in, and the pages issue a code.
    ManagedLogin,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshGrant {
    pub username: String,
    pub client_id: String,
    pub device_key: Option<String>,
    pub origin_jti: String,
    pub auth_time: i64,
    pub expires: SystemTime,
    /// RevokeToken or GlobalSignOut: kept until it expires, so it is refused as revoked.
    #[serde(default)]
    pub revoked: bool,
    /// The scopes of the OAuth 2.0 grant it came from (managed login), which every refresh
    /// keeps; `None` for an API sign-in's (`aws.cognito.signin.user.admin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
}

/// The keys that sign a pool's tokens: one for ID tokens, one for access tokens.
#[derive(Debug, Serialize, Deserialize)]
pub struct PoolKeys {
    pub id: SigningKey,
    pub access: SigningKey,
}

/// Everything of a pool that changes, behind one lock. What is tracked is written to the data
/// directory when the lock is released; sessions and the indexes are not kept.
#[derive(Debug)]
pub struct PoolState {
    pub settings: Tracked<PoolSettings>,
    pub clients: TrackedMap<AppClient>,
    /// Keyed by the internal username, folded to lower case in case-insensitive pools.
    pub users: TrackedMap<User>,
    /// Indexed by owner: a user's devices are found without looking at anyone else's.
    pub devices: OwnedMap<Device>,
    pub sessions: HashMap<String, AuthSession>,
    /// Indexed by owner, like the devices.
    pub refresh_grants: OwnedMap<RefreshGrant>,
    /// SetUICustomization's, by client id (`ALL` for the pool's own).
    pub ui_customizations: TrackedMap<UiCustomization>,
    /// By group name.
    pub groups: TrackedMap<Group>,
    /// Group name -> the keys of its members: follows from the users' `groups`, kept by
    /// membership changes and rebuilt at start-up, so a group's members are found without
    /// looking at every user.
    pub group_members: HashMap<String, BTreeSet<String>>,
    /// CreateUserImportJob's jobs, by job id.
    pub import_jobs: TrackedMap<super::import::ImportJob>,
    /// Risk configurations, log delivery and session configurations (see `security`).
    pub security_settings: TrackedMap<super::security::SecuritySetting>,
    /// Authentication events and token sessions, by the user's `sub`.
    pub user_activity: TrackedMap<super::security::UserActivity>,
    /// `sub` -> user key.
    pub subs: HashMap<String, String>,
    /// Lower-cased email -> user key, for pools where email signs in (username or verified alias).
    pub emails: HashMap<String, String>,
    /// User key -> the folded email `emails` has for it: taking a user's email out of the
    /// look-up never needs to look at anyone else's.
    pub email_of: HashMap<String, String>,
    /// How many refresh grants were left by the last purge of expired ones.
    pub grants_after_purge: usize,
    /// `sub` -> judgements of the user's passwords and claims under way (see `lockout`).
    pub checks_in_flight: HashMap<String, u32>,
    /// Replicas, point-in-time recoveries and CIMD policies ([`super::platform`]).
    pub platform: super::platform::PlatformState,
    /// Identity providers, linked identities, resource servers, domains, the SAML signing
    /// certificate ([`super::federation`]).
    pub federation: super::federation::Federation,
    /// Authorization codes awaiting exchange ([`super::oauth`]); not stored.
    pub oauth: super::oauth::OAuthState,
    /// Managed-login sessions and sign-ins under way on the hosted pages ([`super::login`]).
    pub login: super::login::LoginState,
    /// Managed-login branding styles and terms documents of the app clients ([`super::branding`]).
    pub branding: super::branding::BrandingState,
}
