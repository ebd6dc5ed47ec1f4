// SPDX-License-Identifier: Apache-2.0
//! A recovery's preview counts what reverting would change, its start reverts the pool's users
//! and groups to the recovery point, and its cancel leaves them: each kept across restarts.

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::UserPoolTierType;
use serde_json::{Value, json};

use super::{DAY, MINUTE, initiate};
use crate::common::{Harness, PASSWORD, Pool, attribute};
use crate::platform::support::{pool_in_tier, raw};

const HOUR: u64 = 3600;

async fn create_user(harness: &Harness, pool: &Pool, username: &str) {
    harness
        .client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username(username)
        .user_attributes(attribute("given_name", username))
        .send()
        .await
        .expect("AdminCreateUser");
    harness
        .client
        .admin_set_user_password()
        .user_pool_id(&pool.id)
        .username(username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
}

/// The pool's users by name, with their `sub` and `given_name`.
async fn users(harness: &Harness, pool: &Pool) -> Vec<(String, String, String)> {
    let listed = harness
        .client
        .list_users()
        .user_pool_id(&pool.id)
        .send()
        .await
        .expect("ListUsers");
    let mut users: Vec<(String, String, String)> = listed
        .users()
        .iter()
        .map(|user| {
            let value = |name: &str| {
                user.attributes()
                    .iter()
                    .find(|attribute| attribute.name == name)
                    .and_then(|attribute| attribute.value.clone())
                    .unwrap_or_default()
            };
            let username = user.username.clone().unwrap_or_default();
            (username, value("sub"), value("given_name"))
        })
        .collect();
    users.sort();
    users
}

async fn groups(harness: &Harness, pool: &Pool) -> Vec<String> {
    let listed = harness
        .client
        .list_groups()
        .user_pool_id(&pool.id)
        .send()
        .await
        .expect("ListGroups");
    let mut names: Vec<String> = listed
        .groups()
        .iter()
        .filter_map(|group| group.group_name.clone())
        .collect();
    names.sort();
    names
}

async fn create_group(harness: &Harness, pool: &Pool, name: &str) {
    harness
        .client
        .create_group()
        .user_pool_id(&pool.id)
        .group_name(name)
        .send()
        .await
        .expect("CreateGroup");
}

async fn groups_of(harness: &Harness, pool: &Pool, username: &str) -> Vec<String> {
    let listed = harness
        .client
        .admin_list_groups_for_user()
        .user_pool_id(&pool.id)
        .username(username)
        .send()
        .await
        .expect("AdminListGroupsForUser");
    listed
        .groups()
        .iter()
        .filter_map(|group| group.group_name.clone())
        .collect()
}

/// The preview's counts by entity: (create, update, delete).
fn counts(restoration: &Value) -> Vec<(String, u64, u64, u64)> {
    let preview = restoration["RestorePreview"].as_array().expect("a preview");
    preview
        .iter()
        .map(|entry| {
            let count = |name: &str| entry[name].as_u64().expect("a count");
            (
                entry["Entity"].as_str().unwrap_or_default().to_owned(),
                count("CreateCount"),
                count("UpdateCount"),
                count("DeleteCount"),
            )
        })
        .collect()
}

fn one(pool: &Pool, restoration: &Value) -> Value {
    json!({ "UserPoolId": pool.id, "RestoreId": restoration["RestoreId"] })
}

#[tokio::test]
async fn a_recovery_previews_and_restores_users_and_groups_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Plus).await;
    for username in ["ana", "ben"] {
        create_user(&harness, &pool, username).await;
    }
    create_group(&harness, &pool, "staff").await;
    harness
        .client
        .admin_add_user_to_group()
        .user_pool_id(&pool.id)
        .username("ana")
        .group_name("staff")
        .send()
        .await
        .expect("AdminAddUserToGroup");
    harness.clock.advance(Duration::from_secs(HOUR));
    let as_they_were = users(&harness, &pool).await;

    // An hour later: ana renamed, ben deleted, dora and a group added.
    harness.clock.advance(Duration::from_secs(HOUR));
    harness
        .client
        .admin_update_user_attributes()
        .user_pool_id(&pool.id)
        .username("ana")
        .user_attributes(attribute("given_name", "Anastasia"))
        .send()
        .await
        .expect("AdminUpdateUserAttributes");
    harness
        .client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username("ben")
        .send()
        .await
        .expect("AdminDeleteUser");
    create_user(&harness, &pool, "dora").await;
    create_group(&harness, &pool, "admins").await;
    let harness = harness.restart().await;

    harness.clock.advance(Duration::from_secs(20 * MINUTE));
    let point = HOUR + 20 * MINUTE + MINUTE;
    let started = initiate(&harness, &pool.id, point).await.expect("Initiate");
    let restoration = &started["Restoration"];
    assert_eq!(restoration["RestoreStatus"], "PREVIEW_GENERATED");
    let expected = vec![("USER".to_owned(), 1, 1, 1), ("GROUP".to_owned(), 0, 0, 1)];
    assert_eq!(
        counts(restoration),
        expected,
        "ben back, ana as she was, dora and admins gone"
    );
    let one = one(&pool, restoration);

    let harness = harness.restart().await;
    let described = raw(&harness, "DescribePointInTimeRecovery", one.clone())
        .await
        .expect("Describe");
    assert_eq!(
        counts(&described["Restoration"]),
        expected,
        "the preview is kept"
    );
    let restored = raw(&harness, "StartPointInTimeRecovery", one.clone())
        .await
        .expect("Start");
    assert_eq!(
        restored["Restoration"]["RestoreStatus"],
        "RESTORE_COMPLETED"
    );
    assert_eq!(
        users(&harness, &pool).await,
        as_they_were,
        "the same users, subs and names"
    );
    assert_eq!(groups(&harness, &pool).await, ["staff"]);
    assert_eq!(groups_of(&harness, &pool, "ana").await, ["staff"]);
    harness.access_token(&pool, "ben", PASSWORD).await;

    let harness = harness.restart().await;
    assert_eq!(
        users(&harness, &pool).await,
        as_they_were,
        "the restore was saved"
    );
    assert_eq!(groups(&harness, &pool).await, ["staff"]);
    let (code, message) = raw(&harness, "StartPointInTimeRecovery", one)
        .await
        .unwrap_err();
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("RESTORE_COMPLETED"), "{message}");
}

