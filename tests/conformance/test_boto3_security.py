"""Threat protection and sessions through plain boto3: the authentication events of a wrong and
a right password, feedback on them, a risk configuration round trip, and token sessions
listed and revoked."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from support import EXPLICIT_AUTH_FLOWS, PASSWORD, Pool, unique_name

WRONG_PASSWORD = "Wr0ng-Horse-Shoe!"
SES_ARN = "arn:aws:ses:us-east-1:123456789012:identity/security@example.com"


def refused(call, **kwargs) -> str:
    """The error code of a call that must fail."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"]


@pytest.fixture
def threat_pool(cognito, emulator_url):
    """A Plus pool with threat protection in audit mode and no MFA, deleted afterwards."""
    created = cognito.create_user_pool(
        PoolName=unique_name("security"),
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "email", "Required": True, "Mutable": True}],
        UserPoolTier="PLUS",
        UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"},
    )
    pool_id = created["UserPool"]["Id"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="security-app", ExplicitAuthFlows=EXPLICIT_AUTH_FLOWS
    )
    yield Pool(
        cognito=cognito,
        url=emulator_url,
        pool_id=pool_id,
        client_id=client["UserPoolClient"]["ClientId"],
        mfa=False,
    )
    cognito.delete_user_pool(UserPoolId=pool_id)


def test_a_wrong_and_a_right_password_are_events_with_feedback(threat_pool):
    pool = threat_pool
    user = pool.new_user()
    assert refused(pool.password_auth, username=user, password=WRONG_PASSWORD) == (
        "NotAuthorizedException"
    )
    pool.password_auth(user)

    named = {"UserPoolId": pool.pool_id, "Username": user}
    events = pool.cognito.admin_list_user_auth_events(**named)["AuthEvents"]
    seen = [
        (
            e["EventType"],
            e["EventResponse"],
            [c["ChallengeResponse"] for c in e["ChallengeResponses"]],
        )
        for e in events
    ]
    assert seen == [
        ("SignIn", "Pass", ["Success"]),
        ("SignIn", "Fail", ["Failure"]),
        ("SignUp", "Pass", []),
    ]
    assert all(e["EventRisk"]["RiskDecision"] == "NoRisk" for e in events)

    passed, failed = events[0]["EventId"], events[1]["EventId"]
    pool.cognito.admin_update_auth_event_feedback(
        EventId=failed, FeedbackValue="Invalid", **named
    )
    assert refused(
        pool.cognito.update_auth_event_feedback,
        EventId=passed,
        FeedbackToken="not-the-token",
        FeedbackValue="Valid",
        **named,
    ) == "NotAuthorizedException"
    events = pool.cognito.admin_list_user_auth_events(**named)["AuthEvents"]
    assert events[1]["EventFeedback"]["FeedbackValue"] == "Invalid"
    assert events[1]["EventFeedback"]["Provider"] == "Admin"
    assert "EventFeedback" not in events[0]

    paged = pool.cognito.get_paginator("admin_list_user_auth_events")
    pages = list(paged.paginate(PaginationConfig={"PageSize": 2}, **named))
    assert [len(p["AuthEvents"]) for p in pages] == [2, 1]


def test_without_threat_protection_events_are_refused(pool_mfa_off):
    pool = pool_mfa_off
    user = pool.new_user()
    assert refused(
        pool.cognito.admin_list_user_auth_events, UserPoolId=pool.pool_id, Username=user
    ) == "UserPoolAddOnNotEnabledException"


