// SPDX-License-Identifier: Apache-2.0
//! A user's devices by access token (GetDevice) and by administrator (AdminGetDevice,
//! AdminListDevices, AdminUpdateDeviceStatus, AdminForgetDevice), and what each change does to
//! the next sign-in.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, DeviceRememberedStatusType, DeviceType,
};
use common::{Harness, PASSWORD, Pool, error_code, outcome};

fn attribute<'a>(device: &'a DeviceType, name: &str) -> Option<&'a str> {
    device
        .device_attributes()
        .iter()
        .find(|attribute| attribute.name() == name)
        .and_then(|attribute| attribute.value())
}

async fn admin_device(
    harness: &Harness,
    pool: &Pool,
    username: &str,
    key: &str,
) -> Result<DeviceType, String> {
    let answer = harness
        .client
        .admin_get_device()
        .user_pool_id(&pool.id)
        .username(username)
        .device_key(key)
        .send()
        .await;
    outcome(answer)
        .map(|answer| answer.device.unwrap())
        .map_err(|(code, _)| code)
}

/// The first challenge of a password sign-in that presents the device.
async fn challenge_with_device(
    harness: &Harness,
    pool: &Pool,
    key: &str,
) -> Option<ChallengeNameType> {
    harness
        .client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .auth_parameters("DEVICE_KEY", key)
        .send()
        .await
        .unwrap()
        .challenge_name
}

#[tokio::test]
async fn a_device_is_read_by_its_user_and_by_an_administrator() {
    let harness = Harness::start().await;
    let pool = harness.scenario_pool().await;
    let (key, group, secret, _) = harness.remembered_device(&pool, "alice").await;
    harness.confirmed_user(&pool, "bob").await;
    let tokens = harness
        .device_sign_in(&pool, "alice", (&key, &group, &secret))
        .await;
    let own = harness
        .client
        .get_device()
        .access_token(tokens.access_token.as_deref().unwrap())
        .device_key(&key)
        .send()
        .await
        .expect("GetDevice")
        .device
        .unwrap();
    assert_eq!(own.device_key(), Some(key.as_str()));
    assert_eq!(
        attribute(&own, "dev:device_remembered_status"),
        Some("remembered")
    );
    let seen = admin_device(&harness, &pool, "alice", &key).await.unwrap();
    assert_eq!(seen.device_key(), own.device_key());

    let unknown = format!("{}_00000000-0000-4000-8000-000000000000", "us-east-1");
    assert_eq!(
        admin_device(&harness, &pool, "alice", &unknown)
            .await
            .unwrap_err(),
        "ResourceNotFoundException"
    );
    assert_eq!(
        admin_device(&harness, &pool, "bob", &key)
            .await
            .unwrap_err(),
        "ResourceNotFoundException"
    );
    assert_eq!(
        admin_device(&harness, &pool, "nobody", &key)
            .await
            .unwrap_err(),
        "UserNotFoundException"
    );
    let listed = harness
        .client
        .admin_list_devices()
        .user_pool_id(&pool.id)
        .username("alice")
        .send()
        .await
        .expect("AdminListDevices");
    let keys: Vec<_> = listed
        .devices()
        .iter()
        .filter_map(|d| d.device_key())
        .collect();
    assert_eq!(keys, [key.as_str()]);
    let for_bob = harness
        .client
        .admin_list_devices()
        .user_pool_id(&pool.id)
        .username("bob")
        .send()
        .await
        .unwrap();
    assert!(for_bob.devices().is_empty());
}

#[tokio::test]
async fn an_administrator_stops_remembering_then_forgets_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.scenario_pool().await;
    let (key, _group, _secret, refresh) = harness.remembered_device(&pool, "alice").await;
    assert_eq!(
        challenge_with_device(&harness, &pool, &key).await,
        Some(ChallengeNameType::DeviceSrpAuth)
    );

    harness
        .client
        .admin_update_device_status()
        .user_pool_id(&pool.id)
        .username("alice")
        .device_key(&key)
        .device_remembered_status(DeviceRememberedStatusType::NotRemembered)
        .send()
        .await
        .expect("AdminUpdateDeviceStatus");
    let harness = harness.restart().await;
    let device = admin_device(&harness, &pool, "alice", &key).await.unwrap();
    assert_eq!(
        attribute(&device, "dev:device_remembered_status"),
        Some("not_remembered")
    );
    // Not remembered: the device no longer stands in for the TOTP code.
    assert_eq!(
        challenge_with_device(&harness, &pool, &key).await,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );

    harness
        .client
        .admin_forget_device()
        .user_pool_id(&pool.id)
        .username("alice")
        .device_key(&key)
        .send()
        .await
        .expect("AdminForgetDevice");
    let harness = harness.restart().await;
    assert_eq!(
        admin_device(&harness, &pool, "alice", &key)
            .await
            .unwrap_err(),
        "ResourceNotFoundException"
    );
    let refreshed = harness
        .client
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh)
        .send()
        .await;
    assert_eq!(error_code(refreshed).0, "NotAuthorizedException");
    let again = harness
        .client
        .admin_forget_device()
        .user_pool_id(&pool.id)
        .username("alice")
        .device_key(&key)
        .send()
        .await;
    assert_eq!(error_code(again).0, "ResourceNotFoundException");
}
