"""GetUserAuthFactors and AdminGetUserAuthFactors through plain boto3: a confirmed user's
password and verified email, and the documented refusals."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from support import PASSWORD


def refused(call, **kwargs) -> str:
    """The error code of a call that must fail."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"]


def test_a_users_auth_factors_follow_the_sign_in_policy(pool_mfa_off):
    pool, cognito = pool_mfa_off, pool_mfa_off.cognito
    cognito.update_user_pool(
        UserPoolId=pool.pool_id,
        AutoVerifiedAttributes=["email"],
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
    )
    user = pool.new_user()
    access = pool.password_auth(user, PASSWORD)["AuthenticationResult"]["AccessToken"]
    own = cognito.get_user_auth_factors(AccessToken=access)
    assert own["Username"] == user
    assert own["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]
    assert "UserMFASettingList" not in own
    admin = cognito.admin_get_user_auth_factors(UserPoolId=pool.pool_id, Username=user)
    assert admin["ConfiguredUserAuthFactors"] == own["ConfiguredUserAuthFactors"]


def test_unknown_tokens_users_and_pools_are_refused(pool_mfa_off):
    pool, cognito = pool_mfa_off, pool_mfa_off.cognito
    assert refused(cognito.get_user_auth_factors, AccessToken="not-a-token") == "NotAuthorizedException"
    assert refused(
        cognito.admin_get_user_auth_factors, UserPoolId=pool.pool_id, Username="nobody"
    ) == "UserNotFoundException"
    assert refused(
        cognito.admin_get_user_auth_factors, UserPoolId="us-east-1_Missing00", Username="nobody"
    ) == "ResourceNotFoundException"
