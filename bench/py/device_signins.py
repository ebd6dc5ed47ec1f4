#!/usr/bin/env python3
"""Full remembered-device sign-ins per second against the emulator, the client doing real SRP
with pycognito's maths (AWSSRP, generate_hash_device).

One sign-in, as the cognito-mfa scenario does it (--first-factor password):
  InitiateAuth USER_PASSWORD_AUTH + DEVICE_KEY    -> DEVICE_SRP_AUTH
  RespondToAuthChallenge DEVICE_SRP_AUTH (SRP_A)   -> DEVICE_PASSWORD_VERIFIER (SRP_B, SALT, SECRET_BLOCK)
  RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER  -> tokens
or as pycognito's authenticate_user does it (--first-factor srp): USER_SRP_AUTH and
PASSWORD_VERIFIER first, then the same two device steps.

Concurrency: PROCS processes x THREADS threads (processes because the client's maths holds the
GIL), one user with one remembered device per thread. --pow gmp (default) runs pycognito's
modpows through gmpy2.powmod so that the client, not the emulator, is less often the limit;
--pow python keeps pycognito's builtin pow. Sign-ins are started for SECONDS; a non-2xx answer
or a missing token is a failure.

usage: device_signins.py URL SECONDS PROCS THREADS --json-out FILE [--pow gmp|python]
                         [--first-factor password|srp] [--emulator-pid PID]
"""
import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsjson import Api, ApiError  # noqa: E402

from pycognito import aws_srp  # noqa: E402
from pycognito.aws_srp import AWSSRP  # noqa: E402

PASSWORD = "Passw0rd!Bench1"


class NoNetwork:
    def __getattr__(self, name):
        raise RuntimeError(f"unexpected boto3 call: {name}")


def use_gmp():
    import gmpy2

    # Module-level name lookup finds this before the builtin: every pow() in aws_srp uses GMP.
    aws_srp.pow = lambda base, exp, mod: int(gmpy2.powmod(base, exp, mod))


def cpu_seconds(pid):
    """utime + stime of a process, in seconds, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def setup(url, slots):
    api = Api(url)
    pool = api.call("CreateUserPool", {
        "PoolName": "bench-devices-" + uuid.uuid4().hex[:8], "MfaConfiguration": "OFF",
        "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False},
    })["UserPool"]["Id"]
    client = api.call("CreateUserPoolClient", {
        "UserPoolId": pool, "ClientName": "bench-devices", "GenerateSecret": False,
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    })["UserPoolClient"]["ClientId"]
    creds = []
    for k in range(slots):
        name = f"device-user-{k}"
        api.call("AdminCreateUser", {"UserPoolId": pool, "Username": name, "MessageAction": "SUPPRESS",
                                     "TemporaryPassword": PASSWORD})
        api.call("AdminSetUserPassword", {"UserPoolId": pool, "Username": name, "Password": PASSWORD,
                                          "Permanent": True})
        result = api.call("InitiateAuth", {"ClientId": client, "AuthFlow": "USER_PASSWORD_AUTH",
                                           "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}})
        tokens = result["AuthenticationResult"]
        device = tokens["NewDeviceMetadata"]
        device_password, verifier = aws_srp.generate_hash_device(device["DeviceGroupKey"], device["DeviceKey"])
        confirmed = api.call("ConfirmDevice", {"AccessToken": tokens["AccessToken"], "DeviceKey": device["DeviceKey"],
                                               "DeviceSecretVerifierConfig": verifier, "DeviceName": "bench"})
        if confirmed.get("UserConfirmationNecessary"):
            raise SystemExit("ConfirmDevice wants user confirmation: the device would not be remembered")
        creds.append({"pool": pool, "client": client, "username": name, "device_key": device["DeviceKey"],
                      "group_key": device["DeviceGroupKey"], "device_password": device_password})
    api.close()
    return creds


def sign_in(api, c, first_factor):
    """One whole sign-in; returns the AuthenticationResult or raises."""
    srp = AWSSRP(username=c["username"], password=PASSWORD, pool_id=c["pool"], client_id=c["client"],
                 client=NoNetwork(), device_key=c["device_key"], device_group_key=c["group_key"],
                 device_password=c["device_password"])
    if first_factor == "srp":
        params = srp.get_auth_params()
        step = api.call("InitiateAuth", {"ClientId": c["client"], "AuthFlow": "USER_SRP_AUTH",
                                         "AuthParameters": params})
        expect(step, "PASSWORD_VERIFIER")
        step = api.call("RespondToAuthChallenge", {
            "ClientId": c["client"], "ChallengeName": "PASSWORD_VERIFIER", "Session": step.get("Session"),
            "ChallengeResponses": srp.process_challenge(step["ChallengeParameters"], params)})
    else:
        step = api.call("InitiateAuth", {"ClientId": c["client"], "AuthFlow": "USER_PASSWORD_AUTH",
                                         "AuthParameters": {"USERNAME": c["username"], "PASSWORD": PASSWORD,
                                                            "DEVICE_KEY": c["device_key"]}})
    expect(step, "DEVICE_SRP_AUTH")
    step = api.call("RespondToAuthChallenge", {
        "ClientId": c["client"], "ChallengeName": "DEVICE_SRP_AUTH", "Session": step.get("Session"),
        "ChallengeResponses": {"USERNAME": c["username"], "DEVICE_KEY": c["device_key"],
                               "SRP_A": aws_srp.long_to_hex(srp.large_a_value)}})
    expect(step, "DEVICE_PASSWORD_VERIFIER")
    step = api.call("RespondToAuthChallenge", {
        "ClientId": c["client"], "ChallengeName": "DEVICE_PASSWORD_VERIFIER", "Session": step.get("Session"),
        "ChallengeResponses": srp.process_device_challenge(step["ChallengeParameters"])})
    result = step.get("AuthenticationResult") or {}
    if not (result.get("AccessToken") and result.get("IdToken")):
        raise ValueError(f"no tokens: {json.dumps(step)[:200]}")
    return result


def expect(step, challenge):
    if step.get("ChallengeName") != challenge:
        raise ValueError(f"expected {challenge}, got {json.dumps(step)[:200]}")


def worker(url, creds, start_at, seconds, first_factor, pow_mode):
    """One process: a thread per credential, signing in until the deadline."""
    import threading

    if pow_mode == "gmp":
        use_gmp()
    deadline = start_at + seconds
    latencies, failures, last_end = [], {}, [start_at]
    lock = threading.Lock()

    def run(c):
        api = Api(url, timeout=30.0)
        while time.time() < start_at:
            time.sleep(0.001)
        while time.time() < deadline:
            t0 = time.perf_counter()
            try:
                sign_in(api, c, first_factor)
                ok, key = True, None
            except ApiError as error:
                ok, key = False, f"HTTP {error.status} {error.code}"
            except (OSError, ValueError, KeyError) as error:
                ok, key = False, f"{type(error).__name__}: {str(error)[:120]}"
                api.close()
            elapsed = time.perf_counter() - t0
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures[key] = failures.get(key, 0) + 1
                last_end[0] = max(last_end[0], time.time())
        api.close()

    cpu0 = time.process_time()
    threads = [threading.Thread(target=run, args=(c,)) for c in creds]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"latencies": latencies, "failures": failures, "last_end": last_end[0],
            "cpu": time.process_time() - cpu0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("seconds", type=float)
    ap.add_argument("procs", type=int)
    ap.add_argument("threads", type=int)
    ap.add_argument("--json-out", required=True)
    ap.add_argument("--pow", choices=("gmp", "python"), default="gmp")
    ap.add_argument("--first-factor", choices=("password", "srp"), default="password")
    ap.add_argument("--emulator-pid", type=int)
    args = ap.parse_args()

    slots = args.procs * args.threads
    creds = setup(args.url, slots)
    # One sign-in per device before timing: proves the flow works (and warms up).
    if args.pow == "gmp":
        use_gmp()
    api = Api(args.url)
    try:
        for c in creds:
            sign_in(api, c, args.first_factor)
    except (ApiError, ValueError, KeyError) as error:
        raise SystemExit(f"device sign-in does not work: {error}")
    api.close()
    if args.pow == "gmp":
        del aws_srp.pow  # the workers choose for themselves

    ctx = multiprocessing.get_context("fork")
    start_at = time.time() + 0.5
    emu_cpu0 = cpu_seconds(args.emulator_pid) if args.emulator_pid else None
    with ctx.Pool(args.procs) as pool:
        jobs = [pool.apply_async(worker, (args.url, creds[p * args.threads:(p + 1) * args.threads], start_at,
                                          args.seconds, args.first_factor, args.pow))
                for p in range(args.procs)]
        parts = [job.get(timeout=args.seconds + 120) for job in jobs]
    emu_cpu = cpu_seconds(args.emulator_pid) - emu_cpu0 if args.emulator_pid else None

    latencies = sorted(x for p in parts for x in p["latencies"])
    failures = {}
    for p in parts:
        for key, count in p["failures"].items():
            failures[key] = failures.get(key, 0) + count
    wall = max(p["last_end"] for p in parts) - start_at
    ok = len(latencies)

    def pct(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")

    result = {"ok": ok, "failed": sum(failures.values()), "failures": failures, "wall_s": wall,
              "per_s": ok / wall if wall > 0 else 0.0, "p50_ms": pct(0.50), "p99_ms": pct(0.99),
              "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
              "client_cpu_cores": sum(p["cpu"] for p in parts) / wall if wall > 0 else None,
              "emulator_cpu_cores": emu_cpu / wall if emu_cpu is not None and wall > 0 else None,
              "concurrency": slots, "procs": args.procs, "threads": args.threads,
              "pow": args.pow, "first_factor": args.first_factor}
    with open(args.json_out, "w") as f:
        json.dump(result, f, indent=1)
    print(f"device sign-ins: {ok} ok, {result['failed']} failed in {wall:.1f}s = {result['per_s']:.1f}/s, "
          f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms; "
          f"client CPU {result['client_cpu_cores']:.2f} cores"
          + (f", emulator CPU {result['emulator_cpu_cores']:.2f} cores" if emu_cpu is not None else ""))
    for key, count in failures.items():
        print(f"  failure x{count}: {key}")
    return 0 if ok and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
