// SPDX-License-Identifier: Apache-2.0
//! User pool groups through the SDK: their life cycle, paging, membership, and what they put
//! in tokens; all of it as it was after a `--data-dir` restart.

mod common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::GroupType;
use common::{Harness, PASSWORD, Pool, error_code, outcome, verified_claims};
use serde_json::{Value, json};

const ADMIN_ROLE: &str = "arn:aws:iam::123456789012:role/admins";
const READER_ROLE: &str = "arn:aws:iam::123456789012:role/readers";

async fn create_group(
    harness: &Harness,
    pool: &Pool,
    name: &str,
    precedence: Option<i32>,
    role: Option<&str>,
) -> GroupType {
    harness
        .client
        .create_group()
        .user_pool_id(&pool.id)
        .group_name(name)
        .description(format!("the {name}"))
        .set_precedence(precedence)
        .set_role_arn(role.map(str::to_owned))
        .send()
        .await
        .expect("CreateGroup")
        .group
        .expect("a group")
}

async fn get_group(harness: &Harness, pool: &Pool, name: &str) -> Result<GroupType, String> {
    let answer = harness
        .client
        .get_group()
        .user_pool_id(&pool.id)
        .group_name(name)
        .send()
        .await;
    outcome(answer)
        .map(|answer| answer.group.unwrap())
        .map_err(|(code, _)| code)
}

async fn add(harness: &Harness, pool: &Pool, username: &str, group: &str) {
    harness
        .client
        .admin_add_user_to_group()
        .user_pool_id(&pool.id)
        .username(username)
        .group_name(group)
        .send()
        .await
        .expect("AdminAddUserToGroup");
}

/// Every page of ListGroups with this limit: the names on each.
async fn group_pages(harness: &Harness, pool: &Pool, limit: i32) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut token = None;
    loop {
        let page = harness
            .client
            .list_groups()
            .user_pool_id(&pool.id)
            .limit(limit)
            .set_next_token(token)
            .send()
            .await
            .expect("ListGroups");
        pages.push(names(page.groups()));
        match page.next_token {
            Some(next) => token = Some(next),
            None => return pages,
        }
    }
}

fn names(groups: &[GroupType]) -> Vec<String> {
    groups
        .iter()
        .map(|group| group.group_name().unwrap().to_owned())
        .collect()
}

/// The user's groups, following every page of AdminListGroupsForUser of one group each.
async fn groups_of(harness: &Harness, pool: &Pool, username: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut token = None;
    loop {
        let page = harness
            .client
            .admin_list_groups_for_user()
            .user_pool_id(&pool.id)
            .username(username)
            .limit(1)
            .set_next_token(token)
            .send()
            .await
            .expect("AdminListGroupsForUser");
        found.extend(names(page.groups()));
        match page.next_token {
            Some(next) => token = Some(next),
            None => return found,
        }
    }
}

/// The group's members, following every page of ListUsersInGroup of one user each.
async fn members_of(harness: &Harness, pool: &Pool, group: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut token = None;
    loop {
        let page = harness
            .client
            .list_users_in_group()
            .user_pool_id(&pool.id)
            .group_name(group)
            .limit(1)
            .set_next_token(token)
            .send()
            .await
            .expect("ListUsersInGroup");
        found.extend(
            page.users()
                .iter()
                .map(|u| u.username().unwrap().to_owned()),
        );
        match page.next_token {
            Some(next) => token = Some(next),
            None => return found,
        }
    }
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

#[tokio::test]
async fn a_group_is_created_read_updated_and_deleted_and_a_restart_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let created = create_group(&harness, &pool, "admins", Some(1), Some(ADMIN_ROLE)).await;
    assert_eq!(created.group_name(), Some("admins"));
    assert_eq!(created.user_pool_id(), Some(pool.id.as_str()));
    assert_eq!(created.description(), Some("the admins"));
    assert_eq!(created.precedence(), Some(1));
    assert_eq!(created.role_arn(), Some(ADMIN_ROLE));
    let created_at = created.creation_date().unwrap().secs();
    assert!(
        created_at > 1_600_000_000,
        "a date in seconds: {created_at}"
    );
    assert_eq!(created.last_modified_date().unwrap().secs(), created_at);
    assert_eq!(get_group(&harness, &pool, "admins").await.unwrap(), created);

    let again = harness
        .client
        .create_group()
        .user_pool_id(&pool.id)
        .group_name("admins")
        .send()
        .await;
    let (code, message) = error_code(again);
    assert_eq!(code, "GroupExistsException");
    assert!(message.contains("admins"), "{message}");

    harness.clock.advance(Duration::from_secs(60));
    let updated = harness
        .client
        .update_group()
        .user_pool_id(&pool.id)
        .group_name("admins")
        .description("who runs it")
        .precedence(3)
        .send()
        .await
        .unwrap()
        .group
        .unwrap();
    assert_eq!(updated.description(), Some("who runs it"));
    assert_eq!(updated.precedence(), Some(3));
    assert_eq!(
        updated.role_arn(),
        None,
        "a role left out goes back to none"
    );
    assert_eq!(updated.creation_date().unwrap().secs(), created_at);
    assert_eq!(
        updated.last_modified_date().unwrap().secs(),
        created_at + 60
    );

    let harness = harness.restart().await;
    assert_eq!(get_group(&harness, &pool, "admins").await.unwrap(), updated);
    harness
        .client
        .delete_group()
        .user_pool_id(&pool.id)
        .group_name("admins")
        .send()
        .await
        .unwrap();
    assert_eq!(
        get_group(&harness, &pool, "admins").await.unwrap_err(),
        "ResourceNotFoundException"
    );
    let harness = harness.restart().await;
    assert_eq!(
        get_group(&harness, &pool, "admins").await.unwrap_err(),
        "ResourceNotFoundException",
        "the deletion outlives a restart"
    );
}

