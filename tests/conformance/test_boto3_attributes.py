"""Custom attributes and user import through plain boto3: a schema with constraints, the
values it refuses, GetCSVHeader, and an import job whose CSV is PUT to its pre-signed URL with
urllib, ending in the imported user's password reset."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

import support
from support import PASSWORD, unverified_claims

ROLE = "arn:aws:iam::000000000000:role/CognitoImport"
# The upload goes straight to the emulator, never through a proxy.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def refused(call, **kwargs) -> tuple[str, str]:
    """The error code and message of a call that must fail."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def custom_pool(cognito, emulator_url) -> support.Pool:
    created = cognito.create_user_pool(
        PoolName=support.unique_name("attributes"),
        AutoVerifiedAttributes=["email"],
        Schema=[
            {"Name": "email", "Required": True, "Mutable": True},
            {
                "Name": "nick",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MinLength": "2", "MaxLength": "5"},
            },
            {
                "Name": "age",
                "AttributeDataType": "Number",
                "NumberAttributeConstraints": {"MinValue": "18", "MaxValue": "120"},
            },
        ],
    )
    pool_id = created["UserPool"]["Id"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="attributes-app",
        ExplicitAuthFlows=support.EXPLICIT_AUTH_FLOWS,
    )
    yield support.Pool(
        cognito=cognito,
        url=emulator_url,
        pool_id=pool_id,
        client_id=client["UserPoolClient"]["ClientId"],
        mfa=False,
    )
    cognito.delete_user_pool(UserPoolId=pool_id)


def sign_up(pool: support.Pool, username: str, **attributes: str) -> dict:
    return pool.cognito.sign_up(
        ClientId=pool.client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[
            {"Name": wire_name(name), "Value": value} for name, value in attributes.items()
        ],
    )


def wire_name(keyword: str) -> str:
    """`custom_age` is `custom:age`; standard names are as they are."""
    return keyword.replace("_", ":", 1) if keyword.startswith("custom_") else keyword


def test_custom_attributes_keep_their_constraints(custom_pool):
    pool, cognito = custom_pool, custom_pool.cognito
    schema = cognito.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]["SchemaAttributes"]
    age = next(a for a in schema if a["Name"] == "custom:age")
    assert age["NumberAttributeConstraints"] == {"MinValue": "18", "MaxValue": "120"}

    code, message = refused(sign_up, pool=pool, username="kid", email="kid@example.com", custom_age="12")
    assert code == "InvalidParameterException"
    assert message.endswith("custom:age: Number must be no less than 18")
    code, message = refused(sign_up, pool=pool, username="long", email="l@example.com", custom_nick="toolong")
    assert code == "InvalidParameterException" and "custom:nick" in message
    code, message = refused(sign_up, pool=pool, username="anon", custom_age="30")
    assert message.endswith("email: The attribute is required")

    sign_up(pool, "ada", email="ada@example.com", custom_age="36", custom_nick="ada")
    cognito.admin_confirm_sign_up(UserPoolId=pool.pool_id, Username="ada")
    tokens = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    claims = unverified_claims(tokens["IdToken"])
    assert claims["custom:age"] == "36"

    cognito.add_custom_attributes(
        UserPoolId=pool.pool_id,
        CustomAttributes=[{"Name": "plan", "AttributeDataType": "String"}],
    )
    code, _ = refused(
        cognito.add_custom_attributes,
        UserPoolId=pool.pool_id,
        CustomAttributes=[{"Name": "plan", "AttributeDataType": "String"}],
    )
    assert code == "InvalidParameterException"


def upload(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="PUT")
    try:
        with _DIRECT.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_imported_user_resets_its_password(custom_pool):
    pool, cognito = custom_pool, custom_pool.cognito
    header = cognito.get_csv_header(UserPoolId=pool.pool_id)["CSVHeader"]
    assert header[-2:] == ["cognito:mfa_enabled", "cognito:username"]
    assert "custom:nick" in header and "custom:age" in header
    values = {
        "cognito:username": "imported",
        "email": "imported@example.com",
        "email_verified": "TRUE",
        "cognito:mfa_enabled": "FALSE",
        "custom:age": "40",
    }
    csv = ",".join(header) + "\n" + ",".join(values.get(column, "") for column in header) + "\n"

    job = cognito.create_user_import_job(
        UserPoolId=pool.pool_id, JobName="conformance", CloudWatchLogsRoleArn=ROLE
    )["UserImportJob"]
    assert job["Status"] == "Created"
    assert upload(job["PreSignedUrl"] + "x", csv.encode()) == 403
    assert upload(job["PreSignedUrl"], csv.encode()) == 200
    started = cognito.start_user_import_job(UserPoolId=pool.pool_id, JobId=job["JobId"])
    assert started["UserImportJob"]["Status"] == "Pending"
    for _ in range(200):
        described = cognito.describe_user_import_job(UserPoolId=pool.pool_id, JobId=job["JobId"])
        if described["UserImportJob"]["Status"] not in ("Pending", "InProgress"):
            break
        time.sleep(0.05)
    finished = described["UserImportJob"]
    assert finished["Status"] == "Succeeded"
    assert (finished["ImportedUsers"], finished["FailedUsers"]) == (1, 0)
    listed = cognito.list_user_import_jobs(UserPoolId=pool.pool_id, MaxResults=10)
    assert [j["JobId"] for j in listed["UserImportJobs"]] == [job["JobId"]]

    user = cognito.admin_get_user(UserPoolId=pool.pool_id, Username="imported")
    assert user["UserStatus"] == "RESET_REQUIRED"
    code, _ = refused(
        cognito.initiate_auth,
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "imported", "PASSWORD": PASSWORD},
    )
    assert code == "PasswordResetRequiredException"
    cognito.forgot_password(ClientId=pool.client_id, Username="imported")
    cognito.confirm_forgot_password(
        ClientId=pool.client_id,
        Username="imported",
        ConfirmationCode=pool.latest_code("imported"),
        Password=PASSWORD,
    )
    tokens = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "imported", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    assert unverified_claims(tokens["IdToken"])["custom:age"] == "40"
