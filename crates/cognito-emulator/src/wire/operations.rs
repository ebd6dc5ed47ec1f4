// SPDX-License-Identifier: Apache-2.0
//! Every operation the emulator answers: its input members, as the service model constrains
//! them, and the service call behind it.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::schema::{Field, Pattern, Shape, optional, required, text};
use crate::service::{Service, ServiceError, ServiceResult};

/// What a handler knows of the request beyond its body.
#[derive(Debug, Default)]
pub struct Context {
    /// The region of a SigV4 signature, when the request was signed.
    pub signed_region: Option<String>,
}

pub struct Operation {
    pub name: &'static str,
    pub input: &'static [Field],
    /// Runs SRP or RSA work: kept off the async workers.
    pub heavy: bool,
    pub handler: fn(&Service, Value, &Context) -> ServiceResult<Value>,
}

fn decode<T: DeserializeOwned>(body: Value) -> ServiceResult<T> {
    serde_json::from_value(body).map_err(|error| {
        ServiceError::new(
            "SerializationException",
            format!("Could not read the request: {error}"),
        )
    })
}

const CLIENT_ID: Shape = text(1, 128, Pattern::ClientId);
const SECRET_HASH: Shape = text(1, 128, Pattern::SecretHash);
const USERNAME: Shape = text(1, 128, Pattern::Visible);
const PASSWORD: Shape = text(0, 256, Pattern::NoSpace);
const USER_POOL_ID: Shape = text(1, 55, Pattern::UserPoolId);
const SESSION: Shape = text(20, 2048, Pattern::Any);
const TOKEN: Shape = text(1, 131_072, Pattern::Token);
const DEVICE_KEY: Shape = text(1, 55, Pattern::DeviceKey);
const NAME: Shape = text(1, 128, Pattern::Name);
const ATTRIBUTE: Shape = Shape::Structure(&[
    required("Name", text(1, 32, Pattern::Visible)),
    optional("Value", text(0, 2048, Pattern::Any)).secret(),
]);
const ATTRIBUTES: Shape = Shape::List(&ATTRIBUTE, 100);
const AUTH_FLOW: Shape = Shape::Enum(&[
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
]);
const CHALLENGE_NAME: Shape = Shape::Enum(&[
    "SMS_MFA",
    "EMAIL_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "WEB_AUTHN",
    "PASSWORD_SRP",
]);
const MFA: Shape = Shape::Enum(&["OFF", "ON", "OPTIONAL"]);
const VERIFIED_ATTRIBUTES: Shape = Shape::List(&Shape::Enum(&["phone_number", "email"]), 2);
const EXPLICIT_AUTH_FLOWS: Shape = Shape::List(
    &Shape::Enum(&[
        "ADMIN_NO_SRP_AUTH",
        "CUSTOM_AUTH_FLOW_ONLY",
        "USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_CUSTOM_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_AUTH",
    ]),
    9,
);
const TIME_UNIT: Shape = Shape::Enum(&["seconds", "minutes", "hours", "days"]);
const METADATA: Field = optional("ClientMetadata", Shape::TextMap);

const fn op(
    name: &'static str,
    input: &'static [Field],
    heavy: bool,
    handler: fn(&Service, Value, &Context) -> ServiceResult<Value>,
) -> Operation {
    Operation {
        name,
        input,
        heavy,
        handler,
    }
}

