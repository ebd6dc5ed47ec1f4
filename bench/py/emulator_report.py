#!/usr/bin/env python3
"""Table for bench/emulator.sh from the wrk RESULT lines and the seeding/device summaries.

usage: emulator_report.py RESULTS_DIR
  RESULTS_DIR/<server>/<Op>-run<k>.wrk, <server>/seed.json, versions.txt, openssl.txt, device.json
"""
import glob
import json
import os
import re
import statistics
import sys

SERVERS = ("emulator", "moto", "cognito-local", "fakecloud")
OPS = (("AdminGetUser", "(a) AdminGetUser"),
       ("InitiateAuth", "(b) InitiateAuth USER_PASSWORD_AUTH"),
       ("ListUsers", "(c) ListUsers Limit 60, N users"))
GOALS = {("AdminGetUser", "moto"): 20, ("AdminGetUser", "cognito-local"): 10,
         ("InitiateAuth", "moto"): 6, ("InitiateAuth", "cognito-local"): 10,
         ("ListUsers", "moto"): 10}


def wrk_runs(res, server, op):
    runs = []
    for path in sorted(glob.glob(os.path.join(res, server, f"{op}-run*.wrk"))):
        text = open(path).read()
        m = re.search(r"^RESULT (.*)$", text, re.M)
        if not m:
            runs.append({"missing": True, "path": path})
            continue
        kv = dict(x.split("=", 1) for x in m.group(1).split(" codes=")[0].split())
        kv["codes"] = m.group(1).split("codes=", 1)[1]
        first = re.search(r"^FIRST_ERROR (.*)$", text, re.M)
        kv["first_error"] = first.group(1) if first else None
        runs.append(kv)
    return runs


def cell(runs):
    good = [r for r in runs if not r.get("missing")]
    if not good:
        return None
    return {"rps": statistics.median(float(r["rps_ok"]) for r in good),
            "p99": statistics.median(float(r["p99_ms"]) for r in good),
            "fail": sum(int(r["non2xx"]) + int(r["sockerr"]) for r in good) + (len(runs) - len(good)),
            "codes": " ".join(r["codes"].strip("[]") for r in good if r["codes"].strip("[]")),
            "first_error": next((r["first_error"] for r in good if r["first_error"]), None)}


def main():
    res = sys.argv[1]
    for name in ("versions.txt",):
        path = os.path.join(res, name)
        if os.path.exists(path):
            print(open(path).read().rstrip())
    for server in SERVERS:
        path = os.path.join(res, server, "seed.json")
        if os.path.exists(path):
            s = json.load(open(path))
            print(f"{server} seed: {s['seed_ok']} users ({s['seed_errors']} errors) in {s['seed_seconds']}s; "
                  f"ListUsers Limit=60 returned {s['list_users_returned']} users"
                  f"{', paginated' if s['list_users_has_token'] else ', no PaginationToken'}")
    table = {(s, op): cell(wrk_runs(res, s, op)) for s in SERVERS for op, _ in OPS}
    seeded = [json.load(open(p))["seed_ok"] for p in glob.glob(os.path.join(res, "*", "seed.json"))]
    ops = [(op, label.replace("N users", f"{max(seeded)} users") if seeded else label) for op, label in OPS]
    print()
    print("requests/s that answered 2xx (median of runs), failures = non-2xx + socket errors over all runs, p99 latency")
    print(f"{'case':38}" + "".join(f"{s:>28}" for s in SERVERS))
    for op, label in ops:
        row = f"{label:38}"
        for s in SERVERS:
            c = table[(s, op)]
            text = f"{c['rps']:.0f}/s fail={c['fail']} p99={c['p99']:.1f}ms" if c else "-"
            row += f"{text:>28}"
        print(row)
    print()
    print(f"{'ratio (emulator / peer)':38}{'vs moto':>12}{'goal':>8}{'vs cognito-local':>20}{'goal':>8}"
          f"{'vs fakecloud':>16}")
    for op, label in ops:
        row = f"{label:38}"
        emu = table[("emulator", op)]
        for peer, width in (("moto", 12), ("cognito-local", 20), ("fakecloud", 16)):
            other = table[(peer, op)]
            r = emu["rps"] / other["rps"] if emu and other and other["rps"] > 0 else None
            goal = GOALS.get((op, peer))
            row += f"{f'{r:.1f}x' if r is not None else '-':>{width}}"
            verdict = ""
            if goal:
                verdict = ("" if r is None else ">=" if r >= goal else "<") + f"{goal}x"
            if peer != "fakecloud":
                row += f"{verdict:>8}"
        print(row)
    print("goals: (a) 20x moto, 10x cognito-local; (b) 6x moto, 10x cognito-local; (c) 10x moto "
          "(cognito-local ignores Limit and returns the whole pool)")
    path = os.path.join(res, "openssl.txt")
    emu_b = table[("emulator", "InitiateAuth")]
    if os.path.exists(path):
        signs = float(open(path).read().split()[0])
        cores = os.cpu_count() or 1
        print(f"(b) floor: openssl speed rsa2048 = {signs:.0f} signs/s on one core; an InitiateAuth signs 2 RS256 "
              f"tokens -> {signs / 2:.0f}/s per core, {signs / 2 * cores:.0f}/s on {cores} cores"
              + (f"; emulator reaches {emu_b['rps'] / (signs / 2 * cores) * 100:.0f}% of that" if emu_b else ""))
    path = os.path.join(res, "device.json")
    if os.path.exists(path):
        d = json.load(open(path))
        print(f"(d) emulator device-SRP sign-ins: {d['per_s']:.1f}/s ({d['ok']} ok, {d['failed']} failed, "
              f"{d['concurrency']} clients = {d['procs']} procs x {d['threads']} threads, client pow={d['pow']}, "
              f"first factor={d['first_factor']}), sign-in p50 {d['p50_ms']:.1f} ms p99 {d['p99_ms']:.1f} ms; "
              f"CPU: client {d['client_cpu_cores']:.2f} cores, emulator {d['emulator_cpu_cores']:.2f} cores")
        for key, count in d["failures"].items():
            print(f"    device failure x{count}: {key}")
    bad = [(s, op, c) for (s, op), c in table.items() if c and c["fail"]]
    for s, op, c in bad:
        print(f"FAILURES {s} {op}: {c['fail']} (status codes: {c['codes'] or 'socket errors'})"
              + (f"; first: {c['first_error']}" if c["first_error"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
