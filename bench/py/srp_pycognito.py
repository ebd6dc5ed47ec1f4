#!/usr/bin/env python3
"""pycognito's client-side SRP (pycognito.aws_srp), the same work as `cargo bench --bench srp`.

Checked first against the known-answer vectors (fixed random bytes and clock), then timed.
  device   AWSSRP(...) [a, A = g^a] + process_device_challenge [u, x, S, HKDF, signature]
  user     AWSSRP(...) [a, A] + get_auth_params + process_challenge
  verifier generate_hash_device [device password, salt, g^x]
No network: the boto3 client handed to AWSSRP is a stand-in that refuses every call.

usage: srp_pycognito.py --vectors FILE --json-out FILE [--min-seconds S] [--max-seconds S] [--repeats N]
"""
import argparse
import datetime as real_datetime
import json
import statistics
import sys
import time

from pycognito import aws_srp
from pycognito.aws_srp import AWSSRP

DEVICE_CASE, USER_CASE, VERIFIER_CASE = "dev-1-basic-day-lt-10", "user-1-basic-day-lt-10", "dv-1-basic"


class NoNetwork:
    def __getattr__(self, name):
        raise RuntimeError(f"unexpected network call: {name}")


def case(vectors, group, ident):
    return next(c for c in vectors[group] if c["id"] == ident)


def device_once(i):
    srp = AWSSRP(username=i["username"], password="unused", pool_id="us-east-1_Bench0000",
                 client_id="bench", client=NoNetwork(), device_key=i["device_key"],
                 device_group_key=i["device_group_key"], device_password=i["device_password"])
    srp_a = aws_srp.long_to_hex(srp.large_a_value)
    answer = srp.process_device_challenge({"USERNAME": i["username"], "SALT": i["salt_hex"],
                                           "SRP_B": i["srp_b_hex"], "SECRET_BLOCK": i["secret_block_b64"]})
    return srp_a, answer


def user_once(i):
    srp = AWSSRP(username=i["username"], password=i["password"], pool_id=i["pool_id"],
                 client_id="bench", client=NoNetwork())
    params = srp.get_auth_params()
    answer = srp.process_challenge({"USER_ID_FOR_SRP": i["user_id_for_srp"], "SALT": i["salt_hex"],
                                    "SRP_B": i["srp_b_hex"], "SECRET_BLOCK": i["secret_block_b64"]}, params)
    return params["SRP_A"], answer


def verifier_once(i):
    return aws_srp.generate_hash_device(i["device_group_key"], i["device_key"])


class FixedClock:
    """Stands in for the `datetime` module inside pycognito.aws_srp."""

    def __init__(self, text):
        fixed = real_datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")

        class Frozen(real_datetime.datetime):
            @classmethod
            def utcnow(cls):
                return fixed

            @classmethod
            def now(cls, tz=None):
                return fixed.replace(tzinfo=tz) if tz else fixed

        self.datetime = Frozen


class FixedBytes:
    """Stands in for os.urandom: hands out the given byte strings in order."""

    def __init__(self, *hex_chunks):
        self.chunks = [bytes.fromhex(h) for h in hex_chunks]

    def __call__(self, n):
        chunk = self.chunks.pop(0)
        if len(chunk) != n:
            raise AssertionError(f"asked for {n} random bytes, vector has {len(chunk)}")
        return chunk


def check(vectors):
    saved = aws_srp.datetime, aws_srp.os.urandom
    ok = True
    try:
        for name, group, ident, fn in (("device", "device_srp", DEVICE_CASE, device_once),
                                       ("user", "user_srp", USER_CASE, user_once)):
            c = case(vectors, group, ident)
            i, o = c["inputs"], c["outputs"]
            aws_srp.datetime = FixedClock(i["utc_datetime"])
            aws_srp.os.urandom = FixedBytes(i["a_hex"])
            srp_a, answer = fn(i)
            good = (srp_a == o["A_hex"] and answer["TIMESTAMP"] == o["timestamp"]
                    and answer["PASSWORD_CLAIM_SIGNATURE"] == o["signature_b64"])
            print(f"  check {name:8} {ident}: {'PASS' if good else 'FAIL'}")
            ok &= good
        c = case(vectors, "device_verifier", VERIFIER_CASE)
        i, o = c["inputs"], c["outputs"]
        aws_srp.os.urandom = FixedBytes(i["random_password_bytes_hex"], i["salt_random_bytes_hex"])
        password, config = verifier_once(i)
        good = (password == o["device_password"] and config["Salt"] == o["salt_b64"]
                and config["PasswordVerifier"] == o["password_verifier_b64"])
        print(f"  check verifier {VERIFIER_CASE}: {'PASS' if good else 'FAIL'}")
        ok &= good
    finally:
        aws_srp.datetime, aws_srp.os.urandom = saved
    return ok


def time_it(fn, arg, min_s, max_s, warmup=3):
    for _ in range(warmup):
        fn(arg)
    n, start = 0, time.perf_counter()
    while True:
        fn(arg)
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min(min_s, max_s):
            return elapsed * 1000.0 / n, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--json-out", required=True)
    ap.add_argument("--min-seconds", type=float, default=3.0)
    ap.add_argument("--max-seconds", type=float, default=30.0)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    from importlib.metadata import version
    print(f"pycognito {version('pycognito')}, Python {sys.version.split()[0]}")
    vectors = json.load(open(args.vectors))
    ok = check(vectors)
    result = {"ok": ok, "version": version("pycognito"), "ms": {}}
    if ok:
        for key, fn, group, ident in (("device_password_verifier", device_once, "device_srp", DEVICE_CASE),
                                      ("user_password_verifier", user_once, "user_srp", USER_CASE),
                                      ("confirm_device_verifier", verifier_once, "device_verifier", VERIFIER_CASE)):
            arg = case(vectors, group, ident)["inputs"]
            runs = [time_it(fn, arg, args.min_seconds, args.max_seconds) for _ in range(args.repeats)]
            result["ms"][key] = statistics.median(ms for ms, _ in runs)
            print(f"  {key:26} median {result['ms'][key]:9.3f} ms/op  runs "
                  + ", ".join(f"{ms:.3f} ms x{n}" for ms, n in runs))
    json.dump(result, open(args.json_out, "w"), indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
