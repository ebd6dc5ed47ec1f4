// SPDX-License-Identifier: Apache-2.0
//! Codes: sending them (sign-up confirmations, password resets, email verifications, all
//! within one quota), checking them (each only for its purpose, with a lockout across codes),
//! and where they "went".

use std::time::{Duration, SystemTime};

use serde::Serialize;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::new_user::looks_like_email;
use crate::crypto::random;
use crate::outbox::{Message, mask_email};
use crate::service::clock::epoch_seconds;
use crate::service::lockout;
use crate::service::model::{CodePurpose, IssuedCode, PoolSettings, PoolState, User};
use crate::service::{Pool, Service, ServiceError, ServiceResult};

const CODE_VALIDITY: Duration = Duration::from_secs(24 * 3600);
/// Codes sent to one user (of any purpose: at sign-up, by resends, for password resets and
/// email verifications) within any hour; a code past that is refused. Someone waiting for an email never needs a sixth, and a flood of codes buys an
/// attacker nothing: wrong codes count across codes (see `check_confirmation_code`).
const CODES_PER_HOUR: usize = 5;
const CODE_SEND_WINDOW: Duration = Duration::from_secs(3600);
/// Superseded codes remembered per purpose, so they answer "expired" rather than "mismatch".
const REMEMBERED_CODES: usize = 5;

/// `CodeDeliveryDetailsType`: where a code was sent, as SignUp and ResendConfirmationCode say.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryDetailsType {
    /// The address, masked.
    pub destination: String,
    pub delivery_medium: &'static str,
    pub attribute_name: &'static str,
}

impl Service {
    /// Issues a new confirmation code to a user's email, if the pool verifies email.
    pub(super) fn send_confirmation_code(
        &self,
        state: &mut PoolState,
        key: &str,
        kind: &str,
        now: SystemTime,
    ) -> Option<CodeDeliveryDetailsType> {
        if !verifies_email(&state.settings) {
            return None;
        }
        let pool_id = state.settings.id.clone();
        let user = state.users.get_mut(key)?;
        let email = user.attribute("email")?.to_owned();
        let sent = CodeToSend {
            purpose: CodePurpose::SignUp,
            kind,
            email: &email,
        };
        Some(self.send_code(&pool_id, user, &sent, now))
    }

    /// Issues a new code of a purpose to an email address, the newest of its purpose, and
    /// counts it against the quota (which the caller checks first: see `check_code_quota`).
    pub(super) fn send_code(
        &self,
        pool_id: &str,
        user: &mut User,
        sent: &CodeToSend<'_>,
        now: SystemTime,
    ) -> CodeDeliveryDetailsType {
        let code = Zeroizing::new(random::from_alphabet(random::DIGITS, 6));
        user.codes.push(IssuedCode {
            code: code.clone(),
            expires: now + CODE_VALIDITY,
            purpose: sent.purpose,
        });
        let of_purpose = |issued: &IssuedCode| issued.purpose == sent.purpose;
        if user.codes.iter().filter(|c| of_purpose(c)).count() > REMEMBERED_CODES
            && let Some(oldest) = user.codes.iter().position(of_purpose)
        {
            user.codes.remove(oldest);
        }
        record_code_sent(user, now);
        self.outbox.send(Message {
            user_pool_id: pool_id.to_owned(),
            username: user.username.clone(),
            destination: sent.email.to_owned(),
            code: code.to_string(),
            kind: sent.kind.to_owned(),
            sent_at: epoch_seconds(now),
        });
        email_delivery(&mask_email(sent.email))
    }
}

/// A code about to be sent: what it is for, the operation that sends it (the outbox's `kind`)
/// and the address it goes to.
pub(super) struct CodeToSend<'a> {
    pub(super) purpose: CodePurpose,
    pub(super) kind: &'a str,
    pub(super) email: &'a str,
}