#[tokio::test]
async fn missing_groups_and_pools_and_invalid_values_are_refused() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let client = &harness.client;
    let (code, message) = error_code(
        client
            .get_group()
            .user_pool_id(&pool.id)
            .group_name("nobody")
            .send()
            .await,
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("ResourceNotFoundException", "Group not found.")
    );
    let update = client
        .update_group()
        .user_pool_id(&pool.id)
        .group_name("nobody");
    assert_eq!(
        error_code(update.send().await).0,
        "ResourceNotFoundException"
    );
    let delete = client
        .delete_group()
        .user_pool_id(&pool.id)
        .group_name("nobody");
    assert_eq!(
        error_code(delete.send().await).0,
        "ResourceNotFoundException"
    );
    let in_no_pool = client
        .create_group()
        .user_pool_id("us-east-1_Nowhere1")
        .group_name("g");
    assert_eq!(
        error_code(in_no_pool.send().await).0,
        "ResourceNotFoundException"
    );
    let listed = client.list_groups().user_pool_id("us-east-1_Nowhere1");
    assert_eq!(
        error_code(listed.send().await).0,
        "ResourceNotFoundException"
    );

    let create = || client.create_group().user_pool_id(&pool.id).group_name("g");
    for refused in [
        create().role_arn("not-an-arn-at-all-really"),
        create().precedence(-1),
        create().description("d".repeat(2049)),
        create().group_name("has space"),
    ] {
        assert_eq!(
            error_code(refused.send().await).0,
            "InvalidParameterException"
        );
    }
    let (status, answer) = harness
        .call(
            "CreateGroup",
            &json!({ "UserPoolId": pool.id, "GroupName": "g", "Precedence": 2_147_483_648_i64 })
                .to_string(),
        )
        .await;
    assert_eq!(
        (status, &answer["__type"]),
        (400, &json!("InvalidParameterException"))
    );
    assert_eq!(
        get_group(&harness, &pool, "g").await.unwrap_err(),
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn groups_come_a_page_at_a_time_and_a_bad_token_is_refused() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    for name in ["e", "a", "d", "b", "c"] {
        create_group(&harness, &pool, name, None, None).await;
    }
    let expected = [strings(&["a", "b"]), strings(&["c", "d"]), strings(&["e"])];
    assert_eq!(group_pages(&harness, &pool, 2).await, expected);
    assert_eq!(
        group_pages(&harness, &pool, 0).await,
        [strings(&["a", "b", "c", "d", "e"])]
    );
    // The SDK's paginator follows the same tokens.
    let paged: Vec<String> = harness
        .client
        .list_groups()
        .user_pool_id(&pool.id)
        .limit(2)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap()
        .iter()
        .map(|group| group.group_name().unwrap().to_owned())
        .collect();
    assert_eq!(paged, strings(&["a", "b", "c", "d", "e"]));

    let first = harness
        .client
        .list_groups()
        .user_pool_id(&pool.id)
        .limit(1)
        .send()
        .await
        .unwrap();
    let token = first.next_token.unwrap();
    let list = || harness.client.list_groups().user_pool_id(&pool.id);
    for bad in ["not-a-token", "bm90LWEtdG9rZW4"] {
        let (code, _) = error_code(list().next_token(bad).send().await);
        assert_eq!(code, "InvalidParameterException", "{bad}");
    }
    assert_eq!(
        error_code(list().limit(61).send().await).0,
        "InvalidParameterException"
    );
    let elsewhere = harness
        .client
        .list_users_in_group()
        .user_pool_id(&pool.id)
        .group_name("a")
        .next_token(&token)
        .send()
        .await;
    assert_eq!(
        error_code(elsewhere).0,
        "InvalidParameterException",
        "another list's token"
    );
    // A page goes on after its last group even once that group is gone.
    harness
        .client
        .delete_group()
        .user_pool_id(&pool.id)
        .group_name("a")
        .send()
        .await
        .unwrap();
    let rest = list().next_token(&token).send().await.unwrap();
    assert_eq!(names(rest.groups()), strings(&["b", "c", "d", "e"]));
}