#[tokio::test]
async fn a_canceled_recovery_changes_nothing_and_cannot_start() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    create_user(&harness, &pool, "eli").await;
    harness.clock.advance(Duration::from_secs(HOUR));
    create_user(&harness, &pool, "fay").await;
    harness.clock.advance(Duration::from_secs(HOUR));
    let before = users(&harness, &pool).await;
    let started = initiate(&harness, &pool.id, 90 * MINUTE)
        .await
        .expect("Initiate");
    let restoration = &started["Restoration"];
    assert_eq!(counts(restoration)[0], ("USER".to_owned(), 0, 0, 1));
    let one = one(&pool, restoration);
    let canceled = raw(&harness, "CancelPointInTimeRecovery", one.clone())
        .await
        .expect("Cancel");
    assert_eq!(
        canceled["Restoration"]["RestoreStatus"],
        "PREVIEW_CANCELLED"
    );
    assert_eq!(users(&harness, &pool).await, before);
    for operation in ["StartPointInTimeRecovery", "CancelPointInTimeRecovery"] {
        let (code, message) = raw(&harness, operation, one.clone()).await.unwrap_err();
        assert_eq!(code, "InvalidParameterException", "{operation}");
        assert!(message.contains("PREVIEW_CANCELLED"), "{message}");
    }
}

#[tokio::test]
async fn a_preview_whose_point_left_the_period_cannot_start() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Essentials).await;
    harness.clock.advance(Duration::from_secs(HOUR));
    create_user(&harness, &pool, "gus").await;
    let started = initiate(&harness, &pool.id, 30 * MINUTE)
        .await
        .expect("Initiate");
    let one = one(&pool, &started["Restoration"]);
    harness.clock.advance(Duration::from_secs(DAY));
    let (code, _) = raw(&harness, "StartPointInTimeRecovery", one)
        .await
        .unwrap_err();
    assert_eq!(code, "InvalidParameterException");
    assert_eq!(users(&harness, &pool).await.len(), 1, "gus stays");
}

#[tokio::test]
async fn a_pool_stored_without_history_is_restored_no_further_back_than_its_start() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Plus).await;
    create_user(&harness, &pool, "hal").await;
    harness.clock.advance(Duration::from_secs(HOUR));
    // As a data directory written before histories were kept: no history entries at all.
    let harness = harness
        .restart_after(|dir| {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|ext| ext == "jsonl") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let kept: String = text
                        .lines()
                        .filter(|line| !line.contains("\"recoveryhistory\""))
                        .map(|line| format!("{line}\n"))
                        .collect();
                    std::fs::write(&path, kept).unwrap();
                }
            }
        })
        .await;
    harness.clock.advance(Duration::from_secs(30 * MINUTE));
    let (code, message) = initiate(&harness, &pool.id, HOUR).await.unwrap_err();
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("earliest point"), "{message}");
    create_user(&harness, &pool, "ida").await;
    harness.clock.advance(Duration::from_secs(HOUR));
    let started = initiate(&harness, &pool.id, 80 * MINUTE)
        .await
        .expect("a point after the start");
    assert_eq!(
        counts(&started["Restoration"])[0],
        ("USER".to_owned(), 0, 0, 1)
    );
}

/// How many changes the pool's history holds, as a restart would bring them back.
fn history_entries(harness: &Harness) -> usize {
    let service = cognito_emulator::testing::service(&harness.emulator);
    let stored = service.stored_form();
    stored
        .iter()
        .filter(|line| line.contains("\"recoveryhistory\""))
        .count()
}

#[tokio::test]
async fn reads_and_sign_ins_add_nothing_to_the_history() {
    let harness = Harness::start().await;
    let pool = pool_in_tier(&harness, UserPoolTierType::Plus).await;
    create_user(&harness, &pool, "jo").await;
    let after_writes = history_entries(&harness);
    for _ in 0..3 {
        // A change a second later would be a new entry: changes in one instant count once.
        harness.clock.advance(Duration::from_secs(1));
        users(&harness, &pool).await;
        harness
            .client
            .admin_get_user()
            .user_pool_id(&pool.id)
            .username("jo")
            .send()
            .await
            .expect("AdminGetUser");
        let token = harness.access_token(&pool, "jo", PASSWORD).await;
        harness.get_user(&token).await.expect("GetUser");
    }
    assert_eq!(history_entries(&harness), after_writes);
}
