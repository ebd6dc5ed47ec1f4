// SPDX-License-Identifier: Apache-2.0
//! Pools and clients configured after they are made, with every member the pool and client
//! can describe, on a pool of their own.

use serde_json::json;

use super::super::answered;
use crate::common::Harness;

pub async fn operations(harness: &Harness) {
    let created = answered(harness, "CreateUserPool", full_pool("shapes")).await;
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    let arn = created["UserPool"]["Arn"].as_str().unwrap().to_owned();
    let mut update = full_pool("shapes");
    update["UserPoolId"] = json!(pool_id);
    update.as_object_mut().unwrap().remove("PoolName");
    answered(harness, "UpdateUserPool", update).await;
    answered(
        harness,
        "DescribeUserPool",
        json!({ "UserPoolId": pool_id }),
    )
    .await;
    let mfa = json!({
        "UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL",
        "SoftwareTokenMfaConfiguration": { "Enabled": true },
        "SmsMfaConfiguration": { "SmsAuthenticationMessage": "Code {####}" },
        "EmailMfaConfiguration": { "Subject": "Code", "Message": "Your code {####}" },
        "WebAuthnConfiguration": { "RelyingPartyId": "example.com", "UserVerification": "preferred" },
    });
    answered(harness, "SetUserPoolMfaConfig", mfa).await;
    answered(
        harness,
        "GetUserPoolMfaConfig",
        json!({ "UserPoolId": pool_id }),
    )
    .await;

    let client = json!({
        "UserPoolId": pool_id, "ClientName": "web", "GenerateSecret": true,
        "CallbackURLs": ["https://example.com/cb"], "LogoutURLs": ["https://example.com/out"],
        "DefaultRedirectURI": "https://example.com/cb", "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email"], "AllowedOAuthFlowsUserPoolClient": true,
        "SupportedIdentityProviders": ["COGNITO"], "ReadAttributes": ["email"],
        "WriteAttributes": ["email"], "EnablePropagateAdditionalUserContextData": true,
        "AnalyticsConfiguration": { "ApplicationId": "abc123", "UserDataShared": true },
    });
    let made = answered(harness, "CreateUserPoolClient", client.clone()).await;
    let client_id = made["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut update = client;
    update["ClientId"] = json!(client_id);
    update.as_object_mut().unwrap().remove("GenerateSecret");
    answered(harness, "UpdateUserPoolClient", update).await;
    let ids = json!({ "UserPoolId": pool_id, "ClientId": client_id });
    answered(harness, "DescribeUserPoolClient", ids.clone()).await;
    answered(
        harness,
        "ListUserPoolClients",
        json!({ "UserPoolId": pool_id, "MaxResults": 1 }),
    )
    .await;

    let added = answered(harness, "AddUserPoolClientSecret", ids.clone()).await;
    answered(harness, "ListUserPoolClientSecrets", ids.clone()).await;
    let secret_id = added["ClientSecretDescriptor"]["ClientSecretId"].clone();
    let mut delete = ids.clone();
    delete["ClientSecretId"] = secret_id;
    answered(harness, "DeleteUserPoolClientSecret", delete).await;

    answered(
        harness,
        "TagResource",
        json!({ "ResourceArn": arn, "Tags": { "a": "b" } }),
    )
    .await;
    answered(
        harness,
        "ListTagsForResource",
        json!({ "ResourceArn": arn }),
    )
    .await;
    answered(
        harness,
        "UntagResource",
        json!({ "ResourceArn": arn, "TagKeys": ["a"] }),
    )
    .await;

    let domain = json!({ "UserPoolId": pool_id, "Domain": "pool-admin-shapes" });
    answered(harness, "CreateUserPoolDomain", domain).await;
    // An 8-byte PNG signature and a little more, base64.
    let logo = "iVBORw0KGgpsb2dv";
    let ui = json!({
        "UserPoolId": pool_id, "ClientId": "ALL",
        "CSS": ".label-customizable { font-weight: 400; }", "ImageFile": logo,
    });
    answered(harness, "SetUICustomization", ui).await;
    answered(harness, "GetUICustomization", ids).await;
}

/// Every member CreateUserPool and UpdateUserPool share, set.
fn full_pool(name: &str) -> serde_json::Value {
    let lambda = "arn:aws:lambda:us-east-1:000000000000:function:trigger";
    json!({
        "PoolName": name,
        "Policies": {
            "PasswordPolicy": { "MinimumLength": 10, "PasswordHistorySize": 3 },
            "SignInPolicy": { "AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"] },
        },
        "AutoVerifiedAttributes": ["email"],
        "UserAttributeUpdateSettings": { "AttributesRequireVerificationBeforeUpdate": ["email"] },
        "DeviceConfiguration": { "ChallengeRequiredOnNewDevice": true },
        "AdminCreateUserConfig": {
            "AllowAdminCreateUserOnly": true, "UnusedAccountValidityDays": 5,
            "InviteMessageTemplate": {
                "EmailSubject": "Hi", "EmailMessage": "{username} {####}",
                "SMSMessage": "{username} {####}",
            },
        },
        "VerificationMessageTemplate": {
            "DefaultEmailOption": "CONFIRM_WITH_LINK", "EmailMessageByLink": "Click {##here##}",
            "EmailSubjectByLink": "Verify", "SmsMessage": "Code {####}",
        },
        "SmsAuthenticationMessage": "Sign in with {####}",
        "DeletionProtection": "INACTIVE",
        "EmailConfiguration": {
            "EmailSendingAccount": "DEVELOPER", "From": "a@example.com",
            "SourceArn": "arn:aws:ses:us-east-1:000000000000:identity/a@example.com",
            "ReplyToEmailAddress": "b@example.com", "ConfigurationSet": "set",
        },
        "SmsConfiguration": {
            "SnsCallerArn": "arn:aws:iam::000000000000:role/sms", "ExternalId": "x",
            "SnsRegion": "us-east-1",
        },
        "LambdaConfig": {
            "PreSignUp": lambda, "KMSKeyID": "arn:aws:kms:us-east-1:000000000000:key/k",
            "CustomSMSSender": { "LambdaVersion": "V1_0", "LambdaArn": lambda },
            "PreTokenGenerationConfig": { "LambdaVersion": "V2_0", "LambdaArn": lambda },
        },
        "UserPoolAddOns": {
            "AdvancedSecurityMode": "AUDIT",
            "AdvancedSecurityAdditionalFlows": { "CustomAuthMode": "AUDIT" },
        },
        "AccountRecoverySetting": {
            "RecoveryMechanisms": [
                { "Name": "verified_email", "Priority": 1 },
                { "Name": "verified_phone_number", "Priority": 2 },
            ],
        },
        "UserPoolTags": { "team": "identity" },
        "UserPoolTier": "PLUS",
    })
}