#[tokio::test]
async fn memberships_are_listed_both_ways_and_outlive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    for name in ["ann", "bo", "cy"] {
        harness.confirmed_user(&pool, name).await;
    }
    for group in ["admins", "readers", "writers"] {
        create_group(&harness, &pool, group, None, None).await;
    }
    add(&harness, &pool, "ann", "readers").await;
    add(&harness, &pool, "ann", "admins").await;
    add(&harness, &pool, "ann", "admins").await; // already in: still one membership
    add(&harness, &pool, "cy", "readers").await;
    add(&harness, &pool, "bo", "readers").await;
    assert_eq!(
        groups_of(&harness, &pool, "ann").await,
        strings(&["admins", "readers"])
    );
    assert_eq!(
        members_of(&harness, &pool, "readers").await,
        strings(&["ann", "bo", "cy"])
    );
    assert_eq!(
        members_of(&harness, &pool, "writers").await,
        Vec::<String>::new()
    );

    let harness = harness.restart().await;
    assert_eq!(
        groups_of(&harness, &pool, "ann").await,
        strings(&["admins", "readers"])
    );
    assert_eq!(
        members_of(&harness, &pool, "readers").await,
        strings(&["ann", "bo", "cy"])
    );

    harness
        .client
        .admin_remove_user_from_group()
        .user_pool_id(&pool.id)
        .username("cy")
        .group_name("readers")
        .send()
        .await
        .unwrap();
    harness
        .client
        .admin_delete_user()
        .user_pool_id(&pool.id)
        .username("bo")
        .send()
        .await
        .unwrap();
    harness
        .client
        .delete_group()
        .user_pool_id(&pool.id)
        .group_name("admins")
        .send()
        .await
        .unwrap();
    assert_eq!(
        members_of(&harness, &pool, "readers").await,
        strings(&["ann"])
    );
    assert_eq!(
        groups_of(&harness, &pool, "ann").await,
        strings(&["readers"])
    );
    assert_eq!(groups_of(&harness, &pool, "cy").await, Vec::<String>::new());
    // A group made again under a deleted one's name starts empty.
    create_group(&harness, &pool, "admins", None, None).await;
    assert_eq!(
        members_of(&harness, &pool, "admins").await,
        Vec::<String>::new()
    );

    let harness = harness.restart().await;
    assert_eq!(
        members_of(&harness, &pool, "readers").await,
        strings(&["ann"])
    );
    assert_eq!(
        groups_of(&harness, &pool, "ann").await,
        strings(&["readers"])
    );
    assert_eq!(
        members_of(&harness, &pool, "admins").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn membership_calls_refuse_missing_users_and_groups() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness.confirmed_user(&pool, "ann").await;
    create_group(&harness, &pool, "readers", None, None).await;
    let client = &harness.client;
    let add = |user: &str, group: &str| {
        client
            .admin_add_user_to_group()
            .user_pool_id(&pool.id)
            .username(user)
            .group_name(group)
    };
    assert_eq!(
        error_code(add("nobody", "readers").send().await).0,
        "UserNotFoundException"
    );
    assert_eq!(
        error_code(add("ann", "nothing").send().await).0,
        "ResourceNotFoundException"
    );
    let remove = |user: &str, group: &str| {
        client
            .admin_remove_user_from_group()
            .user_pool_id(&pool.id)
            .username(user)
            .group_name(group)
    };
    assert_eq!(
        error_code(remove("nobody", "readers").send().await).0,
        "UserNotFoundException"
    );
    assert_eq!(
        error_code(remove("ann", "nothing").send().await).0,
        "ResourceNotFoundException"
    );
    // Taking out a user who is not in the group changes nothing and succeeds.
    remove("ann", "readers").send().await.unwrap();
    let groups_of_nobody = client
        .admin_list_groups_for_user()
        .user_pool_id(&pool.id)
        .username("nobody")
        .send()
        .await;
    assert_eq!(error_code(groups_of_nobody).0, "UserNotFoundException");
    let members_of_nothing = client
        .list_users_in_group()
        .user_pool_id(&pool.id)
        .group_name("nothing")
        .send()
        .await;
    assert_eq!(
        error_code(members_of_nothing).0,
        "ResourceNotFoundException"
    );
    let bad_token = client
        .admin_list_groups_for_user()
        .user_pool_id(&pool.id)
        .username("ann")
        .next_token("garbage")
        .send()
        .await;
    assert_eq!(error_code(bad_token).0, "InvalidParameterException");
}

