"""The token lifecycle and a user's own account through plain boto3: refresh, revocation and
sign-out, changed and reset passwords, a changed email, a disabled and a deleted user."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from support import PASSWORD, WRONG_PASSWORD, verify_token

NEW_PASSWORD = "N3w-Battery-Staple!"
RESET_PASSWORD = "Th1rd-Horse-Shoe!"


def error_code(raised: pytest.ExceptionInfo) -> str:
    return raised.value.response["Error"]["Code"]


def tokens(pool, username: str, password: str = PASSWORD) -> dict:
    return pool.password_auth(username, password)["AuthenticationResult"]


def refused(call, *args, **kwargs) -> str:
    """The error code of a call that must fail."""
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    return error_code(raised)


def refresh(pool, refresh_token: str) -> dict:
    return pool.cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token},
    )


def test_refresh_then_revoke_one_sign_in_then_sign_out_everywhere(pool_mfa_off):
    pool = pool_mfa_off
    user = pool.new_user()
    first, second = tokens(pool, user), tokens(pool, user)
    refreshed = pool.cognito.get_tokens_from_refresh_token(
        ClientId=pool.client_id, RefreshToken=first["RefreshToken"]
    )["AuthenticationResult"]
    claims = verify_token(pool, refreshed["AccessToken"])
    assert claims["username"] == user
    assert "RefreshToken" not in refreshed, "no rotation configured: no new refresh token"

    pool.cognito.revoke_token(ClientId=pool.client_id, Token=first["RefreshToken"])
    for access in (first["AccessToken"], refreshed["AccessToken"]):
        assert refused(pool.cognito.get_user, AccessToken=access) == "NotAuthorizedException"
    assert refused(refresh, pool, first["RefreshToken"]) == "NotAuthorizedException"
    pool.cognito.get_user(AccessToken=second["AccessToken"])

    pool.cognito.global_sign_out(AccessToken=second["AccessToken"])
    assert refused(pool.cognito.get_user, AccessToken=second["AccessToken"]) == "NotAuthorizedException"
    assert refused(refresh, pool, second["RefreshToken"]) == "NotAuthorizedException"
    pool.cognito.get_user(AccessToken=tokens(pool, user)["AccessToken"])


def test_a_password_is_changed_then_reset_with_a_code_from_the_outbox(pool_mfa_off):
    pool = pool_mfa_off
    user = pool.new_user()
    access = tokens(pool, user)["AccessToken"]
    assert (
        refused(
            pool.cognito.change_password,
            AccessToken=access,
            PreviousPassword=WRONG_PASSWORD,
            ProposedPassword=NEW_PASSWORD,
        )
        == "NotAuthorizedException"
    )
    pool.cognito.change_password(
        AccessToken=access, PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD
    )
    assert refused(pool.password_auth, user, PASSWORD) == "NotAuthorizedException"
    tokens(pool, user, NEW_PASSWORD)

    sent = pool.cognito.forgot_password(ClientId=pool.client_id, Username=user)
    assert sent["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    code = pool.latest_code(user)
    wrong = "000000" if code != "000000" else "111111"
    confirm = pool.cognito.confirm_forgot_password
    reset = {"ClientId": pool.client_id, "Username": user, "Password": RESET_PASSWORD}
    assert refused(confirm, ConfirmationCode=wrong, **reset) == "CodeMismatchException"
    confirm(ConfirmationCode=code, **reset)
    tokens(pool, user, RESET_PASSWORD)
    assert refused(confirm, ConfirmationCode=code, **reset) in (
        "ExpiredCodeException",
        "CodeMismatchException",
    ), "a used reset code is not accepted again"


def test_a_changed_email_is_unverified_until_its_code_comes_back(pool_mfa_off):
    pool = pool_mfa_off
    user = pool.new_user()
    access = tokens(pool, user)["AccessToken"]
    changed = pool.cognito.update_user_attributes(
        AccessToken=access,
        UserAttributes=[{"Name": "email", "Value": f"new-{user}@example.com"}],
    )
    assert changed["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"

    def attributes() -> dict:
        got = pool.cognito.admin_get_user(UserPoolId=pool.pool_id, Username=user)
        return {a["Name"]: a["Value"] for a in got["UserAttributes"]}

    assert attributes()["email_verified"] == "false"
    pool.cognito.verify_user_attribute(
        AccessToken=access, AttributeName="email", Code=pool.latest_code(user)
    )
    assert attributes()["email"] == f"new-{user}@example.com"
    assert attributes()["email_verified"] == "true"


def test_a_disabled_user_is_refused_until_enabled_and_a_deleted_one_is_gone(pool_mfa_off):
    pool = pool_mfa_off
    user = pool.new_user()
    before = tokens(pool, user)
    named = {"UserPoolId": pool.pool_id, "Username": user}
    pool.cognito.admin_disable_user(**named)
    assert refused(pool.password_auth, user) == "NotAuthorizedException"
    assert refused(pool.cognito.get_user, AccessToken=before["AccessToken"]) == "NotAuthorizedException"
    assert refused(refresh, pool, before["RefreshToken"]) == "NotAuthorizedException"
    pool.cognito.admin_enable_user(**named)
    pool.cognito.get_user(AccessToken=before["AccessToken"])

    pool.cognito.delete_user(AccessToken=tokens(pool, user)["AccessToken"])
    assert refused(pool.cognito.admin_get_user, **named) == "UserNotFoundException"
    assert refused(pool.cognito.get_user, AccessToken=before["AccessToken"]) == "NotAuthorizedException"