pub static OPERATIONS: &[Operation] = &[
    op(
        "CreateUserPool",
        &[
            required("PoolName", NAME),
            optional(
                "Policies",
                Shape::Structure(&[optional(
                    "PasswordPolicy",
                    Shape::Structure(&[
                        optional("MinimumLength", Shape::Integer { min: 6, max: 99 }),
                        optional("RequireUppercase", Shape::Boolean),
                        optional("RequireLowercase", Shape::Boolean),
                        optional("RequireNumbers", Shape::Boolean),
                        optional("RequireSymbols", Shape::Boolean),
                        optional(
                            "TemporaryPasswordValidityDays",
                            Shape::Integer { min: 0, max: 365 },
                        ),
                    ]),
                )]),
            ),
            optional("AutoVerifiedAttributes", VERIFIED_ATTRIBUTES),
            optional(
                "AliasAttributes",
                Shape::List(
                    &Shape::Enum(&["phone_number", "email", "preferred_username"]),
                    3,
                ),
            ),
            optional("UsernameAttributes", VERIFIED_ATTRIBUTES),
            optional("MfaConfiguration", MFA),
            optional(
                "DeviceConfiguration",
                Shape::Structure(&[
                    optional("ChallengeRequiredOnNewDevice", Shape::Boolean),
                    optional("DeviceOnlyRememberedOnUserPrompt", Shape::Boolean),
                ]),
            ),
            optional(
                "AdminCreateUserConfig",
                Shape::Structure(&[optional("AllowAdminCreateUserOnly", Shape::Boolean)]),
            ),
            optional(
                "Schema",
                Shape::List(
                    &Shape::Structure(&[
                        required("Name", text(1, 20, Pattern::Visible)),
                        optional(
                            "AttributeDataType",
                            Shape::Enum(&["String", "Number", "DateTime", "Boolean"]),
                        ),
                        optional("DeveloperOnlyAttribute", Shape::Boolean),
                        optional("Mutable", Shape::Boolean),
                        optional("Required", Shape::Boolean),
                        optional("StringAttributeConstraints", Shape::Anything),
                        optional("NumberAttributeConstraints", Shape::Anything),
                    ]),
                    50,
                ),
            ),
            optional(
                "UsernameConfiguration",
                Shape::Structure(&[required("CaseSensitive", Shape::Boolean)]),
            ),
            optional("EmailVerificationSubject", text(1, 140, Pattern::Any)),
            optional("EmailVerificationMessage", text(6, 20_000, Pattern::Any)),
            optional(
                "VerificationMessageTemplate",
                Shape::Structure(&[
                    optional("EmailMessage", text(6, 20_000, Pattern::Any)),
                    optional("EmailSubject", text(1, 140, Pattern::Any)),
                    optional(
                        "DefaultEmailOption",
                        Shape::Enum(&["CONFIRM_WITH_LINK", "CONFIRM_WITH_CODE"]),
                    ),
                    optional("SmsMessage", text(6, 140, Pattern::Any)),
                    optional("EmailMessageByLink", text(6, 20_000, Pattern::Any)),
                    optional("EmailSubjectByLink", text(1, 140, Pattern::Any)),
                ]),
            ),
            optional("DeletionProtection", Shape::Enum(&["ACTIVE", "INACTIVE"])),
            optional("UserPoolTier", Shape::Enum(&["LITE", "ESSENTIALS", "PLUS"])),
            optional("SmsConfiguration", Shape::Anything),
            optional("UserPoolTags", Shape::TextMap),
        ],
        true,
        |service, body, context| {
            service.create_user_pool(decode(body)?, context.signed_region.as_deref())
        },
    ),
    op(
        "DescribeUserPool",
        &[required("UserPoolId", USER_POOL_ID)],
        false,
        |s, b, _| s.describe_user_pool(decode(b)?),
    ),
    op(
        "DeleteUserPool",
        &[required("UserPoolId", USER_POOL_ID)],
        false,
        |s, b, _| s.delete_user_pool(decode(b)?),
    ),
    op(
        "ListUserPools",
        &[
            required("MaxResults", Shape::Integer { min: 1, max: 60 }),
            optional("NextToken", text(1, 131_072, Pattern::NoSpace)),
        ],
        false,
        |s, b, _| s.list_user_pools(decode(b)?),
    ),
    op(
        "SetUserPoolMfaConfig",
        &[
            required("UserPoolId", USER_POOL_ID),
            optional("MfaConfiguration", MFA),
            optional(
                "SoftwareTokenMfaConfiguration",
                Shape::Structure(&[optional("Enabled", Shape::Boolean)]),
            ),
            optional("SmsMfaConfiguration", Shape::Anything),
            optional("EmailMfaConfiguration", Shape::Anything),
        ],
        false,
        |s, b, _| s.set_user_pool_mfa_config(decode(b)?),
    ),
    op(
        "CreateUserPoolClient",
        &[
            required("UserPoolId", USER_POOL_ID),
            required("ClientName", NAME),
            optional("GenerateSecret", Shape::Boolean),
            optional("ClientSecret", text(24, 64, Pattern::ClientId)).secret(),
            optional(
                "RefreshTokenValidity",
                Shape::Integer {
                    min: 0,
                    max: 315_360_000,
                },
            ),
            optional(
                "AccessTokenValidity",
                Shape::Integer {
                    min: 1,
                    max: 86_400,
                },
            ),
            optional(
                "IdTokenValidity",
                Shape::Integer {
                    min: 1,
                    max: 86_400,
                },
            ),
            optional(
                "TokenValidityUnits",
                Shape::Structure(&[
                    optional("AccessToken", TIME_UNIT),
                    optional("IdToken", TIME_UNIT),
                    optional("RefreshToken", TIME_UNIT),
                ]),
            ),
            optional(
                "ReadAttributes",
                Shape::List(&text(1, 2048, Pattern::Any), 100),
            ),
            optional(
                "WriteAttributes",
                Shape::List(&text(1, 2048, Pattern::Any), 100),
            ),
            optional("ExplicitAuthFlows", EXPLICIT_AUTH_FLOWS),
            optional(
                "PreventUserExistenceErrors",
                Shape::Enum(&["LEGACY", "ENABLED"]),
            ),
            optional("EnableTokenRevocation", Shape::Boolean),
            optional("AuthSessionValidity", Shape::Integer { min: 3, max: 15 }),
        ],
        false,
        |s, b, _| s.create_user_pool_client(decode(b)?),
    ),
    op(
        "DescribeUserPoolClient",
        &[
            required("UserPoolId", USER_POOL_ID),
            required("ClientId", CLIENT_ID).secret(),
        ],
        false,
        |s, b, _| s.describe_user_pool_client(decode(b)?),
    ),
    op(
        "DeleteUserPoolClient",
        &[
            required("UserPoolId", USER_POOL_ID),
            required("ClientId", CLIENT_ID).secret(),
        ],
        false,
        |s, b, _| s.delete_user_pool_client(decode(b)?),
    ),
    op(
        "SignUp",
        &[
            required("ClientId", CLIENT_ID).secret(),
            optional("SecretHash", SECRET_HASH).secret(),
            required("Username", USERNAME).secret(),
            optional("Password", PASSWORD).secret(),
            optional("UserAttributes", ATTRIBUTES),
            optional("ValidationData", ATTRIBUTES),
            METADATA,
        ],
        true,
        |s, b, _| s.sign_up(decode(b)?),
    ),
    op(
        "ConfirmSignUp",
        &[
            required("ClientId", CLIENT_ID).secret(),
            optional("SecretHash", SECRET_HASH).secret(),
            required("Username", USERNAME).secret(),
            required("ConfirmationCode", text(1, 2048, Pattern::NoSpace)),
            optional("ForceAliasCreation", Shape::Boolean),
            optional("Session", SESSION).secret(),
            METADATA,
        ],
        false,
        |s, b, _| s.confirm_sign_up(decode(b)?),
    ),
    op(
        "ResendConfirmationCode",
        &[
            required("ClientId", CLIENT_ID).secret(),
            optional("SecretHash", SECRET_HASH).secret(),
            required("Username", USERNAME).secret(),
            METADATA,
        ],
        false,
        |s, b, _| s.resend_confirmation_code(decode(b)?),
    ),
    op(
        "AdminConfirmSignUp",
        &[
            required("UserPoolId", USER_POOL_ID),
            required("Username", USERNAME).secret(),
            METADATA,
        ],
        false,
        |s, b, _| s.admin_confirm_sign_up(decode(b)?),
    ),
    op(
        "AdminCreateUser",
        &[
            required("UserPoolId", USER_POOL_ID),
            required("Username", USERNAME).secret(),
            optional("UserAttributes", ATTRIBUTES),
            optional("ValidationData", ATTRIBUTES),
            optional("TemporaryPassword", PASSWORD).secret(),
            optional("ForceAliasCreation", Shape::Boolean),
            optional("MessageAction", Shape::Enum(&["RESEND", "SUPPRESS"])),
            optional(
                "DesiredDeliveryMediums",
                Shape::List(&Shape::Enum(&["SMS", "EMAIL"]), 2),
            ),
            METADATA,
        ],
        true,
        |s, b, _| s.admin_create_user(decode(b)?),
    ),
    op(
        "AdminSetUserPassword",
        &[
            required("UserPoolId", USER_POOL_ID),
            required("Username", USERNAME).secret(),
            required("Password", PASSWORD).secret(),
            optional("Permanent", Shape::Boolean),
        ],
        true,
        |s, b, _| s.admin_set_user_password(decode(b)?),
    ),
    op(
        "AdminGetUser",
        &[
            required("UserPoolId", USER_POOL_ID),
            required("Username", USERNAME).secret(),
        ],
        false,
        |s, b, _| s.admin_get_user(decode(b)?),
    ),
    op(
        "ListUsers",
        &[
            required("UserPoolId", USER_POOL_ID),
            optional(
                "AttributesToGet",
                Shape::List(&text(1, 32, Pattern::Any), 100),
            ),
            optional("Limit", Shape::Integer { min: 0, max: 60 }),
            optional("PaginationToken", text(1, 131_072, Pattern::NoSpace)),
            optional("Filter", text(0, 256, Pattern::Any)),
        ],
        false,
        |s, b, _| s.list_users(decode(b)?),
    ),
    op(
        "AdminDeleteUser",
        &[
            required("UserPoolId", USER_POOL_ID),
            required("Username", USERNAME).secret(),
        ],
        false,
        |s, b, _| s.admin_delete_user(decode(b)?),
    ),
    op(
        "GetUser",
        &[required("AccessToken", TOKEN).secret()],
        false,
        |s, b, _| s.get_user(decode(b)?),
    ),
    op(
        "InitiateAuth",
        &[
            required("AuthFlow", AUTH_FLOW),
            optional("AuthParameters", Shape::TextMap).secret(),
            required("ClientId", CLIENT_ID).secret(),
            optional("Session", SESSION).secret(),
            METADATA,
            optional("AnalyticsMetadata", Shape::Anything),
            optional("UserContextData", Shape::Anything),
        ],
        true,
        |s, b, _| s.initiate_auth(decode(b)?),
    ),
    op(
        "AdminInitiateAuth",
        &[
            required("UserPoolId", USER_POOL_ID),
            required("ClientId", CLIENT_ID).secret(),
            required("AuthFlow", AUTH_FLOW),
            optional("AuthParameters", Shape::TextMap).secret(),
            optional("Session", SESSION).secret(),
            METADATA,
            optional("AnalyticsMetadata", Shape::Anything),
            optional("ContextData", Shape::Anything),
        ],
        true,
        |s, b, _| s.admin_initiate_auth(decode(b)?),
    ),
    op(
        "RespondToAuthChallenge",
        &[
            required("ClientId", CLIENT_ID).secret(),
            required("ChallengeName", CHALLENGE_NAME),
            optional("Session", SESSION).secret(),
            optional("ChallengeResponses", Shape::TextMap).secret(),
            METADATA,
            optional("AnalyticsMetadata", Shape::Anything),
            optional("UserContextData", Shape::Anything),
        ],
        true,
        |s, b, _| s.respond_to_auth_challenge(decode(b)?),
    ),
    op(
        "AdminRespondToAuthChallenge",
        &[
            required("UserPoolId", USER_POOL_ID),
            required("ClientId", CLIENT_ID).secret(),
            required("ChallengeName", CHALLENGE_NAME),
            optional("ChallengeResponses", Shape::TextMap).secret(),
            optional("Session", SESSION).secret(),
            METADATA,
            optional("AnalyticsMetadata", Shape::Anything),
            optional("ContextData", Shape::Anything),
        ],
        true,
        |s, b, _| s.admin_respond_to_auth_challenge(decode(b)?),
    ),
    op(
        "AssociateSoftwareToken",
        &[
            optional("AccessToken", TOKEN).secret(),
            optional("Session", SESSION).secret(),
        ],
        false,
        |s, b, _| s.associate_software_token(decode(b)?),
    ),
    op(
        "VerifySoftwareToken",
        &[
            optional("AccessToken", TOKEN).secret(),
            optional("Session", SESSION).secret(),
            required("UserCode", text(6, 6, Pattern::Digits)).secret(),
            optional("FriendlyDeviceName", text(0, 256, Pattern::Any)),
        ],
        false,
        |s, b, _| s.verify_software_token(decode(b)?),
    ),
    op(
        "ConfirmDevice",
        &[
            required("AccessToken", TOKEN).secret(),
            required("DeviceKey", DEVICE_KEY),
            optional(
                "DeviceSecretVerifierConfig",
                Shape::Structure(&[
                    optional("PasswordVerifier", text(0, 2048, Pattern::Any)),
                    optional("Salt", text(0, 2048, Pattern::Any)),
                ]),
            ),
            optional("DeviceName", text(1, 1024, Pattern::Any)),
        ],
        false,
        |s, b, _| s.confirm_device(decode(b)?),
    ),
    op(
        "UpdateDeviceStatus",
        &[
            required("AccessToken", TOKEN).secret(),
            required("DeviceKey", DEVICE_KEY),
            optional(
                "DeviceRememberedStatus",
                Shape::Enum(&["remembered", "not_remembered"]),
            ),
        ],
        false,
        |s, b, _| s.update_device_status(decode(b)?),
    ),
    op(
        "ListDevices",
        &[
            required("AccessToken", TOKEN).secret(),
            optional("Limit", Shape::Integer { min: 0, max: 60 }),
            optional("PaginationToken", text(1, 131_072, Pattern::NoSpace)),
        ],
        false,
        |s, b, _| s.list_devices(decode(b)?),
    ),
    op(
        "ForgetDevice",
        &[
            optional("AccessToken", TOKEN).secret(),
            required("DeviceKey", DEVICE_KEY),
        ],
        false,
        |s, b, _| s.forget_device(decode(b)?),
    ),
];

pub fn find(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|operation| operation.name == name)
}