def test_a_risk_configuration_round_trips_for_the_pool_and_a_client(threat_pool):
    pool = threat_pool
    set_answer = pool.cognito.set_risk_configuration(
        UserPoolId=pool.pool_id,
        CompromisedCredentialsRiskConfiguration={
            "EventFilter": ["SIGN_IN", "SIGN_UP"],
            "Actions": {"EventAction": "BLOCK"},
        },
        AccountTakeoverRiskConfiguration={
            "Actions": {
                "LowAction": {"Notify": False, "EventAction": "NO_ACTION"},
                "HighAction": {"Notify": True, "EventAction": "MFA_REQUIRED"},
            },
            "NotifyConfiguration": {
                "SourceArn": SES_ARN,
                "MfaEmail": {"Subject": "Confirm it was you", "TextBody": "Sign-in needs MFA."},
            },
        },
        RiskExceptionConfiguration={"BlockedIPRangeList": ["192.0.2.0/24"]},
    )["RiskConfiguration"]
    described = pool.cognito.describe_risk_configuration(UserPoolId=pool.pool_id)
    assert described["RiskConfiguration"] == set_answer
    assert set_answer["ClientId"] == "ALL"
    high = set_answer["AccountTakeoverRiskConfiguration"]["Actions"]["HighAction"]
    assert high == {"Notify": True, "EventAction": "MFA_REQUIRED"}

    pool.cognito.set_risk_configuration(
        UserPoolId=pool.pool_id,
        ClientId=pool.client_id,
        RiskExceptionConfiguration={"SkippedIPRangeList": ["10.0.0.0/8"]},
    )
    own = pool.cognito.describe_risk_configuration(
        UserPoolId=pool.pool_id, ClientId=pool.client_id
    )["RiskConfiguration"]
    assert own["ClientId"] == pool.client_id
    assert own["RiskExceptionConfiguration"] == {"SkippedIPRangeList": ["10.0.0.0/8"]}
    assert "CompromisedCredentialsRiskConfiguration" not in own

    assert refused(
        pool.cognito.set_risk_configuration,
        UserPoolId=pool.pool_id,
        AccountTakeoverRiskConfiguration={
            "Actions": {"HighAction": {"Notify": True, "EventAction": "BLOCK"}}
        },
    ) == "InvalidParameterException", "a notifying action needs NotifyConfiguration"


def test_sessions_are_listed_and_revoked(threat_pool):
    pool = threat_pool
    pool.cognito.set_user_pool_session_configuration(
        UserPoolId=pool.pool_id,
        UserSessionTracking="ENABLED",
        TokenSession={"MaxPerUser": 5},
    )
    config = pool.cognito.get_user_pool_session_configuration(UserPoolId=pool.pool_id)
    assert config["UserSessionTracking"] == "ENABLED"
    assert config["TokenSession"] == {"MaxPerUser": 5}
    user = pool.new_user()
    first = pool.password_auth(user)["AuthenticationResult"]
    second = pool.password_auth(user)["AuthenticationResult"]

    own = pool.cognito.list_user_sessions(AccessToken=first["AccessToken"])["Sessions"]
    assert [s["IsCurrentSession"] for s in own] == [True, False]
    assert all(s["SessionType"] == "TOKEN" and s["ClientId"] == pool.client_id for s in own)
    assert refused(
        pool.cognito.revoke_user_session,
        AccessToken=first["AccessToken"],
        SessionId=own[0]["SessionId"],
    ) == "InvalidParameterException", "not the calling token's own session"

    pool.cognito.revoke_user_session(
        AccessToken=first["AccessToken"], SessionId=own[1]["SessionId"]
    )
    assert refused(
        pool.cognito.initiate_auth,
        ClientId=pool.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": second["RefreshToken"]},
    ) == "NotAuthorizedException"
    assert refused(pool.cognito.get_user, AccessToken=second["AccessToken"]) == (
        "NotAuthorizedException"
    )

    named = {"UserPoolId": pool.pool_id, "Username": user}
    left = pool.cognito.admin_list_user_sessions(**named)["Sessions"]
    assert [s["SessionId"] for s in left] == [own[0]["SessionId"]]
    pool.cognito.admin_revoke_user_session(SessionId=own[0]["SessionId"], **named)
    assert pool.cognito.admin_list_user_sessions(**named)["Sessions"] == []
    assert refused(pool.cognito.get_user, AccessToken=first["AccessToken"]) == (
        "NotAuthorizedException"
    )
