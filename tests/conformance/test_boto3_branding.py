"""Managed-login branding and terms documents through plain boto3: a client's branding style
from Amazon Cognito's defaults to its own settings and back, and its terms of use and privacy
policy from creation to deletion, with the errors the service documents."""

from __future__ import annotations

import base64

import pytest
from botocore.exceptions import ClientError

# The smallest PNG there is: a signature and nothing after it is enough for the emulator.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8


def refused(call, **kwargs) -> str:
    """The error code of a call that must fail."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"]


def test_a_branding_style_from_defaults_to_settings_and_back(pool_mfa_off):
    pool = pool_mfa_off
    cognito = pool.cognito
    client = {"UserPoolId": pool.pool_id, "ClientId": pool.client_id}
    created = cognito.create_managed_login_branding(UseCognitoProvidedValues=True, **client)
    style = created["ManagedLoginBranding"]
    style_id = style["ManagedLoginBrandingId"]
    assert style["UseCognitoProvidedValues"] is True
    assert refused(
        cognito.create_managed_login_branding, UseCognitoProvidedValues=True, **client
    ) == "ManagedLoginBrandingExistsException"

    merged = cognito.describe_managed_login_branding_by_client(
        ReturnMergedResources=True, **client
    )["ManagedLoginBranding"]
    assert merged["ManagedLoginBrandingId"] == style_id
    assert merged["Settings"]["categories"]["global"]["colorSchemeMode"] == "LIGHT"

    button = {"components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "ff0000ff"}}}}}
    updated = cognito.update_managed_login_branding(
        UserPoolId=pool.pool_id,
        ManagedLoginBrandingId=style_id,
        Settings=button,
        Assets=[{"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": PNG}],
    )["ManagedLoginBranding"]
    assert updated["UseCognitoProvidedValues"] is False
    assert updated["Settings"] == button
    assert updated["Assets"][0]["Bytes"] == PNG

    named = {"UserPoolId": pool.pool_id, "ManagedLoginBrandingId": style_id}
    assert refused(
        cognito.update_managed_login_branding, UseCognitoProvidedValues=True, Settings=button, **named
    ) == "InvalidParameterException"
    reset = cognito.update_managed_login_branding(UseCognitoProvidedValues=True, **named)
    assert reset["ManagedLoginBranding"]["Assets"] == []
    cognito.delete_managed_login_branding(**named)
    assert refused(cognito.describe_managed_login_branding, **named) == "ResourceNotFoundException"
    assert refused(
        cognito.describe_managed_login_branding_by_client, **client
    ) == "ResourceNotFoundException"


def test_terms_documents_from_creation_to_deletion(pool_mfa_off):
    pool = pool_mfa_off
    cognito = pool.cognito
    client = {"UserPoolId": pool.pool_id, "ClientId": pool.client_id}
    common = {"TermsSource": "LINK", "Enforcement": "NONE"}
    terms = cognito.create_terms(
        TermsName="terms-of-use",
        Links={"cognito:default": "https://example.com/terms"},
        **common,
        **client,
    )["Terms"]
    assert terms["Links"] == {"cognito:default": "https://example.com/terms"}
    cognito.create_terms(
        TermsName="privacy-policy",
        Links={"cognito:default": "https://example.com/privacy"},
        **common,
        **client,
    )
    assert refused(
        cognito.create_terms,
        TermsName="terms-of-use",
        Links={"cognito:default": "https://example.com/other"},
        **common,
        **client,
    ) == "TermsExistsException"

    first = cognito.list_terms(UserPoolId=pool.pool_id, MaxResults=1)
    rest = cognito.list_terms(UserPoolId=pool.pool_id, NextToken=first["NextToken"])
    names = {t["TermsName"] for t in first["Terms"] + rest["Terms"]}
    assert names == {"terms-of-use", "privacy-policy"}

    by_client = cognito.describe_terms_by_client(TermsName="terms-of-use", **client)["Terms"]
    assert by_client["TermsId"] == terms["TermsId"]
    named = {"UserPoolId": pool.pool_id, "TermsId": terms["TermsId"]}
    french = {"cognito:default": "https://example.com/terms", "cognito:french": "https://example.com/fr/terms"}
    updated = cognito.update_terms(Links=french, **named)["Terms"]
    assert updated["Links"] == french
    assert refused(cognito.update_terms, TermsName="privacy-policy", **named) == "TermsExistsException"

    cognito.delete_terms(**named)
    assert refused(cognito.describe_terms, **named) == "ResourceNotFoundException"
    assert refused(cognito.delete_terms, **named) == "ResourceNotFoundException"
