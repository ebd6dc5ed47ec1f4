#!/usr/bin/env python3
"""The GMP floor of one SRP client step: two 3072-bit modpows with 1024-bit exponents
(A = g^a and S = base^(a + u*x) are each about that), with gmpy2.powmod on the RFC 5054 group.

usage: gmp_floor.py --vectors FILE --json-out FILE [--min-seconds S] [--max-seconds S] [--repeats N]
"""
import argparse
import json
import random
import statistics
import sys
import time

import gmpy2

ap = argparse.ArgumentParser()
ap.add_argument("--vectors", required=True)
ap.add_argument("--json-out", required=True)
ap.add_argument("--min-seconds", type=float, default=3.0)
ap.add_argument("--max-seconds", type=float, default=30.0)
ap.add_argument("--repeats", type=int, default=3)
args = ap.parse_args()

n = int(json.load(open(args.vectors))["constants"]["N_hex"], 16)
assert n.bit_length() == 3072, n.bit_length()
rng = random.Random(20240405)
base = rng.getrandbits(3072) % n
exp1 = rng.getrandbits(1024) | (1 << 1023)
exp2 = rng.getrandbits(1024) | (1 << 1023)
gn, g2, gbase, ge1, ge2 = (gmpy2.mpz(v) for v in (n, 2, base, exp1, exp2))
assert int(gmpy2.powmod(gbase, ge2, gn)) == pow(base, exp2, n)


def two_modpows():
    gmpy2.powmod(g2, ge1, gn)
    gmpy2.powmod(gbase, ge2, gn)


def time_it(fn, warmup=5):
    for _ in range(warmup):
        fn()
    count, start = 0, time.perf_counter()
    while True:
        fn()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min(args.min_seconds, args.max_seconds):
            return elapsed * 1000.0 / count, count


runs = [time_it(two_modpows) for _ in range(args.repeats)]
ms = statistics.median(m for m, _ in runs)
print(f"gmpy2 {gmpy2.version()} ({gmpy2.mp_version()}), Python {sys.version.split()[0]}")
print(f"  2 x powmod(3072-bit N, 1024-bit e) median {ms:.4f} ms/op  runs "
      + ", ".join(f"{m:.4f} ms x{c}" for m, c in runs))
json.dump({"ok": True, "version": gmpy2.version(), "ms": ms}, open(args.json_out, "w"), indent=1)
