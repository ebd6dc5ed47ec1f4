"""Federation through plain boto3: an OIDC and a SAML identity provider from creation to
deletion, an external identity linked to a user and unlinked, resource servers with custom
scopes, a user-pool domain, and the pool's SAML signing certificate."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""

OIDC_DETAILS = {
    "client_id": "corp-client",
    "client_secret": "corp-secret",
    "attributes_request_method": "GET",
    "oidc_issuer": "https://idp.example.com",
    "authorize_scopes": "openid email",
}


def refused(call, **kwargs) -> str:
    """The error code of a call that must fail."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"]


def identities(pool, username: str) -> list:
    got = pool.cognito.admin_get_user(UserPoolId=pool.pool_id, Username=username)
    values = {a["Name"]: a["Value"] for a in got["UserAttributes"]}
    return json.loads(values.get("identities", "[]"))


def test_an_oidc_provider_from_creation_to_deletion(pool_mfa_off):
    pool = pool_mfa_off
    cognito, named = pool.cognito, {"UserPoolId": pool.pool_id, "ProviderName": "Corporate"}
    created = cognito.create_identity_provider(
        ProviderType="OIDC",
        ProviderDetails=OIDC_DETAILS,
        AttributeMapping={"email": "email"},
        IdpIdentifiers=["corp.example"],
        **named,
    )["IdentityProvider"]
    assert created["ProviderDetails"]["oidc_issuer"] == "https://idp.example.com"
    assert created["AttributeMapping"] == {"email": "email", "username": "sub"}
    assert refused(
        cognito.create_identity_provider, ProviderType="OIDC", ProviderDetails=OIDC_DETAILS, **named
    ) == "DuplicateProviderException"

    found = cognito.get_identity_provider_by_identifier(
        UserPoolId=pool.pool_id, IdpIdentifier="corp.example"
    )
    assert found["IdentityProvider"]["ProviderName"] == "Corporate"
    updated = cognito.update_identity_provider(
        AttributeMapping={"email": "mail"}, **named
    )["IdentityProvider"]
    assert updated["AttributeMapping"]["email"] == "mail"
    listed = cognito.list_identity_providers(UserPoolId=pool.pool_id, MaxResults=10)
    assert [p["ProviderName"] for p in listed["Providers"]] == ["Corporate"]

    cognito.delete_identity_provider(**named)
    assert refused(cognito.describe_identity_provider, **named) == "ResourceNotFoundException"


def test_a_saml_provider_reads_its_metadata_and_pages_with_the_others(pool_mfa_off):
    pool = pool_mfa_off
    cognito = pool.cognito
    created = cognito.create_identity_provider(
        UserPoolId=pool.pool_id,
        ProviderName="Okta",
        ProviderType="SAML",
        ProviderDetails={"MetadataFile": METADATA, "IDPSignout": "true"},
    )["IdentityProvider"]
    details = created["ProviderDetails"]
    assert details["SSORedirectBindingURI"] == "https://idp.example.com/sso"
    assert details["IDPSignout"] == "true"
    assert refused(
        cognito.create_identity_provider,
        UserPoolId=pool.pool_id,
        ProviderName="Broken",
        ProviderType="SAML",
        ProviderDetails={},
    ) == "InvalidParameterException"
    for name in ("Ping", "Auth0"):
        cognito.create_identity_provider(
            UserPoolId=pool.pool_id,
            ProviderName=name,
            ProviderType="SAML",
            ProviderDetails={"MetadataURL": f"https://{name.lower()}.example/metadata"},
        )
    pages = cognito.get_paginator("list_identity_providers").paginate(
        UserPoolId=pool.pool_id, PaginationConfig={"PageSize": 2}
    )
    names = [p["ProviderName"] for page in pages for p in page["Providers"]]
    assert names == ["Auth0", "Okta", "Ping"]