/// The group claims of an ID and an access token: (groups, roles, preferred role) of the ID
/// token, and the access token's groups.
async fn group_claims(
    harness: &Harness,
    pool: &Pool,
    id_token: &str,
    access_token: &str,
) -> ((Value, Value, Value), Value) {
    let id = verified_claims(harness, &pool.id, id_token).await;
    let access = verified_claims(harness, &pool.id, access_token).await;
    assert!(access.get("cognito:roles").is_none());
    assert!(access.get("cognito:preferred_role").is_none());
    let claim = |claims: &serde_json::Map<String, Value>, name: &str| {
        claims.get(name).cloned().unwrap_or(Value::Null)
    };
    (
        (
            claim(&id, "cognito:groups"),
            claim(&id, "cognito:roles"),
            claim(&id, "cognito:preferred_role"),
        ),
        claim(&access, "cognito:groups"),
    )
}

async fn sign_in(harness: &Harness, pool: &Pool, username: &str) -> (String, String, String) {
    let tokens = harness
        .password_sign_in(pool, username, PASSWORD)
        .await
        .expect("InitiateAuth")
        .authentication_result
        .expect("tokens");
    (
        tokens.id_token.unwrap(),
        tokens.access_token.unwrap(),
        tokens.refresh_token.unwrap(),
    )
}

#[tokio::test]
async fn tokens_name_the_groups_by_precedence_with_their_roles() {
    let harness = Harness::start().await;
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness.confirmed_user(&pool, "ann").await;
    let (id, access, refresh) = sign_in(&harness, &pool, "ann").await;
    let none = ((Value::Null, Value::Null, Value::Null), Value::Null);
    assert_eq!(group_claims(&harness, &pool, &id, &access).await, none);

    create_group(&harness, &pool, "unranked", None, Some(READER_ROLE)).await;
    create_group(&harness, &pool, "readers", Some(5), Some(READER_ROLE)).await;
    create_group(&harness, &pool, "admins", Some(1), Some(ADMIN_ROLE)).await;
    create_group(&harness, &pool, "staff", Some(0), None).await;
    for group in ["unranked", "readers", "admins", "staff"] {
        add(&harness, &pool, "ann", group).await;
    }
    let order = json!(["staff", "admins", "readers", "unranked"]);
    let expected = (
        (
            order.clone(),
            json!([ADMIN_ROLE, READER_ROLE]),
            json!(ADMIN_ROLE),
        ),
        order,
    );
    let (id, access, _) = sign_in(&harness, &pool, "ann").await;
    assert_eq!(group_claims(&harness, &pool, &id, &access).await, expected);
    // Tokens from the refresh token issued before the change show it too.
    let refreshed = harness.refresh(&pool, &refresh).await.unwrap();
    let (id, access) = (refreshed.id_token.unwrap(), refreshed.access_token.unwrap());
    assert_eq!(group_claims(&harness, &pool, &id, &access).await, expected);

    harness
        .client
        .admin_remove_user_from_group()
        .user_pool_id(&pool.id)
        .username("ann")
        .group_name("admins")
        .send()
        .await
        .unwrap();
    let (id, access, _) = sign_in(&harness, &pool, "ann").await;
    let order = json!(["staff", "readers", "unranked"]);
    let expected = (
        (order.clone(), json!([READER_ROLE]), json!(READER_ROLE)),
        order,
    );
    assert_eq!(group_claims(&harness, &pool, &id, &access).await, expected);

    // Two groups of the same precedence with different roles: no role is preferred.
    harness
        .client
        .update_group()
        .user_pool_id(&pool.id)
        .group_name("staff")
        .precedence(5)
        .role_arn(ADMIN_ROLE)
        .send()
        .await
        .unwrap();
    let (id, access, _) = sign_in(&harness, &pool, "ann").await;
    let order = json!(["readers", "staff", "unranked"]);
    let roles = json!([READER_ROLE, ADMIN_ROLE]);
    let expected = ((order.clone(), roles, Value::Null), order);
    assert_eq!(group_claims(&harness, &pool, &id, &access).await, expected);

    for group in ["unranked", "readers", "staff"] {
        harness
            .client
            .delete_group()
            .user_pool_id(&pool.id)
            .group_name(group)
            .send()
            .await
            .unwrap();
    }
    let (id, access, _) = sign_in(&harness, &pool, "ann").await;
    assert_eq!(group_claims(&harness, &pool, &id, &access).await, none);
}