/// A sign-up confirmation code, checked as [`check_code`] checks any.
pub(super) fn check_confirmation_code(
    user: &mut User,
    code: &str,
    now: SystemTime,
) -> ServiceResult<()> {
    check_code(user, CodePurpose::SignUp, code, now)
}

/// Only the newest code of the purpose confirms; a superseded or expired one is "expired";
/// anything else, a code of another purpose too, is a mismatch. Every comparison is
/// constant-time. Mismatches count per user across codes and purposes, as wrong TOTP codes do:
/// from the fifth in a row, checking codes is locked for 1 s, then 2 s, 4 s, ... up to 15
/// minutes, and a new code does not lift it, so resending buys no guesses.
pub(super) fn check_code(
    user: &mut User,
    purpose: CodePurpose,
    code: &str,
    now: SystemTime,
) -> ServiceResult<()> {
    if user.codes_locked_until.is_some_and(|until| until > now) {
        return Err(attempt_limit_exceeded());
    }
    if is_newest_code(user, purpose, code, now) {
        return Ok(());
    }
    if user
        .codes
        .iter()
        .any(|issued| issued.purpose == purpose && equals(issued, code))
    {
        return Err(expired_code());
    }
    user.failed_codes = user.failed_codes.saturating_add(1);
    user.codes_locked_until = lockout::lockout(user.failed_codes, now);
    Err(code_mismatch())
}

/// Whether `code` is the newest code of the purpose, and unexpired. Counts nothing: for
/// checking again that a code [`check_code`] accepted was not used up meanwhile.
pub(super) fn is_newest_code(
    user: &User,
    purpose: CodePurpose,
    code: &str,
    now: SystemTime,
) -> bool {
    user.codes
        .iter()
        .rfind(|issued| issued.purpose == purpose)
        .is_some_and(|newest| equals(newest, code) && newest.expires > now)
}

fn equals(issued: &IssuedCode, code: &str) -> bool {
    bool::from(issued.code.as_bytes().ct_eq(code.as_bytes()))
}

/// Whether the user was sent a code of the purpose that is still remembered.
pub(super) fn has_code(user: &User, purpose: CodePurpose) -> bool {
    user.codes.iter().any(|issued| issued.purpose == purpose)
}

/// A code of the purpose was used: it and the older ones are gone, and the wrong guesses
/// before it are forgiven. The quota is not: the codes were sent.
pub(super) fn use_up_codes(user: &mut User, purpose: CodePurpose) {
    user.codes.retain(|issued| issued.purpose != purpose);
    user.failed_codes = 0;
    user.codes_locked_until = None;
}

/// The codes of the purpose sent so far no longer confirm (the address they went to is not
/// the one to verify any more): they answer "expired".
pub(super) fn expire_codes(user: &mut User, purpose: CodePurpose, now: SystemTime) {
    for issued in user.codes.iter_mut().filter(|c| c.purpose == purpose) {
        issued.expires = issued.expires.min(now);
    }
}

pub(super) fn verifies_email(settings: &PoolSettings) -> bool {
    settings
        .auto_verified_attributes
        .iter()
        .any(|a| a == "email")
}

pub(super) fn no_auto_verification() -> ServiceError {
    ServiceError::invalid_parameter(
        "Auto verification not turned on for this user pool, or the user has no email address.",
    )
}