def test_an_external_identity_is_linked_to_a_user_and_unlinked(pool_mfa_off):
    pool = pool_mfa_off
    cognito = pool.cognito
    cognito.create_identity_provider(
        UserPoolId=pool.pool_id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails={
            "client_id": "google-client",
            "client_secret": "google-secret",
            "authorize_scopes": "openid email profile",
        },
    )
    user = pool.new_user()
    source = {
        "ProviderName": "Google",
        "ProviderAttributeName": "Cognito_Subject",
        "ProviderAttributeValue": "112233",
    }
    destination = {"ProviderName": "Cognito", "ProviderAttributeValue": user}
    cognito.admin_link_provider_for_user(
        UserPoolId=pool.pool_id, SourceUser=source, DestinationUser=destination
    )
    [linked] = identities(pool, user)
    assert linked["userId"] == "112233"
    assert linked["providerName"] == "Google"
    assert linked["primary"] is False
    other = pool.new_user()
    assert refused(
        cognito.admin_link_provider_for_user,
        UserPoolId=pool.pool_id,
        SourceUser=source,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": other},
    ) == "AliasExistsException"
    assert refused(
        cognito.admin_link_provider_for_user,
        UserPoolId=pool.pool_id,
        SourceUser={**source, "ProviderAttributeValue": "445566"},
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "nobody-here"},
    ) == "UserNotFoundException"

    cognito.admin_disable_provider_for_user(UserPoolId=pool.pool_id, User=source)
    assert identities(pool, user) == []


def test_resource_servers_carry_custom_scopes(pool_mfa_off):
    pool = pool_mfa_off
    cognito = pool.cognito
    scopes = [
        {"ScopeName": "read", "ScopeDescription": "Read orders"},
        {"ScopeName": "write", "ScopeDescription": "Write orders"},
    ]
    for identifier in ("https://orders.example.com", "https://stock.example.com"):
        cognito.create_resource_server(
            UserPoolId=pool.pool_id, Identifier=identifier, Name="api", Scopes=scopes
        )
    named = {"UserPoolId": pool.pool_id, "Identifier": "https://orders.example.com"}
    server = cognito.describe_resource_server(**named)["ResourceServer"]
    assert [s["ScopeName"] for s in server["Scopes"]] == ["read", "write"]
    cognito.update_resource_server(Name="orders", Scopes=scopes[:1], **named)
    assert cognito.describe_resource_server(**named)["ResourceServer"]["Scopes"] == scopes[:1]
    pages = cognito.get_paginator("list_resource_servers").paginate(
        UserPoolId=pool.pool_id, PaginationConfig={"PageSize": 1}
    )
    assert [s["Identifier"] for page in pages for s in page["ResourceServers"]] == [
        "https://orders.example.com",
        "https://stock.example.com",
    ]
    cognito.delete_resource_server(**named)
    assert refused(cognito.describe_resource_server, **named) == "ResourceNotFoundException"


def test_a_domain_is_the_pools_alone_until_deleted(make_pool):
    pool, other = make_pool(mfa=False), make_pool(mfa=False)
    cognito = pool.cognito
    domain = f"shop-{uuid.uuid4().hex[:12]}"
    cognito.create_user_pool_domain(UserPoolId=pool.pool_id, Domain=domain)
    described = cognito.describe_user_pool_domain(Domain=domain)["DomainDescription"]
    assert described["UserPoolId"] == pool.pool_id
    assert described["Status"] == "ACTIVE"
    assert described["ManagedLoginVersion"] == 1
    assert refused(
        cognito.create_user_pool_domain, UserPoolId=other.pool_id, Domain=domain
    ) == "InvalidParameterException"
    cognito.update_user_pool_domain(UserPoolId=pool.pool_id, Domain=domain, ManagedLoginVersion=2)
    assert cognito.describe_user_pool_domain(Domain=domain)["DomainDescription"][
        "ManagedLoginVersion"
    ] == 2
    cognito.delete_user_pool_domain(UserPoolId=pool.pool_id, Domain=domain)
    assert cognito.describe_user_pool_domain(Domain=domain)["DomainDescription"] == {}
    cognito.create_user_pool_domain(UserPoolId=other.pool_id, Domain=domain)


def test_the_signing_certificate_is_der_in_base64_and_stays_the_same(pool_mfa_off):
    pool = pool_mfa_off
    first = pool.cognito.get_signing_certificate(UserPoolId=pool.pool_id)["Certificate"]
    certificate = x509.load_der_x509_certificate(base64.b64decode(first, validate=True))
    assert isinstance(certificate.public_key(), rsa.RSAPublicKey)
    assert certificate.public_key().key_size == 2048
    common_name = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    assert common_name[0].value == pool.pool_id
    assert certificate.not_valid_before_utc < certificate.not_valid_after_utc
    assert pool.cognito.get_signing_certificate(UserPoolId=pool.pool_id)["Certificate"] == first
