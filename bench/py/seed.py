#!/usr/bin/env python3
"""Seeds one server (emulator, moto or cognito-local) identically and writes wrk request bodies.

  pool "bench-small" (MFA off, USER_PASSWORD_AUTH allowed) with one confirmed user "alice"
  pool "bench-big" with N confirmed users user00000.. (AdminCreateUser + AdminSetUserPassword)
Writes OUTDIR/{AdminGetUser,InitiateAuth,ListUsers}.json and OUTDIR/seed.json.

usage: seed.py URL OUTDIR USERS TIMEOUT_SECONDS [THREADS]
"""
import base64
import concurrent.futures as cf
import json
import os
import sys
import time

import boto3
from botocore.config import Config

url, out, users, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
threads = int(sys.argv[5]) if len(sys.argv) > 5 else 16
PASSWORD = "Passw0rd!Bench1"
os.makedirs(out, exist_ok=True)

idp = boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id="bench", aws_secret_access_key="bench",
                   config=Config(retries={"max_attempts": 1}, max_pool_connections=threads + 4,
                                 connect_timeout=10, read_timeout=120))


def make_pool(name):
    pool = idp.create_user_pool(PoolName=name, MfaConfiguration="OFF",
                                Policies={"PasswordPolicy": {"MinimumLength": 8}})["UserPool"]["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool, ClientName=name + "-app", GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pool, client


def make_user(pool, name):
    idp.admin_create_user(UserPoolId=pool, Username=name, MessageAction="SUPPRESS", TemporaryPassword=PASSWORD,
                          UserAttributes=[{"Name": "email", "Value": name + "@example.com"}])
    idp.admin_set_user_password(UserPoolId=pool, Username=name, Password=PASSWORD, Permanent=True)


def write(name, body):
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(body, f)


summary = {"url": url}
small, small_client = make_pool("bench-small")
make_user(small, "alice")
summary["alice_status"] = idp.admin_get_user(UserPoolId=small, Username="alice")["UserStatus"]
auth = {"ClientId": small_client, "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD}}
result = idp.initiate_auth(**auth).get("AuthenticationResult") or {}
summary["auth_returns_tokens"] = bool(result.get("AccessToken") and result.get("IdToken"))
if result.get("IdToken"):
    head = result["IdToken"].split(".")[0]
    summary["id_token_alg"] = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))).get("alg")
write("AdminGetUser", {"UserPoolId": small, "Username": "alice"})
write("InitiateAuth", auth)

big, _ = make_pool("bench-big")
start = time.monotonic()
done = errors = 0
first_error = None
with cf.ThreadPoolExecutor(threads) as pool_executor:
    futures = [pool_executor.submit(make_user, big, f"user{i:05d}") for i in range(users)]
    try:
        for future in cf.as_completed(futures, timeout=timeout):
            try:
                future.result()
                done += 1
            except Exception as error:  # noqa: BLE001 - counted and shown
                errors += 1
                first_error = first_error or repr(error)[:300]
            if (done + errors) % 1000 == 0:
                print(f"  seeded {done + errors}/{users} in {time.monotonic() - start:.0f}s", flush=True)
    except cf.TimeoutError:
        summary["seed_timed_out"] = True
        for future in futures:
            future.cancel()
summary.update(seed_ok=done, seed_errors=errors, seed_first_error=first_error,
               seed_seconds=round(time.monotonic() - start, 1))
page = idp.list_users(UserPoolId=big, Limit=60)
summary["list_users_returned"] = len(page["Users"])
summary["list_users_has_token"] = "PaginationToken" in page
write("ListUsers", {"UserPoolId": big, "Limit": 60})
with open(os.path.join(out, "seed.json"), "w") as f:
    json.dump(summary, f, indent=1)
print(json.dumps(summary))
sys.exit(0 if summary["auth_returns_tokens"] and not summary.get("seed_timed_out") else 1)
