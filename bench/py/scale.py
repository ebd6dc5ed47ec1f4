#!/usr/bin/env python3
"""Scale of one emulator: SignUp rate while seeding a pool through the public API, the
emulator's memory afterwards, and ListUsers latency on the big pool.

  1. CreateUserPool (email auto-verified, as the scenario's pool) + an app client
  2. SignUp user-0 .. user-(N-1) from PROCS processes x THREADS threads (each SignUp derives the
     SRP verifier and emails a code to the outbox); users stay UNCONFIRMED
  3. VmRSS / VmHWM of the emulator from /proc/<pid>/status
  4. ListUsers Limit 60, one request at a time on one connection, walking the pages with
     PaginationToken (from the start again at the end): no filter, then FILTER

usage: scale.py URL PID USERS PROCS THREADS SEED_TIMEOUT LIST_REQUESTS FILTER --json-out FILE
"""
import argparse
import json
import multiprocessing
import os
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsjson import Api, ApiError  # noqa: E402

PASSWORD = "Passw0rd!Scale1"


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024.0  # kB -> MiB
    return fields


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sign_up_worker(url, client, indices, threads, deadline):
    """One process: `threads` threads share `indices` and SignUp each user once."""
    lock = threading.Lock()
    ok, failures = [0], {}
    chunks = [indices[k::threads] for k in range(threads)]

    def run(chunk):
        api = Api(url, timeout=60.0)
        for i in chunk:
            if time.time() > deadline:
                break
            name = f"user-{i}"
            try:
                api.call("SignUp", {"ClientId": client, "Username": name, "Password": PASSWORD,
                                    "UserAttributes": [{"Name": "email", "Value": name + "@example.com"}]})
                with lock:
                    ok[0] += 1
            except ApiError as error:
                with lock:
                    key = f"HTTP {error.status} {error.code}"
                    failures[key] = failures.get(key, 0) + 1
            except OSError as error:
                api.close()
                with lock:
                    key = type(error).__name__
                    failures[key] = failures.get(key, 0) + 1
        api.close()

    workers = [threading.Thread(target=run, args=(chunk,)) for chunk in chunks]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return ok[0], failures, time.time()


def list_latencies(api, pool, requests, filter_text):
    """Milliseconds of `requests` ListUsers Limit 60 calls walking the pages, after a warm-up."""
    token, times, users_seen, pages, failures = None, [], 0, 0, {}
    for k in range(requests + 10):
        body = {"UserPoolId": pool, "Limit": 60}
        if filter_text:
            body["Filter"] = filter_text
        if token:
            body["PaginationToken"] = token
        t0 = time.perf_counter()
        try:
            page = api.call("ListUsers", body)
        except ApiError as error:
            key = f"HTTP {error.status} {error.code}"
            failures[key] = failures.get(key, 0) + 1
            token = None
            continue
        elapsed = (time.perf_counter() - t0) * 1000.0
        if k >= 10:
            times.append(elapsed)
            users_seen += len(page["Users"])
            pages += 1
        token = page.get("PaginationToken")
    times.sort()

    def pct(q):
        return times[min(len(times) - 1, int(q * len(times)))] if times else float("nan")

    return {"n": len(times), "p50_ms": pct(0.50), "p99_ms": pct(0.99), "max_ms": times[-1] if times else None,
            "users_per_page": users_seen / pages if pages else 0, "failures": failures}


def main():
    ap = argparse.ArgumentParser()
    for name, kind in (("url", str), ("pid", int), ("users", int), ("procs", int), ("threads", int),
                       ("seed_timeout", float), ("list_requests", int), ("filter", str)):
        ap.add_argument(name, type=kind)
    ap.add_argument("--json-out", required=True)
    args = ap.parse_args()

    api = Api(args.url)
    pool = api.call("CreateUserPool", {
        "PoolName": "bench-scale-" + uuid.uuid4().hex[:8], "MfaConfiguration": "OFF",
        "AutoVerifiedAttributes": ["email"], "Schema": [{"Name": "email", "Required": True, "Mutable": True}],
        "Policies": {"PasswordPolicy": {"MinimumLength": 8}}})["UserPool"]["Id"]
    client = api.call("CreateUserPoolClient", {"UserPoolId": pool, "ClientName": "bench-scale",
                                               "GenerateSecret": False})["UserPoolClient"]["ClientId"]
    before = proc_status(args.pid)

    slots = list(range(args.users))
    cpu0 = cpu_seconds(args.pid)
    start = time.time()
    deadline = start + args.seed_timeout
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.procs) as workers:
        jobs = [workers.apply_async(sign_up_worker, (args.url, client, slots[p::args.procs], args.threads, deadline))
                for p in range(args.procs)]
        parts = [job.get(timeout=args.seed_timeout + 300) for job in jobs]
    wall = max(end for _, _, end in parts) - start
    emulator_cpu = cpu_seconds(args.pid) - cpu0
    ok = sum(n for n, _, _ in parts)
    failures = {}
    for _, f, _ in parts:
        for key, count in f.items():
            failures[key] = failures.get(key, 0) + count
    time.sleep(0.5)
    after = proc_status(args.pid)

    plain = list_latencies(api, pool, args.list_requests, None)
    filtered = list_latencies(api, pool, args.list_requests, args.filter)
    api.close()
    result = {"users_requested": args.users, "signed_up": ok, "failed": sum(failures.values()), "failures": failures,
              "seed_seconds": wall, "sign_ups_per_s": ok / wall if wall > 0 else 0.0,
              "emulator_cpu_ms_per_sign_up": emulator_cpu * 1000.0 / ok if ok else None,
              "clients": args.procs * args.threads, "rss_before_mib": before.get("VmRSS"),
              "rss_after_mib": after.get("VmRSS"), "rss_peak_mib": after.get("VmHWM"),
              "list_plain": plain, "list_filtered": filtered, "filter": args.filter,
              "timed_out": ok + sum(failures.values()) < args.users}
    with open(args.json_out, "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
