"""The sign-up-with-MFA scenario through plain boto3 calls, and the wrong turns a user can take.

Device verifiers and device SRP claims are computed with pycognito's own SRP code, so the
emulator is checked against an independent client implementation.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, long_to_hex

from support import (
    ADMIN_SCOPE,
    PASSWORD,
    WRONG_PASSWORD,
    base32_decodes,
    remember_device,
    totp_next,
    totp_now,
    totp_wrong,
    unique_name,
    verify_token,
)


def error_code(raised: pytest.ExceptionInfo) -> str:
    return raised.value.response["Error"]["Code"]


def error_message(raised: pytest.ExceptionInfo) -> str:
    return raised.value.response["Error"]["Message"]


def device_sign_in(pool, username: str, device: dict, password: str = PASSWORD) -> dict:
    """USER_PASSWORD_AUTH with a remembered device: DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER."""
    srp = AWSSRP(
        username=username,
        password=password,
        pool_id=pool.pool_id,
        client_id=pool.client_id,
        client=pool.cognito,
        **device,
    )
    started = pool.password_auth(username, password, DEVICE_KEY=device["device_key"])
    assert started["ChallengeName"] == "DEVICE_SRP_AUTH", started
    internal_username = started["ChallengeParameters"].get("USERNAME", username)
    srp_step = pool.respond(
        started,
        {
            "USERNAME": internal_username,
            "DEVICE_KEY": device["device_key"],
            "SRP_A": long_to_hex(srp.large_a_value),
        },
    )
    assert srp_step["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER", srp_step
    parameters = srp_step["ChallengeParameters"]
    for name in ("SRP_B", "SALT", "SECRET_BLOCK", "USERNAME"):
        assert parameters.get(name), f"DEVICE_PASSWORD_VERIFIER lacks {name}: {parameters}"
    return pool.respond(srp_step, srp.process_device_challenge(parameters))


# -- the scenario ------------------------------------------------------------------------------


def test_whole_scenario(pool):
    cognito = pool.cognito
    username = unique_name()
    email = f"{username}@example.com"

    # Sign up: unconfirmed, a code is emailed.
    signed_up = pool.sign_up(username, email=email)
    assert signed_up["UserConfirmed"] is False
    assert signed_up["UserSub"]
    delivery = signed_up["CodeDeliveryDetails"]
    assert delivery["DeliveryMedium"] == "EMAIL"
    assert delivery["AttributeName"] == "email"
    messages = pool.messages(username)
    assert len(messages) == 1
    assert messages[0]["Destination"] == email
    assert messages[0]["Code"].isdigit()

    user = cognito.admin_get_user(UserPoolId=pool.pool_id, Username=username)
    assert user["UserStatus"] == "UNCONFIRMED"

    # Confirm with the emailed code: confirmed, email verified.
    cognito.confirm_sign_up(
        ClientId=pool.client_id, Username=username, ConfirmationCode=messages[0]["Code"]
    )
    user = cognito.admin_get_user(UserPoolId=pool.pool_id, Username=username)
    assert user["UserStatus"] == "CONFIRMED"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["email"] == email
    assert attributes["email_verified"] == "true"
    assert attributes["sub"] == signed_up["UserSub"]

    # First sign-in: MFA is required and not set up yet.
    challenge = pool.admin_password_auth(username)
    assert challenge["ChallengeName"] == "MFA_SETUP"
    assert challenge["Session"]
    can_setup = challenge["ChallengeParameters"]["MFAS_CAN_SETUP"]
    assert isinstance(can_setup, str)
    assert json.loads(can_setup) == ["SOFTWARE_TOKEN_MFA"]

    # Enrol an authenticator.
    associated = cognito.associate_software_token(Session=challenge["Session"])
    secret = associated["SecretCode"]
    assert len(base32_decodes(secret)) >= 16
    assert associated["Session"]
    verified = cognito.verify_software_token(
        Session=associated["Session"], UserCode=totp_now(secret), FriendlyDeviceName="phone"
    )
    assert verified["Status"] == "SUCCESS"
    assert verified["Session"]

    setup_done = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool.pool_id,
        ClientId=pool.client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": username},
    )
    result = setup_done["AuthenticationResult"]
    for name in ("AccessToken", "IdToken", "RefreshToken"):
        assert result[name]
    assert result["TokenType"] == "Bearer"
    assert result["ExpiresIn"] == 3600
    assert result["NewDeviceMetadata"]["DeviceKey"]
    assert result["NewDeviceMetadata"]["DeviceGroupKey"]

    user = cognito.admin_get_user(UserPoolId=pool.pool_id, Username=username)
    assert "SOFTWARE_TOKEN_MFA" in user.get("UserMFASettingList", [])

    # The next sign-in asks for a TOTP code: the next step's code, as this step's is spent.
    challenge = pool.admin_password_auth(username)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    signed_in = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool.pool_id,
        ClientId=pool.client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": totp_next(secret)},
    )
    result = signed_in["AuthenticationResult"]
    assert result["AccessToken"] and result["IdToken"] and result["RefreshToken"]
    me = cognito.get_user(AccessToken=result["AccessToken"])
    assert me["Username"].lower() == username

    # Remember this device.
    device = remember_device(pool, username, result)
    listed = cognito.list_devices(AccessToken=result["AccessToken"])["Devices"]
    assert device["device_key"] in [d["DeviceKey"] for d in listed]

    # Sign in from the remembered device: no TOTP code asked for.
    device_done = device_sign_in(pool, username, device)
    assert "ChallengeName" not in device_done or not device_done["ChallengeName"]
    result = device_done["AuthenticationResult"]
    assert result["AccessToken"] and result["IdToken"]
    assert "NewDeviceMetadata" not in result
    claims = verify_token(pool, result["AccessToken"])
    assert claims["token_use"] == "access"
    assert claims["client_id"] == pool.client_id
    assert claims["scope"] == ADMIN_SCOPE
    assert claims["device_key"] == device["device_key"]


# -- sign-up mistakes --------------------------------------------------------------------------


def test_wrong_confirmation_code_is_refused_and_the_right_one_still_works(pool):
    username = unique_name()
    pool.sign_up(username)
    code = pool.latest_code(username)
    wrong = f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"

    with pytest.raises(ClientError) as raised:
        pool.cognito.confirm_sign_up(
            ClientId=pool.client_id, Username=username, ConfirmationCode=wrong
        )
    assert error_code(raised) == "CodeMismatchException"
    user = pool.cognito.admin_get_user(UserPoolId=pool.pool_id, Username=username)
    assert user["UserStatus"] == "UNCONFIRMED"

    pool.cognito.confirm_sign_up(ClientId=pool.client_id, Username=username, ConfirmationCode=code)
    user = pool.cognito.admin_get_user(UserPoolId=pool.pool_id, Username=username)
    assert user["UserStatus"] == "CONFIRMED"


def test_resent_code_confirms(pool):
    username = unique_name()
    pool.sign_up(username)
    resent = pool.cognito.resend_confirmation_code(ClientId=pool.client_id, Username=username)
    assert resent["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    messages = pool.messages(username)
    assert len(messages) == 2
    pool.cognito.confirm_sign_up(
        ClientId=pool.client_id, Username=username, ConfirmationCode=messages[-1]["Code"]
    )
    user = pool.cognito.admin_get_user(UserPoolId=pool.pool_id, Username=username)
    assert user["UserStatus"] == "CONFIRMED"


@pytest.mark.parametrize("spelling", ["same", "upper-case"])
def test_duplicate_sign_up_of_unconfirmed_user(pool, spelling):
    username = unique_name()
    pool.sign_up(username)
    again = username if spelling == "same" else username.upper()
    with pytest.raises(ClientError) as raised:
        pool.sign_up(again, email=f"other-{username}@example.com")
    assert error_code(raised) == "UsernameExistsException"


def test_unconfirmed_user_cannot_sign_in(pool):
    username = unique_name()
    pool.sign_up(username)
    with pytest.raises(ClientError) as raised:
        pool.admin_password_auth(username)
    assert error_code(raised) == "UserNotConfirmedException"


# -- password and TOTP mistakes ----------------------------------------------------------------


@pytest.mark.parametrize("flow", ["ADMIN_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"])
def test_wrong_password(pool, flow):
    username = pool.new_user()
    with pytest.raises(ClientError) as raised:
        if flow == "ADMIN_USER_PASSWORD_AUTH":
            pool.admin_password_auth(username, WRONG_PASSWORD)
        else:
            pool.password_auth(username, WRONG_PASSWORD)
    assert error_code(raised) == "NotAuthorizedException"
    assert error_message(raised) == "Incorrect username or password."


def test_username_is_case_insensitive_at_sign_in(pool):
    username = pool.new_user()
    challenge = pool.admin_password_auth(username.upper())
    assert challenge["ChallengeName"] == "MFA_SETUP"


def test_wrong_totp_at_verify_software_token(pool):
    username = pool.new_user()
    challenge = pool.admin_password_auth(username)
    associated = pool.cognito.associate_software_token(Session=challenge["Session"])
    secret = associated["SecretCode"]

    with pytest.raises(ClientError) as raised:
        pool.cognito.verify_software_token(
            Session=associated["Session"], UserCode=totp_wrong(secret)
        )
    assert error_code(raised) == "EnableSoftwareTokenMFAException"

    # The authenticator is not enrolled: the next sign-in still asks for MFA_SETUP.
    challenge = pool.admin_password_auth(username)
    assert challenge["ChallengeName"] == "MFA_SETUP"


def test_wrong_totp_at_sign_in(pool):
    username = pool.new_user()
    enrolment = pool.enrol_totp(username)
    challenge = pool.admin_password_auth(username)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    with pytest.raises(ClientError) as raised:
        pool.respond(
            challenge,
            {"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": totp_wrong(enrolment.secret)},
        )
    assert error_code(raised) == "CodeMismatchException"


def test_spent_totp_code_is_refused(pool):
    """The code VerifySoftwareToken accepted cannot be used again in the same time step."""
    username = pool.new_user()
    challenge = pool.admin_password_auth(username)
    associated = pool.cognito.associate_software_token(Session=challenge["Session"])
    secret = associated["SecretCode"]
    code = totp_now(secret)
    verified = pool.cognito.verify_software_token(Session=associated["Session"], UserCode=code)
    pool.cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool.pool_id,
        ClientId=pool.client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": username},
    )
    challenge = pool.admin_password_auth(username)
    with pytest.raises(ClientError) as raised:
        pool.respond(challenge, {"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": code})
    assert error_code(raised) == "ExpiredCodeException"


# -- devices -----------------------------------------------------------------------------------


def test_wrong_device_password_is_refused(pool):
    username = pool.new_user()
    enrolment = pool.enrol_totp(username)
    device = remember_device(pool, username, enrolment.result)
    impostor = dict(device, device_password=device["device_password"][::-1])
    with pytest.raises(ClientError) as raised:
        device_sign_in(pool, username, impostor)
    assert error_code(raised) == "NotAuthorizedException"


def test_forgotten_device_cannot_sign_in(pool):
    username = pool.new_user()
    enrolment = pool.enrol_totp(username)
    access_token = enrolment.result["AccessToken"]
    device = remember_device(pool, username, enrolment.result)

    pool.cognito.forget_device(AccessToken=access_token, DeviceKey=device["device_key"])
    listed = pool.cognito.list_devices(AccessToken=access_token)["Devices"]
    assert device["device_key"] not in [d["DeviceKey"] for d in listed]

    with pytest.raises(ClientError) as raised:
        device_sign_in(pool, username, device)
    assert error_code(raised) == "ResourceNotFoundException"
    assert error_message(raised) == "Device does not exist."