pub(super) fn code_mismatch() -> ServiceError {
    ServiceError::new(
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
}

pub(super) fn expired_code() -> ServiceError {
    ServiceError::new(
        "ExpiredCodeException",
        "Invalid code provided, please request a code again.",
    )
}

fn attempt_limit_exceeded() -> ServiceError {
    ServiceError::new(
        "LimitExceededException",
        "Attempt limit exceeded, please try after some time.",
    )
}

/// CodeDeliveryDetails for a code sent by email to a masked address.
pub(super) fn email_delivery(masked_destination: &str) -> CodeDeliveryDetailsType {
    CodeDeliveryDetailsType {
        destination: masked_destination.to_owned(),
        delivery_medium: "EMAIL",
        attribute_name: "email",
    }
}

/// Where a code "went" for a user who does not exist: an address shaped like a real user's and
/// the same every time for the same name, as a real user's is, so asking twice tells nothing.
/// A name that is an email address is its own destination (as in pools that sign in with email);
/// for any other, the letters shown come from the pool's key, so nobody else can predict them.
pub(super) fn simulated_destination(pool: &Pool, user_key: &str) -> String {
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
pub(super) fn check_code_quota(user: &User, now: SystemTime) -> ServiceResult<()> {
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
pub(super) fn forget_codes(user: &mut User) {
    user.codes.clear();
    user.failed_codes = 0;
    user.codes_locked_until = None;
    user.codes_sent_at.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

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
                    purpose: CodePurpose::SignUp,
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
            purpose: CodePurpose::SignUp,
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
    fn a_code_is_accepted_only_for_its_purpose_and_the_newest_of_each_counts() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut user = User::for_test("cy", &[]);
        let issue = |user: &mut User, code: &str, purpose| {
            user.codes.push(IssuedCode {
                code: Zeroizing::new(code.to_owned()),
                expires: now + CODE_VALIDITY,
                purpose,
            });
        };
        issue(&mut user, "111111", CodePurpose::PasswordReset);
        issue(&mut user, "222222", CodePurpose::EmailVerification);
        let reset = CodePurpose::PasswordReset;
        assert_eq!(
            check_code(&mut user, reset, "222222", now),
            Err(code_mismatch())
        );
        assert_eq!(
            user.failed_codes, 1,
            "a code of another purpose is a wrong guess"
        );
        assert_eq!(
            check_code(&mut user, CodePurpose::SignUp, "111111", now),
            Err(code_mismatch())
        );
        assert_eq!(check_code(&mut user, reset, "111111", now), Ok(()));
        issue(&mut user, "333333", reset);
        assert_eq!(
            check_code(&mut user, reset, "111111", now),
            Err(expired_code())
        );
        use_up_codes(&mut user, reset);
        assert!(!has_code(&user, reset));
        assert!(has_code(&user, CodePurpose::EmailVerification));
        assert_eq!(user.failed_codes, 0);
    }

    #[test]
    fn expired_codes_answer_expired_and_only_five_per_purpose_are_remembered() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut user = User::for_test("di", &[]);
        user.codes.push(IssuedCode {
            code: Zeroizing::new("444444".to_owned()),
            expires: now + CODE_VALIDITY,
            purpose: CodePurpose::EmailVerification,
        });
        expire_codes(&mut user, CodePurpose::EmailVerification, now);
        assert_eq!(
            check_code(&mut user, CodePurpose::EmailVerification, "444444", now),
            Err(expired_code())
        );
        let service = crate::service::Service::new(
            String::new(),
            "us-east-1".to_owned(),
            std::sync::Arc::new(crate::service::ManualClock::new()),
        );
        for _ in 0..7 {
            let sent = CodeToSend {
                purpose: CodePurpose::PasswordReset,
                kind: "ForgotPassword",
                email: "di@example.com",
            };
            service.send_code("pool", &mut user, &sent, now);
        }
        let resets = user
            .codes
            .iter()
            .filter(|c| c.purpose == CodePurpose::PasswordReset)
            .count();
        assert_eq!(resets, REMEMBERED_CODES);
        assert!(
            has_code(&user, CodePurpose::EmailVerification),
            "other purposes are kept"
        );
    }

    #[test]
    fn a_code_stored_before_codes_had_purposes_is_a_sign_up_code() {
        let stored = serde_json::json!({"code": "123456", "expires": SystemTime::UNIX_EPOCH});
        let code: IssuedCode = serde_json::from_value(stored).unwrap();
        assert_eq!(code.purpose, CodePurpose::SignUp);
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
}
