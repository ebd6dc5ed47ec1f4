"""The platform operations through plain boto3: replicas, point-in-time recovery, CIMD policies,
provisioned limits, and the client-credentials and token-exchange tokens."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError

from support import verify_token


def refused(call, **kwargs) -> str:
    """The error code of a call that must fail."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"]


def test_a_replica_is_created_listed_activated_and_deleted(pool_mfa_off):
    cognito, pool_id = pool_mfa_off.cognito, pool_mfa_off.pool_id
    created = cognito.create_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1")
    assert created["UserPoolReplica"]["Status"] == "INACTIVE"
    assert created["UserPoolReplica"]["Role"] == "SECONDARY"
    roles = [r["Role"] for r in cognito.list_user_pool_replicas(UserPoolId=pool_id)["UserPoolReplicas"]]
    assert roles == ["PRIMARY", "SECONDARY"]
    assert refused(
        cognito.create_user_pool_replica, UserPoolId=pool_id, RegionName="us-east-1"
    ) == "InvalidParameterException"
    cognito.update_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1", Status="ACTIVE")
    assert refused(
        cognito.delete_user_pool_replica, UserPoolId=pool_id, RegionName="eu-west-1"
    ) == "InvalidParameterException"
    cognito.update_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1", Status="INACTIVE")
    deleted = cognito.delete_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1")
    assert deleted["UserPoolReplica"]["Status"] == "DELETING"


def test_a_recovery_point_is_checked_against_the_pools_age(pool_mfa_off):
    cognito, pool_id = pool_mfa_off.cognito, pool_mfa_off.pool_id
    # The pool is seconds old: an hour ago is before it was created.
    code = refused(
        cognito.initiate_point_in_time_recovery,
        UserPoolId=pool_id,
        RestoreTimestamp=time.time() - 3600,
    )
    assert code == "InvalidParameterException"
    assert cognito.list_point_in_time_recoveries(UserPoolId=pool_id)["Restorations"] == []
    unknown = "0b7a8f2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
    for operation in (
        cognito.describe_point_in_time_recovery,
        cognito.start_point_in_time_recovery,
        cognito.cancel_point_in_time_recovery,
    ):
        assert refused(operation, UserPoolId=pool_id, RestoreId=unknown) == "ResourceNotFoundException"


def test_a_cimd_policy_is_kept_for_an_app_client(pool_mfa_off):
    cognito, pool_id = pool_mfa_off.cognito, pool_mfa_off.pool_id
    policy = cognito.create_cimd_policy(
        UserPoolId=pool_id,
        ClientId=pool_mfa_off.client_id,
        PolicyName="agents",
        URLPatterns=["https://agents.example.com/*"],
    )["CIMDPolicy"]
    assert policy["CacheDuration"] == 86400
    named = {"UserPoolId": pool_id, "CIMDPolicyId": policy["CIMDPolicyId"]}
    assert cognito.describe_cimd_policy(**named)["CIMDPolicy"]["PolicyName"] == "agents"
    listed = cognito.list_cimd_policies(UserPoolId=pool_id)["CIMDPolicies"]
    assert [p["CIMDPolicyId"] for p in listed] == [policy["CIMDPolicyId"]]
    assert cognito.list_client_metadata_urls(**named)["ClientMetadataURLs"] == []
    assert refused(
        cognito.update_client_metadata_url_state,
        URL="https://agents.example.com/client.json",
        Action="REFRESH",
        **named,
    ) == "CachedCIMDURLDoesNotExistException"
    cognito.delete_cimd_policy(**named)
    assert refused(cognito.describe_cimd_policy, **named) == "ResourceNotFoundException"


def test_a_provisioned_limit_is_set_within_its_bounds(cognito):
    definition = {"LimitClass": "API_CATEGORY", "Attributes": {"Category": "UserFederation"}}
    limit = cognito.get_provisioned_limit(LimitDefinition=definition)["Limit"]
    free = limit["FreeLimitValue"]
    try:
        raised = cognito.update_provisioned_limit(
            LimitDefinition=definition, RequestedLimitValue=free * 2
        )["Limit"]
        assert raised["ProvisionedLimitValue"] == free * 2
        assert refused(
            cognito.update_provisioned_limit,
            LimitDefinition=definition,
            RequestedLimitValue=free * 1000,
        ) == "ServiceQuotaExceededException"
    finally:
        # The limits are the account's: put this one back for the other tests.
        cognito.update_provisioned_limit(LimitDefinition=definition, RequestedLimitValue=free)


def test_client_credentials_and_token_exchange_issue_signed_tokens(pool_mfa_off):
    pool = pool_mfa_off
    cognito, pool_id = pool.cognito, pool.pool_id
    cognito.create_resource_server(
        UserPoolId=pool_id,
        Identifier="orders",
        Name="Orders",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "read orders"}],
    )
    machine = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="machine",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["orders/read"],
    )["UserPoolClient"]
    result = cognito.get_client_token(
        ClientId=machine["ClientId"], Secret=machine["ClientSecret"]
    )["ClientAuthenticationResult"]
    claims = verify_token(pool, result["AccessToken"])
    assert (claims["sub"], claims["scope"]) == (machine["ClientId"], "orders/read")
    assert refused(
        cognito.get_client_token, ClientId=machine["ClientId"], Secret="x" * 51
    ) == "NotAuthorizedException"

    exchanger = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="exchanger",
        ExplicitAuthFlows=["ALLOW_TOKEN_EXCHANGE_IMPERSONATION"],
    )["UserPoolClient"]["ClientId"]
    user = pool.new_user()
    access = pool.password_auth(user)["AuthenticationResult"]["AccessToken"]
    derived = cognito.get_derived_token(
        ClientId=exchanger,
        SubjectToken=access,
        SubjectTokenType="ACCESS_TOKEN",
        Audiences=["payments"],
    )
    claims = verify_token(pool, derived["IssuedToken"], audience="payments")
    assert claims["username"] == user
    assert claims["client_id"] == exchanger
