"""Starts the emulator binary once per test session and hands out clients and fresh pools.

The binary is taken from $COGNITO_EMULATOR_BIN, or <repo>/target/release/cognito-emulator;
this file never builds it (run.sh does).
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import threading
import time
import warnings
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import support

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO_ROOT / "target" / "release" / "cognito-emulator"
URL_LINE = re.compile(r"http://127\.0\.0\.1:\d+")
STARTUP_TIMEOUT_SECONDS = 20.0
STOP_TIMEOUT_SECONDS = 10.0

# The emulator is local: never let a proxy from the environment sit in between.
_no_proxy = ",".join(
    part for part in (os.environ.get("NO_PROXY", ""), "127.0.0.1,localhost") if part
)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = _no_proxy


def _read_url_line(process: subprocess.Popen, timeout: float) -> str:
    """The URL from the emulator's one ready line on stdout, or an error after `timeout`."""
    deadline = time.monotonic() + timeout
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while True:
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                match = URL_LINE.search(line.decode("utf-8", "replace"))
                if match:
                    return match.group(0)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no URL line on stdout within {timeout:.0f} s")
            if selector.select(timeout=remaining):
                chunk = os.read(process.stdout.fileno(), 4096)
                if not chunk:
                    raise RuntimeError(
                        f"emulator closed stdout without a URL line (exit code {process.poll()})"
                    )
                buffer += chunk


def _drain(stream) -> None:
    """Keeps reading stdout so the emulator can never block on a full pipe."""
    try:
        while stream.read(4096):
            pass
    except (OSError, ValueError):
        pass


def _stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


@pytest.fixture(scope="session")
def emulator_url(tmp_path_factory) -> str:
    binary = Path(os.environ.get("COGNITO_EMULATOR_BIN") or DEFAULT_BINARY)
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(
            f"emulator binary not found at {binary}: run "
            "`cargo build --release -p cognito-emulator` or set COGNITO_EMULATOR_BIN",
            pytrace=False,
        )
    log_path = tmp_path_factory.mktemp("emulator") / "stderr.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(binary), "--host", "127.0.0.1", "--port", "0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        try:
            try:
                url = _read_url_line(process, STARTUP_TIMEOUT_SECONDS)
            except Exception as error:
                _stop(process)
                log.flush()
                pytest.fail(
                    f"emulator did not start: {error}\n--- stderr ---\n"
                    + log_path.read_text(errors="replace")[-4000:],
                    pytrace=False,
                )
            threading.Thread(target=_drain, args=(process.stdout,), daemon=True).start()
            yield url
        finally:
            code = _stop(process)
            if code not in (0, -signal.SIGTERM):
                warnings.warn(f"emulator exited with code {code}; its log is {log_path}")


@pytest.fixture(scope="session")
def cognito(emulator_url):
    """A boto3 cognito-idp client pointed at the emulator, with no retries."""
    return boto3.client(
        "cognito-idp",
        endpoint_url=emulator_url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(
            retries={"max_attempts": 1, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
        ),
    )


@pytest.fixture
def make_pool(cognito, emulator_url):
    """Creates pools for one test and deletes them afterwards: make_pool(mfa=True|False)."""
    created: list[str] = []

    def make(mfa: bool = True) -> support.Pool:
        pool = support.create_pool(cognito, emulator_url, mfa=mfa)
        created.append(pool.pool_id)
        return pool

    yield make
    for pool_id in created:
        try:
            cognito.delete_user_pool(UserPoolId=pool_id)
        except ClientError:
            pass


@pytest.fixture
def pool(make_pool) -> support.Pool:
    """The scenario pool: MFA ON with TOTP, email auto-verified, devices always remembered."""
    return make_pool(mfa=True)


@pytest.fixture
def pool_mfa_off(make_pool) -> support.Pool:
    """The scenario pool without SetUserPoolMfaConfig: MFA stays OFF."""
    return make_pool(mfa=False)
