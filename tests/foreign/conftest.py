"""Starts moto_server (from the venv running pytest) on 127.0.0.1 for the test session."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

MOTO_SERVER = Path(sys.executable).parent / "moto_server"
URL_LINE = re.compile(r"Running on (http://127\.0\.0\.1:\d+)")
STARTUP_TIMEOUT_SECONDS = 30.0

_no_proxy = ",".join(p for p in (os.environ.get("NO_PROXY", ""), "127.0.0.1,localhost") if p)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = _no_proxy


def _wait_for_url(process: subprocess.Popen, log_path: Path) -> str:
    """The URL moto logs once it is bound (it picks the port for -p0), once it answers."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    url = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with code {process.returncode}")
        if url is None:
            match = URL_LINE.search(log_path.read_text(errors="replace"))
            url = match.group(1) if match else None
        if url is not None:
            try:
                with urllib.request.urlopen(f"{url}/moto-api/", timeout=2):
                    return url
            except OSError:
                pass
        time.sleep(0.1)
    raise TimeoutError(f"moto_server did not answer within {STARTUP_TIMEOUT_SECONDS:.0f} s")


@pytest.fixture(scope="session")
def moto_url(tmp_path_factory) -> str:
    log_path = tmp_path_factory.mktemp("moto") / "moto_server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    # Its request log goes to a file, so moto can never block on a full pipe.
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", "0"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        try:
            url = _wait_for_url(process, log_path)
        except Exception as error:
            pytest.fail(
                f"moto_server did not start: {error}\n--- its log ---\n"
                + log_path.read_text(errors="replace")[-4000:],
                pytrace=False,
            )
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def cognito(moto_url):
    """boto3 on moto, to see what the scenario left behind."""
    return boto3.client(
        "cognito-idp",
        endpoint_url=moto_url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )
