#!/usr/bin/env bash
# SRP client maths: our crate (criterion) against pycognito, amazon-cognito-identity-js and GMP.
# See bench/README.md. Environment (defaults in brackets):
#   SRP_WARMUP [3] / SRP_MEASURE [5] seconds and SRP_SAMPLES [100] for criterion (min 10 samples)
#   PEER_SECONDS [3] per timed peer run, PEER_REPEATS [3] runs (median), PEER_MAX_SECONDS [30]
#   SRP_TIMEOUT [1800] seconds for the whole `cargo bench` (build included)
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SRP_WARMUP="${SRP_WARMUP:-3}"
SRP_MEASURE="${SRP_MEASURE:-5}"
SRP_SAMPLES="${SRP_SAMPLES:-100}"
PEER_SECONDS="${PEER_SECONDS:-3}"
PEER_REPEATS="${PEER_REPEATS:-3}"
PEER_MAX_SECONDS="${PEER_MAX_SECONDS:-30}"
SRP_TIMEOUT="${SRP_TIMEOUT:-1800}"
VECTORS="$REPO_ROOT/crates/cognito-srp/tests/data/srp_vectors.json"
[[ -f "$VECTORS" ]] || die "no SRP vectors at $VECTORS"
OUT="$RESULTS/srp"
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/criterion.txt

# Peers first (installs only), so a broken install fails before the long bench.
ensure_client_venv
ensure_npm node-cognito-js "amazon-cognito-identity-js@$COGNITO_JS_VERSION"
PY="$CLIENT_PY"
# Each peer does 3 operations x PEER_REPEATS runs of at most PEER_MAX_SECONDS, plus its checks.
PEER_TIMEOUT=$(awk -v r="$PEER_REPEATS" -v s="$PEER_SECONDS" -v m="$PEER_MAX_SECONDS" \
    'BEGIN { t = (s < m) ? s : m; printf "%d", 3 * r * (t + 5) + 120 }')
PEER_ARGS=(--vectors "$VECTORS" --min-seconds "$PEER_SECONDS" --max-seconds "$PEER_MAX_SECONDS" --repeats "$PEER_REPEATS")

# 1. Ours. Criterion keeps its history under bench/.work so target/criterion baselines stay as they are.
log "cargo bench -p cognito-srp --bench srp (warm-up ${SRP_WARMUP}s, measure ${SRP_MEASURE}s, ${SRP_SAMPLES} samples)"
cd "$REPO_ROOT"
bounded "$SRP_TIMEOUT" env CRITERION_HOME="$WORK/criterion" \
    cargo bench "${CARGO_FLAGS[@]}" -p cognito-srp --bench srp -- \
    --warm-up-time "$SRP_WARMUP" --measurement-time "$SRP_MEASURE" --sample-size "$SRP_SAMPLES" \
    '^(device_password_verifier|user_password_verifier|confirm_device_verifier)$' \
    >"$OUT/criterion.txt" 2>"$LOGS/srp-cargo-bench.stderr" ||
    die "cargo bench failed or timed out; see $LOGS/srp-cargo-bench.stderr"
grep -E 'time:|^[a-z_]+$' "$OUT/criterion.txt" || true

# 2. pycognito, 3. amazon-cognito-identity-js, 4. GMP floor: each checked against the vectors first.
log "pycognito $PYCOGNITO_VERSION"
bounded "$PEER_TIMEOUT" "$PY" "$BENCH_DIR/py/srp_pycognito.py" "${PEER_ARGS[@]}" --json-out "$OUT/pycognito.json" ||
    log "pycognito: FAILED (correctness check or run)"
log "amazon-cognito-identity-js $COGNITO_JS_VERSION"
bounded "$PEER_TIMEOUT" node "$BENCH_DIR/js/srp_js.js" --lib "$WORK/node-cognito-js/node_modules/amazon-cognito-identity-js" \
    "${PEER_ARGS[@]}" --json-out "$OUT/js.json" ||
    log "amazon-cognito-identity-js: FAILED (correctness check or run)"
log "GMP floor (gmpy2 $GMPY2_VERSION)"
bounded "$PEER_TIMEOUT" "$PY" "$BENCH_DIR/py/gmp_floor.py" "${PEER_ARGS[@]}" --json-out "$OUT/gmp.json" ||
    log "GMP floor: FAILED"

"$PY" "$BENCH_DIR/py/srp_report.py" "$OUT/criterion.txt" "$OUT/pycognito.json" "$OUT/js.json" "$OUT/gmp.json" |
    tee "$OUT/summary.txt"
