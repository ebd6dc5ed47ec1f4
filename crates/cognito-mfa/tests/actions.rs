// SPDX-License-Identifier: Apache-2.0
//! Each action against a mocked SDK (aws-smithy-mocks): what it sends, what it returns, and
//! that its errors keep the service's code and message.

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::ErrorMetadata;
use aws_sdk_cognitoidentityprovider::operation::admin_get_user::{
    AdminGetUserError, AdminGetUserOutput,
};
use aws_sdk_cognitoidentityprovider::operation::admin_initiate_auth::{
    AdminInitiateAuthError, AdminInitiateAuthOutput,
};
use aws_sdk_cognitoidentityprovider::operation::admin_respond_to_auth_challenge::{
    AdminRespondToAuthChallengeError, AdminRespondToAuthChallengeOutput,
};
use aws_sdk_cognitoidentityprovider::operation::associate_software_token::{
    AssociateSoftwareTokenError, AssociateSoftwareTokenOutput,
};
use aws_sdk_cognitoidentityprovider::operation::confirm_device::{
    ConfirmDeviceError, ConfirmDeviceOutput,
};
use aws_sdk_cognitoidentityprovider::operation::confirm_sign_up::{
    ConfirmSignUpError, ConfirmSignUpOutput,
};
use aws_sdk_cognitoidentityprovider::operation::initiate_auth::{
    InitiateAuthError, InitiateAuthOutput,
};
use aws_sdk_cognitoidentityprovider::operation::list_users::{ListUsersError, ListUsersOutput};
use aws_sdk_cognitoidentityprovider::operation::resend_confirmation_code::{
    ResendConfirmationCodeError, ResendConfirmationCodeOutput,
};
use aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::{
    RespondToAuthChallengeError, RespondToAuthChallengeOutput,
};
use aws_sdk_cognitoidentityprovider::operation::sign_up::{SignUpError, SignUpOutput};
use aws_sdk_cognitoidentityprovider::operation::verify_software_token::{
    VerifySoftwareTokenError, VerifySoftwareTokenOutput,
};
use aws_sdk_cognitoidentityprovider::types::error::{
    CodeMismatchException, DeviceKeyExistsException, EnableSoftwareTokenMfaException,
    ExpiredCodeException, InvalidParameterException, InvalidPasswordException,
    NotAuthorizedException, ResourceNotFoundException, UserNotFoundException,
    UsernameExistsException,
};
use aws_sdk_cognitoidentityprovider::types::{
    AuthenticationResultType, ChallengeNameType, CodeDeliveryDetailsType, DeliveryMediumType,
    NewDeviceMetadataType, UserStatusType, UserType, VerifySoftwareTokenResponseType,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use cognito_mfa::actions::{ActionError, CognitoActions, Exception, FailureKind, PoolClient};
use cognito_srp::{PasswordClaim, secret_hash};

const POOL: &str = "us-east-1_AbC123xyZ";
const CLIENT: &str = "2ud4kvvd1qpbhmigelpvpp1qvm";
const SECRET: &str = "s3cr3t-s3cr3t-s3cr3t-s3cr3t";

/// A modeled service error as the SDK's deserializer makes it: code and message in its metadata.
macro_rules! modeled {
    ($kind:ident, $message:expr) => {
        $kind::builder()
            .message($message)
            .meta(
                ErrorMetadata::builder()
                    .code(stringify!($kind))
                    .message($message)
                    .build(),
            )
            .build()
    };
}

fn actions(rules: &[&Rule], secret: Option<&str>) -> CognitoActions {
    let client: Client = mock_client!(aws_sdk_cognitoidentityprovider, RuleMode::MatchAny, rules);
    CognitoActions::new(
        client,
        PoolClient {
            user_pool_id: POOL.to_owned(),
            client_id: CLIENT.to_owned(),
            client_secret: secret.map(str::to_owned),
        },
    )
}

fn assert_service_error(error: ActionError, action: &str, code: &str, message: &str) {
    assert_eq!(error.action, action);
    assert_eq!(error.kind, FailureKind::Service);
    assert_eq!(error.code.as_deref(), Some(code));
    assert_eq!(error.message, message);
}

#[tokio::test]
async fn sign_up_sends_the_email_and_a_secret_hash_and_reports_refusals() {
    let ok = mock!(Client::sign_up)
        .match_requests(|r| {
            r.client_id() == Some(CLIENT)
                && r.username() == Some("jane")
                && r.password() == Some("Passw0rd!")
                && r.user_attributes()[0].name() == "email"
                && r.user_attributes()[0].value() == Some("jane@example.com")
                && r.secret_hash() == Some(secret_hash::compute(SECRET, "jane", CLIENT).as_str())
        })
        .then_output(|| {
            SignUpOutput::builder()
                .user_confirmed(false)
                .user_sub("sub-1")
                .code_delivery_details(
                    CodeDeliveryDetailsType::builder()
                        .destination("j***@e***.com")
                        .delivery_medium(DeliveryMediumType::Email)
                        .build(),
                )
                .build()
                .unwrap()
        });
    let taken = mock!(Client::sign_up)
        .match_requests(|r| r.username() == Some("taken"))
        .then_error(|| {
            SignUpError::UsernameExistsException(modeled!(
                UsernameExistsException,
                "User already exists"
            ))
        });
    let weak = mock!(Client::sign_up)
        .match_requests(|r| r.password() == Some("weak"))
        .then_error(|| {
            SignUpError::InvalidPasswordException(modeled!(
                InvalidPasswordException,
                "Password did not conform with policy: Password not long enough"
            ))
        });
    let actions = actions(&[&ok, &taken, &weak], Some(SECRET));
    let output = actions
        .sign_up("jane", "Passw0rd!", "jane@example.com")
        .await
        .unwrap();
    assert_eq!(output.user_sub, "sub-1");
    assert_service_error(
        actions
            .sign_up("taken", "Passw0rd!", "t@example.com")
            .await
            .unwrap_err(),
        "SignUp",
        "UsernameExistsException",
        "User already exists",
    );
    assert_service_error(
        actions
            .sign_up("weakling", "weak", "w@example.com")
            .await
            .unwrap_err(),
        "SignUp",
        "InvalidPasswordException",
        "Password did not conform with policy: Password not long enough",
    );
}

#[tokio::test]
async fn admin_get_user_returns_the_status_or_user_not_found() {
    let found = mock!(Client::admin_get_user)
        .match_requests(|r| r.user_pool_id() == Some(POOL) && r.username() == Some("jane"))
        .then_output(|| {
            AdminGetUserOutput::builder()
                .username("jane")
                .user_status(UserStatusType::Unconfirmed)
                .enabled(true)
                .build()
                .unwrap()
        });
    let missing = mock!(Client::admin_get_user)
        .match_requests(|r| r.username() == Some("ghost"))
        .then_error(|| {
            AdminGetUserError::UserNotFoundException(modeled!(
                UserNotFoundException,
                "User does not exist."
            ))
        });
    let actions = actions(&[&found, &missing], None);
    let user = actions.admin_get_user("jane").await.unwrap();
    assert_eq!(user.user_status, Some(UserStatusType::Unconfirmed));
    assert_service_error(
        actions.admin_get_user("ghost").await.unwrap_err(),
        "AdminGetUser",
        "UserNotFoundException",
        "User does not exist.",
    );
}

#[tokio::test]
async fn resend_confirmation_code_reports_the_destination_or_an_already_confirmed_user() {
    let sent = mock!(Client::resend_confirmation_code)
        .match_requests(|r| r.username() == Some("jane") && r.secret_hash().is_none())
        .then_output(|| {
            ResendConfirmationCodeOutput::builder()
                .code_delivery_details(
                    CodeDeliveryDetailsType::builder()
                        .destination("j***@e***.com")
                        .build(),
                )
                .build()
        });
    let confirmed = mock!(Client::resend_confirmation_code)
        .match_requests(|r| r.username() == Some("done"))
        .then_error(|| {
            ResendConfirmationCodeError::InvalidParameterException(modeled!(
                InvalidParameterException,
                "User is already confirmed."
            ))
        });
    let actions = actions(&[&sent, &confirmed], None);
    let output = actions.resend_confirmation_code("jane").await.unwrap();
    assert_eq!(
        output.code_delivery_details.unwrap().destination.as_deref(),
        Some("j***@e***.com")
    );
    assert_service_error(
        actions.resend_confirmation_code("done").await.unwrap_err(),
        "ResendConfirmationCode",
        "InvalidParameterException",
        "User is already confirmed.",
    );
}

#[tokio::test]
async fn confirm_sign_up_passes_the_code_and_reports_wrong_and_expired_ones() {
    let ok = mock!(Client::confirm_sign_up)
        .match_requests(|r| r.username() == Some("jane") && r.confirmation_code() == Some("123456"))
        .then_output(|| ConfirmSignUpOutput::builder().build());
    let wrong = mock!(Client::confirm_sign_up)
        .match_requests(|r| r.confirmation_code() == Some("000000"))
        .then_error(|| {
            ConfirmSignUpError::CodeMismatchException(modeled!(
                CodeMismatchException,
                "Invalid verification code provided, please try again."
            ))
        });
    let old = mock!(Client::confirm_sign_up)
        .match_requests(|r| r.confirmation_code() == Some("111111"))
        .then_error(|| {
            ConfirmSignUpError::ExpiredCodeException(modeled!(
                ExpiredCodeException,
                "Invalid code provided, please request a code again."
            ))
        });
    let actions = actions(&[&ok, &wrong, &old], None);
    actions.confirm_sign_up("jane", "123456").await.unwrap();
    assert!(
        actions
            .confirm_sign_up("jane", "000000")
            .await
            .unwrap_err()
            .is(Exception::CodeMismatch)
    );
    assert!(
        actions
            .confirm_sign_up("jane", "111111")
            .await
            .unwrap_err()
            .is(Exception::ExpiredCode)
    );
}

#[tokio::test]
async fn list_users_passes_the_filter() {
    let listed = mock!(Client::list_users)
        .match_requests(|r| {
            r.user_pool_id() == Some(POOL) && r.filter() == Some("username = \"jane\"")
        })
        .then_output(|| {
            ListUsersOutput::builder()
                .users(
                    UserType::builder()
                        .username("jane")
                        .user_status(UserStatusType::Confirmed)
                        .build(),
                )
                .build()
        });
    let missing_pool = mock!(Client::list_users)
        .match_requests(|r| r.filter().is_none())
        .then_error(|| {
            ListUsersError::ResourceNotFoundException(modeled!(
                ResourceNotFoundException,
                "User pool does not exist."
            ))
        });
    let actions = actions(&[&listed, &missing_pool], None);
    let users = actions
        .list_users(Some("username = \"jane\""))
        .await
        .unwrap();
    assert_eq!(users.users()[0].username(), Some("jane"));
    assert!(
        actions
            .list_users(None)
            .await
            .unwrap_err()
            .is(Exception::ResourceNotFound)
    );
}

#[tokio::test]
async fn admin_initiate_auth_uses_the_admin_password_flow_and_meets_challenges() {
    let challenge = mock!(Client::admin_initiate_auth)
        .match_requests(|r| {
            let parameters = r.auth_parameters().unwrap();
            r.auth_flow().map(|f| f.as_str()) == Some("ADMIN_USER_PASSWORD_AUTH")
                && parameters["USERNAME"] == "jane"
                && parameters["PASSWORD"] == "Passw0rd!"
                && parameters["SECRET_HASH"] == secret_hash::compute(SECRET, "jane", CLIENT)
        })
        .then_output(|| {
            AdminInitiateAuthOutput::builder()
                .challenge_name(ChallengeNameType::MfaSetup)
                .session("session-1-aaaaaaaaaaaaaaaa")
                .challenge_parameters("MFAS_CAN_SETUP", "[\"SOFTWARE_TOKEN_MFA\"]")
                .build()
        });
    let wrong = mock!(Client::admin_initiate_auth)
        .match_requests(|r| r.auth_parameters().unwrap()["PASSWORD"] == "wrong")
        .then_error(|| {
            AdminInitiateAuthError::NotAuthorizedException(modeled!(
                NotAuthorizedException,
                "Incorrect username or password."
            ))
        });
    let actions = actions(&[&challenge, &wrong], Some(SECRET));
    let started = actions
        .admin_initiate_auth("jane", "Passw0rd!")
        .await
        .unwrap();
    assert_eq!(started.challenge_name, Some(ChallengeNameType::MfaSetup));
    assert_service_error(
        actions
            .admin_initiate_auth("jane", "wrong")
            .await
            .unwrap_err(),
        "AdminInitiateAuth",
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
}

#[tokio::test]
async fn associate_and_verify_software_token_carry_the_session() {
    let associate = mock!(Client::associate_software_token)
        .match_requests(|r| r.session() == Some("session-1") && r.access_token().is_none())
        .then_output(|| {
            AssociateSoftwareTokenOutput::builder()
                .secret_code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
                .session("session-2")
                .build()
        });
    let expired = mock!(Client::associate_software_token)
        .match_requests(|r| r.session() == Some("old"))
        .then_error(|| {
            AssociateSoftwareTokenError::NotAuthorizedException(modeled!(
                NotAuthorizedException,
                "Invalid session for the user, session is expired."
            ))
        });
    let verify = mock!(Client::verify_software_token)
        .match_requests(|r| r.session() == Some("session-2") && r.user_code() == Some("123456"))
        .then_output(|| {
            VerifySoftwareTokenOutput::builder()
                .status(VerifySoftwareTokenResponseType::Success)
                .session("session-3")
                .build()
        });
    let mismatch = mock!(Client::verify_software_token)
        .match_requests(|r| r.user_code() == Some("000000"))
        .then_error(|| {
            VerifySoftwareTokenError::EnableSoftwareTokenMfaException(modeled!(
                EnableSoftwareTokenMfaException,
                "Code mismatch and fail enable Software Token MFA"
            ))
        });
    let actions = actions(&[&associate, &expired, &verify, &mismatch], None);
    let associated = actions.associate_software_token("session-1").await.unwrap();
    assert_eq!(associated.session.as_deref(), Some("session-2"));
    let error = actions.associate_software_token("old").await.unwrap_err();
    assert!(error.is(Exception::NotAuthorized));
    let verified = actions
        .verify_software_token("session-2", "123456")
        .await
        .unwrap();
    assert_eq!(verified.session.as_deref(), Some("session-3"));
    let error = actions
        .verify_software_token("session-2", "000000")
        .await
        .unwrap_err();
    assert_eq!(
        error.code.as_deref(),
        Some("EnableSoftwareTokenMfaException")
    );
    assert_eq!(
        error.message,
        "Code mismatch and fail enable Software Token MFA"
    );
}

#[tokio::test]
async fn admin_respond_to_auth_challenge_adds_the_secret_hash_of_the_username() {
    let tokens = mock!(Client::admin_respond_to_auth_challenge)
        .match_requests(|r| {
            let responses = r.challenge_responses().unwrap();
            r.challenge_name() == Some(&ChallengeNameType::SoftwareTokenMfa)
                && r.session() == Some("session-1")
                && responses["USERNAME"] == "jane"
                && responses["SOFTWARE_TOKEN_MFA_CODE"] == "123456"
                && responses["SECRET_HASH"] == secret_hash::compute(SECRET, "jane", CLIENT)
        })
        .then_output(|| {
            AdminRespondToAuthChallengeOutput::builder()
                .authentication_result(
                    AuthenticationResultType::builder()
                        .access_token("a")
                        .id_token("i")
                        .new_device_metadata(
                            NewDeviceMetadataType::builder()
                                .device_key("us-east-1_d")
                                .device_group_key("-g")
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
    let mismatch = mock!(Client::admin_respond_to_auth_challenge)
        .match_requests(|r| r.challenge_responses().unwrap()["SOFTWARE_TOKEN_MFA_CODE"] == "000000")
        .then_error(|| {
            AdminRespondToAuthChallengeError::CodeMismatchException(modeled!(
                CodeMismatchException,
                "Invalid code received for user"
            ))
        });
    let actions = actions(&[&tokens, &mismatch], Some(SECRET));
    let answered = actions
        .admin_respond_to_software_token_mfa("session-1", "jane", "123456")
        .await
        .unwrap();
    assert!(
        answered
            .authentication_result
            .unwrap()
            .new_device_metadata
            .is_some()
    );
    // The general method builds the same responses from pairs.
    assert!(
        actions
            .admin_respond_to_auth_challenge(
                ChallengeNameType::SoftwareTokenMfa,
                "session-1",
                &[("USERNAME", "jane"), ("SOFTWARE_TOKEN_MFA_CODE", "000000")],
            )
            .await
            .unwrap_err()
            .is(Exception::CodeMismatch)
    );
}

#[tokio::test]
async fn admin_respond_to_mfa_setup_names_the_challenge_and_the_user() {
    let setup = mock!(Client::admin_respond_to_auth_challenge)
        .match_requests(|r| {
            let responses = r.challenge_responses().unwrap();
            r.challenge_name() == Some(&ChallengeNameType::MfaSetup)
                && r.session() == Some("session-3")
                && responses.len() == 1
                && responses["USERNAME"] == "jane"
        })
        .then_output(|| {
            AdminRespondToAuthChallengeOutput::builder()
                .authentication_result(AuthenticationResultType::builder().id_token("i").build())
                .build()
        });
    let actions = actions(&[&setup], None);
    let answered = actions
        .admin_respond_to_mfa_setup("session-3", "jane")
        .await
        .unwrap();
    assert!(answered.authentication_result.is_some());
}

#[tokio::test]
async fn confirm_device_sends_the_verifier_config() {
    let remembered = mock!(Client::confirm_device)
        .match_requests(|r| {
            let config = r.device_secret_verifier_config().unwrap();
            r.access_token() == Some("access")
                && r.device_key() == Some("us-east-1_d")
                && config.password_verifier() == Some("verifier")
                && config.salt() == Some("salt")
                && r.device_name() == Some("laptop")
        })
        .then_output(|| {
            ConfirmDeviceOutput::builder()
                .user_confirmation_necessary(false)
                .build()
        });
    let twice = mock!(Client::confirm_device)
        .match_requests(|r| r.device_key() == Some("us-east-1_e"))
        .then_error(|| {
            ConfirmDeviceError::DeviceKeyExistsException(modeled!(
                DeviceKeyExistsException,
                "Device key already exists."
            ))
        });
    let actions = actions(&[&remembered, &twice], None);
    let output = actions
        .confirm_device("access", "us-east-1_d", "verifier", "salt", "laptop")
        .await
        .unwrap();
    assert!(!output.user_confirmation_necessary);
    assert!(
        actions
            .confirm_device("access", "us-east-1_e", "verifier", "salt", "laptop")
            .await
            .unwrap_err()
            .is(Exception::DeviceKeyExists)
    );
}

#[tokio::test]
async fn initiate_auth_presents_the_device_key() {
    let device = mock!(Client::initiate_auth)
        .match_requests(|r| {
            let parameters = r.auth_parameters().unwrap();
            r.auth_flow().map(|f| f.as_str()) == Some("USER_PASSWORD_AUTH")
                && parameters.get("DEVICE_KEY").map(String::as_str) == Some("us-east-1_d")
                && parameters["SECRET_HASH"] == secret_hash::compute(SECRET, "jane", CLIENT)
        })
        .then_output(|| {
            InitiateAuthOutput::builder()
                .challenge_name(ChallengeNameType::DeviceSrpAuth)
                .session("session-1")
                .build()
        });
    let forgotten = mock!(Client::initiate_auth)
        .match_requests(|r| {
            r.auth_parameters()
                .unwrap()
                .get("DEVICE_KEY")
                .map(String::as_str)
                == Some("us-east-1_gone")
        })
        .then_error(|| {
            InitiateAuthError::ResourceNotFoundException(modeled!(
                ResourceNotFoundException,
                "Device does not exist."
            ))
        });
    let no_device = mock!(Client::initiate_auth)
        .match_requests(|r| !r.auth_parameters().unwrap().contains_key("DEVICE_KEY"))
        .then_output(|| {
            InitiateAuthOutput::builder()
                .challenge_name(ChallengeNameType::SoftwareTokenMfa)
                .build()
        });
    let actions = actions(&[&device, &forgotten, &no_device], Some(SECRET));
    let started = actions
        .initiate_auth("jane", "Passw0rd!", Some("us-east-1_d"))
        .await
        .unwrap();
    assert_eq!(
        started.challenge_name,
        Some(ChallengeNameType::DeviceSrpAuth)
    );
    assert_service_error(
        actions
            .initiate_auth("jane", "Passw0rd!", Some("us-east-1_gone"))
            .await
            .unwrap_err(),
        "InitiateAuth",
        "ResourceNotFoundException",
        "Device does not exist.",
    );
    let without = actions
        .initiate_auth("jane", "Passw0rd!", None)
        .await
        .unwrap();
    assert_eq!(
        without.challenge_name,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );
}

#[tokio::test]
async fn respond_to_auth_challenge_answers_device_challenges() {
    let verifier = mock!(Client::respond_to_auth_challenge)
        .match_requests(|r| {
            let responses = r.challenge_responses().unwrap();
            r.challenge_name() == Some(&ChallengeNameType::DeviceSrpAuth)
                && responses["SRP_A"] == "abc"
                && responses["DEVICE_KEY"] == "us-east-1_d"
                && !responses.contains_key("SECRET_HASH")
        })
        .then_output(|| {
            RespondToAuthChallengeOutput::builder()
                .challenge_name(ChallengeNameType::DevicePasswordVerifier)
                .challenge_parameters("SRP_B", "def")
                .build()
        });
    let wrong = mock!(Client::respond_to_auth_challenge)
        .match_requests(|r| {
            let responses = r.challenge_responses().unwrap();
            r.challenge_name() == Some(&ChallengeNameType::DevicePasswordVerifier)
                && responses["USERNAME"] == "jane"
                && responses["DEVICE_KEY"] == "us-east-1_d"
                && responses["PASSWORD_CLAIM_SIGNATURE"] == "sig"
                && responses["PASSWORD_CLAIM_SECRET_BLOCK"] == "block"
                && responses["TIMESTAMP"] == "Tue Jan 2 03:04:05 UTC 2024"
        })
        .then_error(|| {
            RespondToAuthChallengeError::NotAuthorizedException(modeled!(
                NotAuthorizedException,
                "Incorrect username or password."
            ))
        });
    let actions = actions(&[&verifier, &wrong], None);
    let next = actions
        .respond_to_device_srp_auth("s", "jane", "us-east-1_d", "abc")
        .await
        .unwrap();
    assert_eq!(
        next.challenge_name,
        Some(ChallengeNameType::DevicePasswordVerifier)
    );
    let claim = PasswordClaim {
        signature: "sig".to_owned(),
        secret_block: "block".to_owned(),
        timestamp: "Tue Jan 2 03:04:05 UTC 2024".to_owned(),
    };
    assert_service_error(
        actions
            .respond_to_device_password_verifier("s", "jane", "us-east-1_d", &claim)
            .await
            .unwrap_err(),
        "RespondToAuthChallenge",
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
}

/// A client of a real (local) endpoint, with these credentials and no retries.
fn local_actions(
    endpoint: &str,
    credentials: impl aws_sdk_cognitoidentityprovider::config::ProvideCredentials + 'static,
) -> CognitoActions {
    use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
    use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(credentials)
        .retry_config(RetryConfig::disabled())
        .build();
    CognitoActions::new(
        Client::from_conf(config),
        PoolClient {
            user_pool_id: POOL.to_owned(),
            client_id: CLIENT.to_owned(),
            client_secret: None,
        },
    )
}

#[derive(Debug)]
struct NoCredentials;

impl aws_sdk_cognitoidentityprovider::config::ProvideCredentials for NoCredentials {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::ready(Err(
            aws_credential_types::provider::error::CredentialsError::not_loaded("none here"),
        ))
    }
}

fn test_credentials() -> aws_sdk_cognitoidentityprovider::config::Credentials {
    aws_sdk_cognitoidentityprovider::config::Credentials::new("a", "b", None, None, "tests")
}

/// No answer at all, no credentials, or an answer that is not Cognito's: told apart, in words.
#[tokio::test]
async fn failures_without_a_service_answer_say_why_in_words() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let error = local_actions(&url, test_credentials())
        .admin_get_user("jane")
        .await
        .unwrap_err();
    assert_eq!(error.kind, FailureKind::Unreachable, "{error}");
    assert!(!error.message.contains('{'), "a debug dump: {error}");

    let error = local_actions(&url, NoCredentials)
        .admin_get_user("jane")
        .await
        .unwrap_err();
    assert_eq!(error.kind, FailureKind::Credentials, "{error}");

    // An emulator without the action: an HTML error page.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0; 4096];
        let _ = socket.read(&mut request).await;
        let page = "<html>not implemented</html>";
        let answer = format!(
            "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/html\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{page}",
            page.len()
        );
        socket.write_all(answer.as_bytes()).await.unwrap();
    });
    let error = local_actions(&url, test_credentials())
        .confirm_device("access", "us-east-1_d", "verifier", "salt", "laptop")
        .await
        .unwrap_err();
    assert_eq!(error.kind, FailureKind::NotUnderstood, "{error}");
    assert_eq!(
        error.to_string(),
        "ConfirmDevice failed: the endpoint answered HTTP 500, not in Cognito's form"
    );
}
