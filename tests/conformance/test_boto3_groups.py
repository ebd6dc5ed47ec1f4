"""User pool groups through plain boto3: a group's life cycle, paging with boto3's own
paginators, membership both ways, and `cognito:groups` in tokens checked with PyJWT."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from support import verify_token

ROLE = "arn:aws:iam::123456789012:role/editors"


def refused(call, **kwargs) -> str:
    """The error code of a call that must fail."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"]


def paged(cognito, operation: str, key: str, **kwargs) -> list[list]:
    """Every page boto3's paginator for `operation` fetches, one item each."""
    pages = cognito.get_paginator(operation).paginate(
        PaginationConfig={"PageSize": 1}, **kwargs
    )
    return [page[key] for page in pages]


def test_a_group_lives_from_creation_to_deletion(pool_mfa_off):
    pool, cognito = pool_mfa_off, pool_mfa_off.cognito
    created = cognito.create_group(
        UserPoolId=pool.pool_id,
        GroupName="editors",
        Description="who edits",
        Precedence=2,
        RoleArn=ROLE,
    )["Group"]
    assert created["GroupName"] == "editors"
    assert created["UserPoolId"] == pool.pool_id
    assert (created["Precedence"], created["RoleArn"]) == (2, ROLE)
    # boto3 turns the API's dates into datetimes.
    assert created["CreationDate"].year >= 2024
    assert created["LastModifiedDate"] == created["CreationDate"]
    named = {"UserPoolId": pool.pool_id, "GroupName": "editors"}
    assert cognito.get_group(**named)["Group"] == created
    assert refused(cognito.create_group, **named) == "GroupExistsException"

    updated = cognito.update_group(Description="who edits now", Precedence=1, **named)["Group"]
    assert (updated["Description"], updated["Precedence"]) == ("who edits now", 1)

    cognito.delete_group(**named)
    assert refused(cognito.get_group, **named) == "ResourceNotFoundException"
    assert refused(cognito.delete_group, **named) == "ResourceNotFoundException"


def test_groups_and_members_page_with_boto3s_paginators(pool_mfa_off):
    pool, cognito = pool_mfa_off, pool_mfa_off.cognito
    for name in ["c", "a", "b"]:
        cognito.create_group(UserPoolId=pool.pool_id, GroupName=name)
    pages = paged(cognito, "list_groups", "Groups", UserPoolId=pool.pool_id)
    assert [[group["GroupName"] for group in page] for page in pages] == [["a"], ["b"], ["c"]]

    users = sorted(pool.new_user() for _ in range(3))
    for user in users:
        cognito.admin_add_user_to_group(UserPoolId=pool.pool_id, Username=user, GroupName="a")
    # Adding a member again is no error and adds nobody.
    cognito.admin_add_user_to_group(UserPoolId=pool.pool_id, Username=users[0], GroupName="a")
    cognito.admin_add_user_to_group(UserPoolId=pool.pool_id, Username=users[0], GroupName="b")
    members = paged(
        cognito, "list_users_in_group", "Users", UserPoolId=pool.pool_id, GroupName="a"
    )
    assert [[user["Username"] for user in page] for page in members] == [[u] for u in users]
    groups = paged(
        cognito, "admin_list_groups_for_user", "Groups", UserPoolId=pool.pool_id, Username=users[0]
    )
    assert [[group["GroupName"] for group in page] for page in groups] == [["a"], ["b"]]

    cognito.admin_remove_user_from_group(
        UserPoolId=pool.pool_id, Username=users[1], GroupName="a"
    )
    left = cognito.list_users_in_group(UserPoolId=pool.pool_id, GroupName="a")["Users"]
    assert [user["Username"] for user in left] == [users[0], users[2]]

    assert refused(
        cognito.list_groups, UserPoolId=pool.pool_id, NextToken="not-a-token"
    ) == "InvalidParameterException"
    assert refused(
        cognito.admin_add_user_to_group, UserPoolId=pool.pool_id, Username="nobody", GroupName="a"
    ) == "UserNotFoundException"
    assert refused(
        cognito.admin_add_user_to_group, UserPoolId=pool.pool_id, Username=users[0], GroupName="z"
    ) == "ResourceNotFoundException"


def test_tokens_carry_the_groups_by_precedence(pool_mfa_off):
    pool, cognito = pool_mfa_off, pool_mfa_off.cognito
    user = pool.new_user()
    before = pool.password_auth(user)["AuthenticationResult"]
    assert "cognito:groups" not in verify_token(pool, before["IdToken"], pool.client_id)
    assert "cognito:groups" not in verify_token(pool, before["AccessToken"])

    cognito.create_group(UserPoolId=pool.pool_id, GroupName="readers", Precedence=9)
    cognito.create_group(
        UserPoolId=pool.pool_id, GroupName="editors", Precedence=1, RoleArn=ROLE
    )
    for group in ["readers", "editors"]:
        cognito.admin_add_user_to_group(UserPoolId=pool.pool_id, Username=user, GroupName=group)
    after = pool.password_auth(user)["AuthenticationResult"]
    id_claims = verify_token(pool, after["IdToken"], pool.client_id)
    access_claims = verify_token(pool, after["AccessToken"])
    assert id_claims["cognito:groups"] == ["editors", "readers"]
    assert access_claims["cognito:groups"] == ["editors", "readers"]
    assert id_claims["cognito:roles"] == [ROLE]
    assert id_claims["cognito:preferred_role"] == ROLE
    assert "cognito:roles" not in access_claims
