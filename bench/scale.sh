#!/usr/bin/env bash
# One emulator at scale: SignUp rate while filling a pool through the public API, the emulator's
# memory (VmRSS) afterwards, and ListUsers Limit 60 latency (p50/p99) with and without a filter.
# See bench/README.md. Environment (defaults in brackets):
#   SCALE_USERS [100000] users to sign up; SCALE_PROCS [nproc] x SCALE_THREADS [8] concurrent clients
#   SCALE_SEED_TIMEOUT [1800] s: seeding stops there (and says so)
#   SCALE_LIST_REQUESTS [300] ListUsers requests per case; SCALE_FILTER ['email ^= "user-12"']
#   SCALE_DATA_DIR [empty]: with a directory, the emulator keeps its data there (--data-dir); the
#     directory is emptied first, and afterwards the emulator is restarted on it to time the load
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SCALE_USERS="${SCALE_USERS:-100000}"
SCALE_PROCS="${SCALE_PROCS:-$(nproc)}"
SCALE_THREADS="${SCALE_THREADS:-8}"
SCALE_SEED_TIMEOUT="${SCALE_SEED_TIMEOUT:-1800}"
SCALE_LIST_REQUESTS="${SCALE_LIST_REQUESTS:-300}"
SCALE_FILTER="${SCALE_FILTER:-email ^= \"user-12\"}"
OUT="$RESULTS/scale"
rm -rf "$OUT"
mkdir -p "$OUT"

SCALE_DATA_DIR="${SCALE_DATA_DIR:-}"
DATA_ARGS=()
if [[ -n "$SCALE_DATA_DIR" ]]; then
    rm -rf "$SCALE_DATA_DIR"
    DATA_ARGS=(--data-dir "$SCALE_DATA_DIR")
fi

ensure_client_venv
cargo_release -p cognito-emulator --bin cognito-emulator
start_emulator "${DATA_ARGS[@]}"
log "emulator at $EMU_URL (pid $EMU_PID); signing up $SCALE_USERS users with $SCALE_PROCS x $SCALE_THREADS clients"
bounded $((SCALE_SEED_TIMEOUT + 900)) "$CLIENT_PY" "$BENCH_DIR/py/scale.py" "$EMU_URL" "$EMU_PID" "$SCALE_USERS" \
    "$SCALE_PROCS" "$SCALE_THREADS" "$SCALE_SEED_TIMEOUT" "$SCALE_LIST_REQUESTS" "$SCALE_FILTER" \
    --json-out "$OUT/scale.json" || die "scale run failed"
stop_pid "$EMU_PID"
echo
"$CLIENT_PY" "$BENCH_DIR/py/scale_report.py" "$OUT/scale.json" | tee "$OUT/summary.txt"
if [[ -n "$SCALE_DATA_DIR" ]]; then
    started=$(date +%s.%N)
    start_emulator "${DATA_ARGS[@]}"
    loaded=$(date +%s.%N)
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$EMU_PID/status")
    stop_pid "$EMU_PID"
    {
        echo "data directory: $(du -sm "$SCALE_DATA_DIR" | cut -f1) MB on disk"
        awk -v a="$started" -v b="$loaded" -v r="$rss" \
            'BEGIN { printf "restart on it: %.2f s until serving, %.0f MB RSS\n", b - a, r / 1024 }'
        grep -o 'keeping data in .*' "$LOGS/emulator.stderr" || true
    } | tee -a "$OUT/summary.txt"
fi
