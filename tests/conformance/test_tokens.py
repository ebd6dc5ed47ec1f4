"""ID and access tokens, as a resource server checks them: PyJWT against the pool's JWKS."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric import rsa

from support import (
    ADMIN_SCOPE,
    b64url,
    b64url_decode,
    http_get_json,
    unverified_claims,
    verify_token,
)


@pytest.fixture
def signed_in(pool):
    """A scenario user who has just finished MFA_SETUP: (username, AuthenticationResult)."""
    username = pool.new_user()
    return username, pool.enrol_totp(username).result


def tamper_payload(token: str, **changes) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims.update(changes)
    forged = b64url(json.dumps(claims, separators=(",", ":")).encode("utf-8"))
    return f"{header}.{forged}.{signature}"


def unsigned(token: str) -> str:
    """The same claims with `alg: none` and no signature."""
    header = json.loads(b64url_decode(token.split(".")[0]))
    header["alg"] = "none"
    encoded_header = b64url(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    return f"{encoded_header}.{token.split('.')[1]}."


def test_jwks_publishes_rs256_signing_keys(pool, signed_in):
    jwks = http_get_json(pool.jwks_url)
    assert jwks["keys"]
    for key in jwks["keys"]:
        assert key["kty"] == "RSA"
        assert key["alg"] == "RS256"
        assert key["use"] == "sig"
        assert key["kid"] and key["n"] and key["e"]
    _, result = signed_in
    kids = {key["kid"] for key in jwks["keys"]}
    for name in ("IdToken", "AccessToken"):
        header = jwt.get_unverified_header(result[name])
        assert header["alg"] == "RS256"
        assert header["kid"] in kids


def test_id_token_verifies(pool, signed_in):
    username, result = signed_in
    claims = verify_token(pool, result["IdToken"], audience=pool.client_id)
    assert claims["iss"] == pool.issuer
    assert claims["aud"] == pool.client_id
    assert claims["token_use"] == "id"
    assert claims["cognito:username"].lower() == username
    assert claims["email"] == f"{username}@example.com"
    assert claims["email_verified"] is True
    assert claims["sub"]
    assert claims["exp"] - claims["iat"] == 3600
    assert abs(claims["iat"] - time.time()) < 60
    assert claims["auth_time"] <= claims["iat"]


def test_access_token_verifies(pool, signed_in):
    username, result = signed_in
    claims = verify_token(pool, result["AccessToken"])
    id_claims = unverified_claims(result["IdToken"])
    assert claims["iss"] == pool.issuer
    assert claims["token_use"] == "access"
    assert claims["client_id"] == pool.client_id
    assert claims["scope"] == ADMIN_SCOPE
    assert claims["username"].lower() == username
    assert claims["sub"] == id_claims["sub"]
    assert claims["exp"] - claims["iat"] == 3600
    assert "aud" not in claims


def test_access_token_works_with_get_user(pool, signed_in):
    username, result = signed_in
    me = pool.cognito.get_user(AccessToken=result["AccessToken"])
    assert me["Username"].lower() == username
    attributes = {a["Name"]: a["Value"] for a in me["UserAttributes"]}
    assert attributes["email"] == f"{username}@example.com"


@pytest.mark.parametrize("name", ["IdToken", "AccessToken"])
def test_altered_payload_fails_verification(pool, signed_in, name):
    _, result = signed_in
    forged = tamper_payload(result[name], username="mallory", **{"cognito:username": "mallory"})
    with pytest.raises(jwt.InvalidSignatureError):
        verify_token(pool, forged, audience=pool.client_id if name == "IdToken" else None)


@pytest.mark.parametrize("name", ["IdToken", "AccessToken"])
def test_alg_none_fails_verification(pool, signed_in, name):
    _, result = signed_in
    genuine = result[name]
    key = jwt.PyJWKClient(pool.jwks_url).get_signing_key_from_jwt(genuine).key
    with pytest.raises(jwt.InvalidTokenError):
        jwt.decode(
            unsigned(genuine),
            key,
            algorithms=["RS256"],
            issuer=pool.issuer,
            options={"verify_aud": False},
        )


def test_token_of_another_pool_has_no_key_in_this_pools_jwks(make_pool, pool, signed_in):
    _, result = signed_in
    other = make_pool(mfa=True)
    with pytest.raises(jwt.PyJWKClientError):
        jwt.PyJWKClient(other.jwks_url).get_signing_key_from_jwt(result["IdToken"])


def foreign_signed(token: str) -> str:
    """The same header (kid included) and claims, signed by a key the pool never had."""
    header = jwt.get_unverified_header(token)
    claims = unverified_claims(token)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": header["kid"]})


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda t: tamper_payload(t, username="mallory"), id="altered-payload"),
        pytest.param(unsigned, id="alg-none"),
        pytest.param(foreign_signed, id="foreign-key"),
        pytest.param(lambda t: t[:-4] + ("AAAA" if not t.endswith("AAAA") else "BBBB"),
                     id="altered-signature"),
    ],
)
def test_get_user_refuses_a_forged_access_token(pool, signed_in, forge):
    _, result = signed_in
    with pytest.raises(ClientError) as raised:
        pool.cognito.get_user(AccessToken=forge(result["AccessToken"]))
    assert raised.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_get_user_refuses_an_id_token(pool, signed_in):
    _, result = signed_in
    with pytest.raises(ClientError) as raised:
        pool.cognito.get_user(AccessToken=result["IdToken"])
    assert raised.value.response["Error"]["Code"] == "NotAuthorizedException"
