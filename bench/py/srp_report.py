#!/usr/bin/env python3
"""Table for bench/srp.sh: criterion's estimates for our crate beside the peers' ms/op.

usage: srp_report.py CRITERION_OUTPUT PYCOGNITO_JSON JS_JSON GMP_JSON
"""
import json
import os
import re
import sys

OPS = ("device_password_verifier", "user_password_verifier", "confirm_device_verifier")
GOALS = {"pycognito": 8.0, "js": 35.0}
UNIT_MS = {"ps": 1e-9, "ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}


def criterion_estimates(text):
    """{bench name: (low, mid, high) in ms} from criterion's `time: [low mid high]` lines."""
    found, name = {}, None
    num = r"([0-9.]+)\s*(ps|ns|µs|us|ms|s)"
    for line in text.splitlines():
        head = re.match(r"^([A-Za-z0-9_/.-]+)(\s|$)", line)
        if head and not line.startswith(("Benchmarking", "Found", "Gnuplot", "Warning", "change", "time")):
            name = head.group(1)
        m = re.search(r"time:\s*\[" + num + r"\s+" + num + r"\s+" + num + r"\]", line)
        if m and name:
            g = m.groups()
            found[name] = tuple(float(g[k]) * UNIT_MS[g[k + 1]] for k in (0, 2, 4))
    return found


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        data = json.load(f)
    return data if data.get("ok") else None


def fmt(v, width=10, digits=3):
    return f"{v:{width}.{digits}f}" if v is not None else f"{'-':>{width}}"


def ratio(a, b):
    return a / b if a is not None and b else None


def main():
    crit_path, py_path, js_path, gmp_path = sys.argv[1:5]
    ours = criterion_estimates(open(crit_path, encoding="utf-8", errors="replace").read())
    py, js, gmp = load(py_path), load(js_path), load(gmp_path)
    floor = gmp["ms"] if gmp else None

    print()
    print("ms per operation (ours: criterion [low mid high]; peers: median of runs)")
    print(f"{'operation':26} {'ours low':>10} {'ours mid':>10} {'ours high':>10} {'pycognito':>10} {'JS':>10} {'GMP floor':>10}")
    for op in OPS:
        low, mid, high = ours.get(op, (None, None, None))
        pym = py["ms"].get(op) if py else None
        jsm = js["ms"].get(op) if js else None
        fl = floor if op != "confirm_device_verifier" else None
        print(f"{op:26} {fmt(low)} {fmt(mid)} {fmt(high)} {fmt(pym)} {fmt(jsm)} {fmt(fl, 10, 4)}")

    print()
    print("ratios (ours = criterion mid estimate; goal met when ratio >= goal, floor ratio: lower is better)")
    print(f"{'operation':26} {'pycognito/ours':>15} {'goal':>6} {'JS/ours':>9} {'goal':>6} {'ours/GMP floor':>15}")
    for op in OPS:
        mid = ours.get(op, (None, None, None))[1]
        r_py = ratio(py["ms"].get(op) if py else None, mid)
        r_js = ratio(js["ms"].get(op) if js else None, mid)
        r_fl = ratio(mid, floor) if op != "confirm_device_verifier" else None

        def verdict(r, goal):
            if r is None:
                return f"{'-':>15} {'':>6}"
            return f"{r:14.1f}x {('>=' if r >= goal else '<') + f'{goal:.0f}x':>6}"

        py_col = verdict(r_py, GOALS["pycognito"])
        js_col = verdict(r_js, GOALS["js"]).strip().rjust(16)
        fl_col = f"{r_fl:14.2f}x" if r_fl is not None else f"{'-':>15}"
        print(f"{op:26} {py_col} {js_col} {fl_col}")
    print(f"goals: pycognito/ours >= {GOALS['pycognito']:.0f}x, JS/ours >= {GOALS['js']:.0f}x "
          "(DEVICE_PASSWORD_VERIFIER is the headline row)")
    missing = [n for n, d in (("criterion", ours), ("pycognito", py), ("JS", js), ("GMP floor", gmp)) if not d]
    if missing:
        print("missing or failed: " + ", ".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
