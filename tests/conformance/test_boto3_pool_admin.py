"""Configuring pools and app clients after they are made, through plain boto3: updates that
reset what they leave out and change what later calls do, client-secret rotation (SECRET_HASH
from the old and the new secret), tags on the pool's ARN, and listing clients page by page."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from botocore.exceptions import ClientError

from support import PASSWORD, unique_name, unverified_claims


def refused(call, **kwargs) -> str:
    """The error code of a call that must fail."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"]


def secret_hash(secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_update_user_pool_resets_what_it_leaves_out_and_sign_up_follows_it(pool_mfa_off):
    pool = pool_mfa_off
    cognito = pool.cognito
    cognito.update_user_pool(
        UserPoolId=pool.pool_id,
        AutoVerifiedAttributes=["email"],
        Policies={"PasswordPolicy": {"MinimumLength": 24}},
        UserPoolTags={"stage": "conformance"},
    )
    assert refused(
        cognito.sign_up,
        ClientId=pool.client_id,
        Username="short-one",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "short@example.com"}],
    ) == "InvalidPasswordException"
    described = cognito.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 24
    assert described["UserPoolTags"] == {"stage": "conformance"}

    # Only the MFA setting: the policy goes back to its default, so the 14-character password
    # is accepted again, and email is no longer verified, so sign-up sends no code.
    cognito.update_user_pool(UserPoolId=pool.pool_id, MfaConfiguration="OFF")
    described = cognito.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    assert described["AutoVerifiedAttributes"] == []
    assert "DeviceConfiguration" not in described
    signed_up = pool.sign_up("after-reset")
    assert "CodeDeliveryDetails" not in signed_up
    assert pool.messages("after-reset") == []


def test_update_user_pool_client_changes_flows_and_token_lifetime(pool_mfa_off):
    pool = pool_mfa_off
    cognito = pool.cognito
    user = pool.new_user()
    cognito.update_user_pool_client(
        UserPoolId=pool.pool_id,
        ClientId=pool.client_id,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=15,
        TokenValidityUnits={"AccessToken": "minutes"},
    )
    access = pool.password_auth(user)["AuthenticationResult"]["AccessToken"]
    claims = unverified_claims(access)
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert refused(pool.admin_password_auth, username=user) == "InvalidParameterException"

    described = cognito.update_user_pool_client(
        UserPoolId=pool.pool_id, ClientId=pool.client_id
    )["UserPoolClient"]
    assert described["AccessTokenValidity"] == 1
    assert "ALLOW_USER_PASSWORD_AUTH" not in described["ExplicitAuthFlows"]
    assert refused(pool.password_auth, username=user) == "InvalidParameterException"


def test_client_secret_rotation_accepts_either_secret_until_the_old_one_goes(make_pool):
    pool = make_pool(mfa=False)
    cognito = pool.cognito
    client = cognito.create_user_pool_client(
        UserPoolId=pool.pool_id,
        ClientName="confidential",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    client_id, old_secret = client["ClientId"], client["ClientSecret"]
    user = pool.new_user()

    def sign_in(secret: str) -> dict:
        return cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={
                "USERNAME": user,
                "PASSWORD": PASSWORD,
                "SECRET_HASH": secret_hash(secret, user, client_id),
            },
        )

    added = cognito.add_user_pool_client_secret(UserPoolId=pool.pool_id, ClientId=client_id)
    new_secret = added["ClientSecretDescriptor"]["ClientSecretValue"]
    sign_in(old_secret)
    sign_in(new_secret)
    listed = cognito.list_user_pool_client_secrets(UserPoolId=pool.pool_id, ClientId=client_id)
    secrets = listed["ClientSecrets"]
    assert len(secrets) == 2
    assert all("ClientSecretValue" not in s for s in secrets)
    assert refused(
        cognito.add_user_pool_client_secret, UserPoolId=pool.pool_id, ClientId=client_id
    ) == "LimitExceededException"

    old_id = secrets[0]["ClientSecretId"]
    cognito.delete_user_pool_client_secret(
        UserPoolId=pool.pool_id, ClientId=client_id, ClientSecretId=old_id
    )
    with pytest.raises(ClientError) as raised:
        sign_in(old_secret)
    assert raised.value.response["Error"]["Code"] == "NotAuthorizedException"
    refresh = sign_in(new_secret)["AuthenticationResult"]["RefreshToken"]
    cognito.revoke_token(Token=refresh, ClientId=client_id, ClientSecret=new_secret)
    assert refused(
        cognito.delete_user_pool_client_secret,
        UserPoolId=pool.pool_id,
        ClientId=client_id,
        ClientSecretId=added["ClientSecretDescriptor"]["ClientSecretId"],
    ) == "InvalidParameterException"


def test_tags_on_the_pool_arn(pool_mfa_off):
    pool = pool_mfa_off
    cognito = pool.cognito
    arn = cognito.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]["Arn"]
    cognito.tag_resource(ResourceArn=arn, Tags={"env": "test", "owner": "me"})
    cognito.untag_resource(ResourceArn=arn, TagKeys=["owner"])
    assert cognito.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "test"}
    too_many = {f"k{n}": "v" for n in range(50)}
    assert refused(cognito.tag_resource, ResourceArn=arn, Tags=too_many) == (
        "InvalidParameterException"
    )
    unknown = arn.rsplit("/", 1)[0] + "/us-east-1_nonexist"
    assert refused(cognito.list_tags_for_resource, ResourceArn=unknown) == (
        "ResourceNotFoundException"
    )


def test_list_user_pool_clients_pages_with_the_paginator(pool_mfa_off):
    pool = pool_mfa_off
    cognito = pool.cognito
    made = {pool.client_id}
    for n in range(4):
        made.add(
            cognito.create_user_pool_client(UserPoolId=pool.pool_id, ClientName=f"extra-{n}")[
                "UserPoolClient"
            ]["ClientId"]
        )
    paginator = cognito.get_paginator("list_user_pool_clients")
    pages = list(
        paginator.paginate(UserPoolId=pool.pool_id, PaginationConfig={"PageSize": 2})
    )
    assert len(pages) == 3
    listed = [c["ClientId"] for page in pages for c in page["UserPoolClients"]]
    assert sorted(listed) == sorted(made)


def test_get_user_pool_mfa_config_and_ui_customization(pool):
    cognito = pool.cognito
    config = cognito.get_user_pool_mfa_config(UserPoolId=pool.pool_id)
    assert config["MfaConfiguration"] == "ON"
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    css = ".submitButton-customizable { background-color: green; }"
    assert refused(
        cognito.set_ui_customization, UserPoolId=pool.pool_id, ClientId="ALL", CSS=css
    ) == "InvalidParameterException", "the hosted pages need a domain first"
    cognito.create_user_pool_domain(UserPoolId=pool.pool_id, Domain=unique_name("branding"))
    cognito.set_ui_customization(UserPoolId=pool.pool_id, ClientId="ALL", CSS=css)
    got = cognito.get_ui_customization(UserPoolId=pool.pool_id, ClientId=pool.client_id)
    assert got["UICustomization"]["CSS"] == css
    assert refused(
        cognito.set_ui_customization, UserPoolId=pool.pool_id, CSS="body { color: red }"
    ) == "InvalidParameterException"
