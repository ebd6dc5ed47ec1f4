// SPDX-License-Identifier: Apache-2.0
//! Groups, and the user's legacy settings and TOTP factor, on a pool of their own.

use serde_json::json;

use super::super::answered;
use crate::common::{Harness, PASSWORD};

pub async fn operations(harness: &Harness) {
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness.confirmed_user(&pool, "grace").await;
    let token = harness.access_token(&pool, "grace", PASSWORD).await;
    let group = json!({
        "UserPoolId": pool.id, "GroupName": "staff", "Description": "everyone",
        "Precedence": 1, "RoleArn": "arn:aws:iam::123456789012:role/staff",
    });
    answered(harness, "CreateGroup", group.clone()).await;
    answered(harness, "UpdateGroup", group).await;
    let named = json!({ "UserPoolId": pool.id, "GroupName": "staff" });
    answered(harness, "GetGroup", named.clone()).await;
    let pool_id = json!({ "UserPoolId": pool.id, "Limit": 1 });
    answered(harness, "ListGroups", pool_id).await;
    let member = json!({ "UserPoolId": pool.id, "GroupName": "staff", "Username": "grace" });
    answered(harness, "AdminAddUserToGroup", member.clone()).await;
    let user = json!({ "UserPoolId": pool.id, "Username": "grace" });
    answered(harness, "AdminListGroupsForUser", user.clone()).await;
    answered(harness, "ListUsersInGroup", named.clone()).await;
    answered(harness, "AdminRemoveUserFromGroup", member).await;
    answered(harness, "DeleteGroup", named).await;
    let sms = json!([{ "DeliveryMedium": "SMS", "AttributeName": "phone_number" }]);
    let settings = json!({ "UserPoolId": pool.id, "Username": "grace", "MFAOptions": sms });
    answered(harness, "AdminSetUserSettings", settings).await;
    let own = json!({ "AccessToken": token, "MFAOptions": sms });
    answered(harness, "SetUserSettings", own).await;
    // AdminGetUser and GetUser now answer with MFAOptions.
    answered(harness, "AdminGetUser", user.clone()).await;
    answered(harness, "GetUser", json!({ "AccessToken": token })).await;
    answered(harness, "AdminDeleteSoftwareToken", user).await;
}
