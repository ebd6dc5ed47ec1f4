#!/usr/bin/env python3
"""Table for bench/scale.sh. usage: scale_report.py SCALE_JSON"""
import json
import sys

RSS_GOAL_MB, P99_GOAL_MS = 300.0, 5.0
r = json.load(open(sys.argv[1]))


def verdict(value, goal):
    return "-" if value is None else ("met" if value < goal else "MISSED")


print(f"SignUp: {r['signed_up']} of {r['users_requested']} users in {r['seed_seconds']:.1f}s = "
      f"{r['sign_ups_per_s']:.0f} SignUp/s with {r['clients']} concurrent clients"
      + (f"; emulator CPU {r['emulator_cpu_ms_per_sign_up']:.2f} ms per SignUp"
         if r["emulator_cpu_ms_per_sign_up"] is not None else ""))
if r["failed"]:
    print(f"SignUp FAILURES: {r['failed']}: " + ", ".join(f"{k} x{v}" for k, v in r["failures"].items()))
if r["timed_out"]:
    print("SignUp seeding hit its time limit (SCALE_SEED_TIMEOUT): fewer users than asked")
print()
print(f"{'measure':44} {'value':>12}  {'goal':>10}  verdict")
mib = r["rss_after_mib"]
print(f"{'emulator RSS before seeding (VmRSS)':44} {r['rss_before_mib']:9.1f} MiB  {'':>10}")
print(f"{'emulator RSS after seeding (VmRSS)':44} {mib:9.1f} MiB  {'< 300 MB':>10}  "
      f"{verdict(mib * 1.048576, RSS_GOAL_MB)}")
print(f"{'emulator peak RSS (VmHWM)':44} {r['rss_peak_mib']:9.1f} MiB")
for key, label in (("list_plain", "ListUsers Limit 60, no filter"),
                   ("list_filtered", f"ListUsers Limit 60, {r['filter']}")):
    s = r[key]
    print(f"{label + ' p50':44} {s['p50_ms']:10.2f} ms")
    print(f"{label + ' p99':44} {s['p99_ms']:10.2f} ms  {'< 5 ms':>10}  {verdict(s['p99_ms'], P99_GOAL_MS)}")
    note = f"   ({s['n']} requests, max {s['max_ms'] or 0:.2f} ms, {s['users_per_page']:.1f} users/page)"
    print(note)
    if s["failures"]:
        print("   FAILURES: " + ", ".join(f"{k} x{v}" for k, v in s["failures"].items()))
print(f"goals: RSS under {RSS_GOAL_MB:.0f} MB after seeding, ListUsers p99 under {P99_GOAL_MS:.0f} ms")
