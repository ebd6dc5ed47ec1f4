"""An administrator's side of the same accounts through plain boto3: devices, attributes,
MFA preferences, password resets and signing a user out everywhere."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from support import PASSWORD, remember_device

RESET_PASSWORD = "Th1rd-Horse-Shoe!"


def refused(call, **kwargs) -> str:
    """The error code of a call that must fail."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"]


def attributes(pool, username: str) -> dict:
    got = pool.cognito.admin_get_user(UserPoolId=pool.pool_id, Username=username)
    return {a["Name"]: a["Value"] for a in got["UserAttributes"]}


def test_an_administrator_reads_updates_and_forgets_a_users_device(pool_mfa_off):
    pool = pool_mfa_off
    user = pool.new_user()
    result = pool.password_auth(user)["AuthenticationResult"]
    key = remember_device(pool, user, result)["device_key"]
    named = {"UserPoolId": pool.pool_id, "Username": user}
    own = pool.cognito.get_device(AccessToken=result["AccessToken"], DeviceKey=key)
    assert own["Device"]["DeviceKey"] == key
    listed = pool.cognito.admin_list_devices(Limit=10, **named)
    assert [d["DeviceKey"] for d in listed["Devices"]] == [key]

    pool.cognito.admin_update_device_status(
        DeviceKey=key, DeviceRememberedStatus="not_remembered", **named
    )
    device = pool.cognito.admin_get_device(DeviceKey=key, **named)["Device"]
    status = {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}
    assert status["dev:device_remembered_status"] == "not_remembered"

    pool.cognito.admin_forget_device(DeviceKey=key, **named)
    assert refused(pool.cognito.admin_get_device, DeviceKey=key, **named) == (
        "ResourceNotFoundException"
    )


def test_an_administrator_changes_and_deletes_attributes(pool_mfa_off):
    pool = pool_mfa_off
    user = pool.new_user()
    named = {"UserPoolId": pool.pool_id, "Username": user}
    pool.cognito.admin_update_user_attributes(
        UserAttributes=[
            {"Name": "email", "Value": f"admin-{user}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        **named,
    )
    assert attributes(pool, user)["email"] == f"admin-{user}@example.com"
    assert attributes(pool, user)["email_verified"] == "true"
    assert refused(
        pool.cognito.admin_delete_user_attributes, UserAttributeNames=["email"], **named
    ) == "InvalidParameterException", "email is required in this pool"

    access = pool.password_auth(user)["AuthenticationResult"]["AccessToken"]
    sent = pool.cognito.get_user_attribute_verification_code(
        AccessToken=access, AttributeName="email"
    )
    assert sent["CodeDeliveryDetails"]["AttributeName"] == "email"
    pool.cognito.delete_user_attributes(AccessToken=access, UserAttributeNames=["email_verified"])
    assert "email_verified" not in attributes(pool, user)


def test_mfa_preference_is_kept_and_reported(pool):
    user = pool.new_user()
    enrolment = pool.enrol_totp(user)
    access = enrolment.result["AccessToken"]
    pool.cognito.set_user_mfa_preference(
        AccessToken=access,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    got = pool.cognito.admin_get_user(UserPoolId=pool.pool_id, Username=user)
    assert got["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert got["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert refused(
        pool.cognito.admin_set_user_mfa_preference,
        UserPoolId=pool.pool_id,
        Username=user,
        SMSMfaSettings={"Enabled": True},
    ) == "InvalidParameterException", "the emulator has no SMS"


def test_an_administrator_resets_a_password_and_signs_a_user_out(pool_mfa_off):
    pool = pool_mfa_off
    user = pool.new_user()
    named = {"UserPoolId": pool.pool_id, "Username": user}
    before = pool.password_auth(user)["AuthenticationResult"]
    pool.cognito.admin_user_global_sign_out(**named)
    assert refused(pool.cognito.get_user, AccessToken=before["AccessToken"]) == (
        "NotAuthorizedException"
    )

    pool.cognito.admin_reset_user_password(**named)
    assert refused(pool.password_auth, username=user, password=PASSWORD) == (
        "PasswordResetRequiredException"
    )
    pool.cognito.confirm_forgot_password(
        ClientId=pool.client_id,
        Username=user,
        ConfirmationCode=pool.latest_code(user),
        Password=RESET_PASSWORD,
    )
    assert pool.password_auth(user, RESET_PASSWORD)["AuthenticationResult"]["IdToken"]
