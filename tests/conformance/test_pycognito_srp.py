"""USER_SRP_AUTH and PASSWORD_VERIFIER driven by pycognito's AWSSRP against the emulator.

AWSSRP makes the InitiateAuth / RespondToAuthChallenge calls itself through the boto3 client it
is given. It raises SoftwareTokenMFAChallengeException when the answer to PASSWORD_VERIFIER is
a SOFTWARE_TOKEN_MFA challenge, and returns any other answer as it came.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, generate_hash_device
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from support import PASSWORD, WRONG_PASSWORD, totp_next, verify_token


def srp_for(pool, username: str, password: str = PASSWORD, **device) -> AWSSRP:
    return AWSSRP(
        username=username,
        password=password,
        pool_id=pool.pool_id,
        client_id=pool.client_id,
        client=pool.cognito,
        **device,
    )


def test_srp_reaches_the_totp_challenge_and_a_code_finishes_it(pool):
    username = pool.new_user()
    enrolment = pool.enrol_totp(username)

    with pytest.raises(SoftwareTokenMFAChallengeException) as raised:
        srp_for(pool, username).authenticate_user()
    challenge = raised.value.get_tokens()
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert challenge["Session"]

    done = pool.respond(
        challenge,
        {"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": totp_next(enrolment.secret)},
    )
    claims = verify_token(pool, done["AuthenticationResult"]["IdToken"], audience=pool.client_id)
    assert claims["cognito:username"].lower() == username


def test_srp_for_a_user_without_an_authenticator_asks_for_mfa_setup(pool):
    username = pool.new_user()
    answer = srp_for(pool, username).authenticate_user()
    assert answer["ChallengeName"] == "MFA_SETUP"
    assert answer["Session"]
    assert "AuthenticationResult" not in answer


@pytest.mark.parametrize("mfa", [True, False], ids=["mfa-on", "mfa-off"])
def test_srp_wrong_password(make_pool, mfa):
    pool = make_pool(mfa=mfa)
    username = pool.new_user()
    with pytest.raises(ClientError) as raised:
        srp_for(pool, username, WRONG_PASSWORD).authenticate_user()
    assert raised.value.response["Error"]["Code"] == "NotAuthorizedException"
    assert raised.value.response["Error"]["Message"] == "Incorrect username or password."


def test_srp_unknown_user(pool):
    with pytest.raises(ClientError) as raised:
        srp_for(pool, "nobody-here").authenticate_user()
    # Which of the two depends on the client's PreventUserExistenceErrors; never tokens.
    assert raised.value.response["Error"]["Code"] in {
        "UserNotFoundException",
        "NotAuthorizedException",
    }


def test_srp_without_mfa_returns_tokens(pool_mfa_off):
    pool = pool_mfa_off
    username = pool.new_user()
    answer = srp_for(pool, username).authenticate_user()
    result = answer["AuthenticationResult"]
    assert result["AccessToken"] and result["IdToken"] and result["RefreshToken"]
    claims = verify_token(pool, result["AccessToken"])
    assert claims["username"].lower() == username
    assert claims["token_use"] == "access"


def test_srp_username_is_case_insensitive(pool_mfa_off):
    pool = pool_mfa_off
    username = pool.new_user()
    answer = srp_for(pool, username.upper()).authenticate_user()
    claims = verify_token(pool, answer["AuthenticationResult"]["IdToken"], audience=pool.client_id)
    assert claims["cognito:username"].lower() == username


def test_srp_with_a_remembered_device_skips_totp(pool):
    username = pool.new_user()
    enrolment = pool.enrol_totp(username)
    metadata = enrolment.result["NewDeviceMetadata"]
    device_password, verifier_config = generate_hash_device(
        metadata["DeviceGroupKey"], metadata["DeviceKey"]
    )
    confirmed = pool.cognito.confirm_device(
        AccessToken=enrolment.result["AccessToken"],
        DeviceKey=metadata["DeviceKey"],
        DeviceSecretVerifierConfig=verifier_config,
        DeviceName="pycognito",
    )
    assert confirmed["UserConfirmationNecessary"] is False

    srp = srp_for(
        pool,
        username,
        device_key=metadata["DeviceKey"],
        device_group_key=metadata["DeviceGroupKey"],
        device_password=device_password,
    )
    answer = srp.authenticate_user()
    result = answer["AuthenticationResult"]
    claims = verify_token(pool, result["AccessToken"])
    assert claims["device_key"] == metadata["DeviceKey"]
