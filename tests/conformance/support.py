"""Helpers shared by the conformance tests: the scenario pool, the outbox, TOTP and tokens.

Everything here talks to the emulator only (127.0.0.1); nothing reaches AWS.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

import jwt
import pyotp
from pycognito.aws_srp import generate_hash_device

PASSWORD = "Corr3ct-Horse!"
WRONG_PASSWORD = "Wr0ng-Horse!!"
ADMIN_SCOPE = "aws.cognito.signin.user.admin"
EXPLICIT_AUTH_FLOWS = [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_SRP_AUTH",
]
TOTP_STEP = 30

# Direct HTTP reads (outbox, JWKS) never go through a proxy.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def unique_name(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def http_get_json(url: str) -> dict:
    with _DIRECT.open(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


@dataclass
class Pool:
    """A user pool and app client on the emulator, with the calls a test makes against them."""

    cognito: object  # boto3 cognito-idp client
    url: str
    pool_id: str
    client_id: str
    mfa: bool

    @property
    def issuer(self) -> str:
        return f"{self.url}/{self.pool_id}"

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/.well-known/jwks.json"

    # -- sign-up -------------------------------------------------------------------------------

    def sign_up(self, username: str, password: str = PASSWORD, email: str | None = None) -> dict:
        return self.cognito.sign_up(
            ClientId=self.client_id,
            Username=username,
            Password=password,
            UserAttributes=[{"Name": "email", "Value": email or f"{username}@example.com"}],
        )

    def messages(self, username: str) -> list[dict]:
        """This pool's outbox messages to `username`, oldest first."""
        query = urllib.parse.urlencode({"username": username})
        body = http_get_json(f"{self.url}/_emulator/messages?{query}")
        return [m for m in body["Messages"] if m["UserPoolId"] == self.pool_id]

    def latest_code(self, username: str) -> str:
        messages = self.messages(username)
        assert messages, f"no message was sent to {username}"
        return messages[-1]["Code"]

    def confirm(self, username: str) -> None:
        self.cognito.confirm_sign_up(
            ClientId=self.client_id,
            Username=username,
            ConfirmationCode=self.latest_code(username),
        )

    def new_user(self, password: str = PASSWORD) -> str:
        """A signed-up, confirmed user; returns the username."""
        username = unique_name()
        self.sign_up(username, password)
        self.confirm(username)
        return username

    # -- sign-in -------------------------------------------------------------------------------

    def admin_password_auth(self, username: str, password: str = PASSWORD, **params) -> dict:
        return self.cognito.admin_initiate_auth(
            UserPoolId=self.pool_id,
            ClientId=self.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password, **params},
        )

    def password_auth(self, username: str, password: str = PASSWORD, **params) -> dict:
        return self.cognito.initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password, **params},
        )

    def respond(self, challenge: dict, responses: dict) -> dict:
        """RespondToAuthChallenge to the challenge `challenge` (a response that named one)."""
        return self.cognito.respond_to_auth_challenge(
            ClientId=self.client_id,
            ChallengeName=challenge["ChallengeName"],
            Session=challenge["Session"],
            ChallengeResponses=responses,
        )

    def enrol_totp(self, username: str, password: str = PASSWORD) -> Enrolment:
        """MFA_SETUP through to tokens: the user ends with a verified authenticator."""
        challenge = self.admin_password_auth(username, password)
        assert challenge["ChallengeName"] == "MFA_SETUP", challenge
        associated = self.cognito.associate_software_token(Session=challenge["Session"])
        secret = associated["SecretCode"]
        verified = self.cognito.verify_software_token(
            Session=associated["Session"],
            UserCode=totp_now(secret),
            FriendlyDeviceName="conformance",
        )
        assert verified["Status"] == "SUCCESS", verified
        done = self.cognito.admin_respond_to_auth_challenge(
            UserPoolId=self.pool_id,
            ClientId=self.client_id,
            ChallengeName="MFA_SETUP",
            Session=verified["Session"],
            ChallengeResponses={"USERNAME": username},
        )
        return Enrolment(secret=secret, result=done["AuthenticationResult"])


def remember_device(pool, username: str, result: dict) -> dict:
    """ConfirmDevice for the device a sign-in just reported; returns what a client keeps."""
    metadata = result["NewDeviceMetadata"]
    device_password, verifier_config = generate_hash_device(
        metadata["DeviceGroupKey"], metadata["DeviceKey"]
    )
    confirmed = pool.cognito.confirm_device(
        AccessToken=result["AccessToken"],
        DeviceKey=metadata["DeviceKey"],
        DeviceSecretVerifierConfig=verifier_config,
        DeviceName="conformance-laptop",
    )
    assert confirmed["UserConfirmationNecessary"] is False
    return {
        "device_key": metadata["DeviceKey"],
        "device_group_key": metadata["DeviceGroupKey"],
        "device_password": device_password,
    }


@dataclass
class Enrolment:
    secret: str
    result: dict  # AuthenticationResult of the MFA_SETUP sign-in


def create_pool(cognito, url: str, mfa: bool = True) -> Pool:
    """The scenario pool (MFA on with TOTP), or the same pool with MFA left off."""
    created = cognito.create_user_pool(
        PoolName=unique_name("conformance"),
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "email", "Required": True, "Mutable": True}],
        UsernameConfiguration={"CaseSensitive": False},
        DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": True,
            "DeviceOnlyRememberedOnUserPrompt": False,
        },
    )
    pool_id = created["UserPool"]["Id"]
    if mfa:
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            MfaConfiguration="ON",
            SoftwareTokenMfaConfiguration={"Enabled": True},
        )
    client = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="conformance-app",
        ExplicitAuthFlows=EXPLICIT_AUTH_FLOWS,
    )
    return Pool(
        cognito=cognito,
        url=url,
        pool_id=pool_id,
        client_id=client["UserPoolClient"]["ClientId"],
        mfa=mfa,
    )


# -- TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30 s) ------------------------------------------------


def totp_at(secret: str, when: float) -> str:
    return pyotp.TOTP(secret).at(when)


def totp_now(secret: str) -> str:
    return totp_at(secret, time.time())


def totp_next(secret: str) -> str:
    """The code of the next time step: unused even if the current step's code was just used."""
    return totp_at(secret, time.time() + TOTP_STEP)


def totp_wrong(secret: str) -> str:
    """A six-digit code that matches none of the steps around now."""
    now = time.time()
    valid = {totp_at(secret, now + TOTP_STEP * k) for k in range(-3, 4)}
    candidate = 0
    while f"{candidate:06d}" in valid:
        candidate += 111111
    return f"{candidate:06d}"


def base32_decodes(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


# -- tokens ----------------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def unverified_claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def verify_token(pool: Pool, token: str, audience: str | None = None) -> dict:
    """Verifies `token` with PyJWT against the pool's JWKS and returns its claims."""
    signing_key = jwt.PyJWKClient(pool.jwks_url).get_signing_key_from_jwt(token)
    options = {"require": ["exp", "iat", "iss", "token_use"]}
    if audience is None:
        options["verify_aud"] = False
    return jwt.decode(
        token,
        signing_key.key,
        algorithms=["RS256"],
        issuer=pool.issuer,
        audience=audience,
        options=options,
        leeway=5,
    )
