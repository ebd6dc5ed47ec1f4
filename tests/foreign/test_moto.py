"""The cognito-mfa scenario, straight through, on moto: as far as moto allows, then a clear stop.

What moto 5.2.5 permits, and so where the run must stop:
  1. SignUp                works (UserConfirmed false; moto reports an SMS destination)
  2. AdminGetUser          works (UNCONFIRMED)
  3. the emulator outbox   GET <endpoint>/_emulator/messages is 404 (moto's S3 NoSuchBucket),
                           so the scenario confirms with AdminConfirmSignUp, which works
  4. ListUsers             works with the `username = "..."` filter
  5. AdminInitiateAuth     moto never answers MFA_SETUP in a pool with MFA ON: it returns tokens
                           straight away, and the scenario cannot enrol TOTP from there: stop.
Then the clean-up: AdminDeleteUser and DeleteUserPool both work.
"""

from __future__ import annotations

import os
import subprocess
import uuid

# The outputs' "   <Action>: <result>" lines that moto lets the scenario reach, in order.
REACHED = ["SignUp", "AdminGetUser", "AdminConfirmSignUp", "ListUsers", "AdminInitiateAuth"]
# Steps past the stop; ConfirmSignUp too, since nobody has a code without the outbox.
NOT_REACHED = [
    "ConfirmSignUp",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "AdminRespondToAuthChallenge",
    "ConfirmDevice",
    "InitiateAuth",
    "RespondToAuthChallenge",
]
NEVER_PRINTED = ["Traceback", "panicked", "DispatchFailure(", "ServiceError {", "ResponseError(", "SdkBody"]


def run_scenario(url: str, username: str) -> subprocess.CompletedProcess:
    # No AWS_* settings may steer the SDK; RUST_LOG would add log lines to stderr.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "RUST_LOG"}
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    return subprocess.run(
        [os.environ["COGNITO_MFA_BIN"], "--endpoint-url", url, "--non-interactive", "--username", username],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def call_lines(stdout: str) -> list[tuple[str, str]]:
    """(action, result) for each "   <Action>: <result>" line."""
    lines = []
    for line in stdout.splitlines():
        if line.startswith("   ") and not line.startswith("    ") and ": " in line:
            action, result = line[3:].split(": ", 1)
            if action.isalnum():
                lines.append((action, result))
    return lines


def test_scenario_stops_where_moto_stops_and_cleans_up(moto_url, cognito):
    username = f"foreign-{uuid.uuid4().hex[:10]}"
    run = run_scenario(moto_url, username)
    output = f"--- exit {run.returncode}\n--- stdout\n{run.stdout}\n--- stderr\n{run.stderr}"

    for text in NEVER_PRINTED:
        assert text not in run.stdout + run.stderr, f"{text!r} printed\n{output}"
    assert run.returncode == 1, output

    calls = call_lines(run.stdout)
    actions = [action for action, _ in calls]
    reached = [action for action in actions if action in REACHED]
    assert reached == REACHED, f"steps reached: {actions}\n{output}"
    for action in NOT_REACHED:
        assert action not in actions, f"{action} should be out of moto's reach\n{output}"
    assert any(a == "ListUsers" and r.startswith(username) for a, r in calls), output
    assert "Done:" not in run.stdout, output

    last = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
    assert last.startswith("cognito-mfa: "), output
    assert "AdminInitiateAuth" in last and moto_url in last, output

    assert ("AdminDeleteUser", f"{username} deleted") in calls, output
    assert "DeleteUserPool" in actions, output
    assert cognito.list_user_pools(MaxResults=60)["UserPools"] == [], "a pool was left behind"
