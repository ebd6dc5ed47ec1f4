#!/usr/bin/env bash
# Request throughput of the emulator against moto_server, cognito-local and fakecloud, with wrk, on the same
# seeded data; then (emulator only) whole remembered-device SRP sign-ins per second.
# See bench/README.md. Environment (defaults in brackets):
#   SERVERS ["emulator moto cognito-local fakecloud"]   which servers to run (fakecloud is built
#     from crates.io on first use: about half an hour on two CPUs)
#   USERS [5000] users in the ListUsers pool; SEED_TIMEOUT [900] s; SEED_THREADS [16]
#   THREADS [2] wrk threads, CONNS [32] connections, WARMUP [3] s, DURATION [10] s per run, RUNS [3] (median)
#   DEVICE_SECONDS [10], DEVICE_PROCS [nproc], DEVICE_THREADS [4] client processes x threads,
#   DEVICE_POW [gmp] (gmp|python: pycognito's modpows through gmpy2 or builtin pow),
#   DEVICE_FIRST_FACTOR [password] (password|srp)
#   OPENSSL_SECONDS [3] for `openssl speed rsa2048`
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SERVERS="${SERVERS:-emulator moto cognito-local fakecloud}"
USERS="${USERS:-5000}"
SEED_TIMEOUT="${SEED_TIMEOUT:-900}"
SEED_THREADS="${SEED_THREADS:-16}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-32}"
WARMUP="${WARMUP:-3}"
DURATION="${DURATION:-10}"
RUNS="${RUNS:-3}"
DEVICE_SECONDS="${DEVICE_SECONDS:-10}"
DEVICE_PROCS="${DEVICE_PROCS:-$(nproc)}"
DEVICE_THREADS="${DEVICE_THREADS:-4}"
DEVICE_POW="${DEVICE_POW:-gmp}"
DEVICE_FIRST_FACTOR="${DEVICE_FIRST_FACTOR:-password}"
OPENSSL_SECONDS="${OPENSSL_SECONDS:-3}"
OPS=(AdminGetUser InitiateAuth ListUsers)

OUT="$RESULTS/emulator"
rm -rf "$OUT"
mkdir -p "$OUT"

# ---- prerequisites ----
ensure_wrk
command -v curl >/dev/null || die "curl is needed"
ensure_client_venv
for server in $SERVERS; do
    case "$server" in
    emulator) cargo_release -p cognito-emulator --bin cognito-emulator ;;
    moto) ensure_venv venv-moto "moto[server]==$MOTO_VERSION" ;;
    cognito-local) ensure_npm node-cognito-local "cognito-local@$COGNITO_LOCAL_VERSION" ;;
    fakecloud) ensure_fakecloud ;;
    *) die "unknown server '$server' in SERVERS (emulator, moto, cognito-local, fakecloud)" ;;
    esac
done

{
    for server in $SERVERS; do
        case "$server" in
        emulator) echo "emulator: $("$EMU_BIN" --version), $EMU_BIN" ;;
        moto) echo "moto: $("$WORK/venv-moto/bin/python" -c 'import moto; print(moto.__version__)')" ;;
        cognito-local) echo "cognito-local: $COGNITO_LOCAL_VERSION, node $(node --version)" ;;
        fakecloud) echo "fakecloud: $("$FAKECLOUD_BIN" --version 2>/dev/null || echo "$FAKECLOUD_VERSION"), $FAKECLOUD_BIN" ;;
        esac
    done
    echo "wrk: $(wrk -v 2>&1 | head -n 1 | cut -c1-40); -t$THREADS -c$CONNS, ${WARMUP}s warm-up, $RUNS x ${DURATION}s"
    echo "cpu: $(nproc) x $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
} >"$OUT/versions.txt"

log "openssl speed -seconds $OPENSSL_SECONDS rsa2048"
bounded $((OPENSSL_SECONDS * 4 + 30)) openssl speed -seconds "$OPENSSL_SECONDS" rsa2048 \
    >"$LOGS/openssl-speed.txt" 2>&1 || true
awk '/^rsa +2048 +bits/ { print $(NF - 1) }' "$LOGS/openssl-speed.txt" >"$OUT/openssl.txt"
[[ -s "$OUT/openssl.txt" ]] || { log "openssl speed gave no rsa2048 line"; rm -f "$OUT/openssl.txt"; }

# ---- servers ----
# start_server NAME: sets URL and PID.
URL=""
PID=""
start_server() {
    local port
    case "$1" in
    emulator)
        start_emulator
        URL="$EMU_URL"
        PID="$EMU_PID"
        ;;
    moto)
        port="$(free_port)"
        "$WORK/venv-moto/bin/moto_server" -H 127.0.0.1 -p "$port" >"$LOGS/moto.log" 2>&1 &
        PID=$!
        BENCH_PIDS+=("$PID")
        URL="http://127.0.0.1:$port"
        ;;
    cognito-local)
        # A fresh data folder each time; pools default to plain usernames (cognito-local's default
        # is UsernameAttributes ["email"], which the other two do not have).
        port="$(free_port)"
        local data="$WORK/cognito-local-data"
        rm -rf "$data"
        mkdir -p "$data/.cognito"
        printf '%s\n' '{"UserPoolDefaults":{"UsernameAttributes":[]}}' >"$data/.cognito/config.json"
        (cd "$data" && HOST=127.0.0.1 PORT="$port" exec node "$WORK/node-cognito-local/node_modules/.bin/cognito-local") \
            >"$LOGS/cognito-local.log" 2>&1 &
        PID=$!
        BENCH_PIDS+=("$PID")
        URL="http://127.0.0.1:$port"
        ;;
    fakecloud)
        # In memory, on loopback only, quiet: the same footing as the others.
        port="$(free_port)"
        "$FAKECLOUD_BIN" --addr "127.0.0.1:$port" --log-level warn >"$LOGS/fakecloud.log" 2>&1 &
        PID=$!
        BENCH_PIDS+=("$PID")
        URL="http://127.0.0.1:$port"
        ;;
    esac
    wait_http "$URL" 60 || { log "$1 did not answer on $URL"; return 1; }
}

for server in $SERVERS; do
    log "=== $server"
    mkdir -p "$OUT/$server"
    if ! start_server "$server"; then
        stop_pid "$PID"
        continue
    fi
    log "$server at $URL (pid $PID); seeding $USERS users"
    if ! bounded $((SEED_TIMEOUT + 120)) "$CLIENT_PY" "$BENCH_DIR/py/seed.py" "$URL" "$OUT/$server" "$USERS" \
        "$SEED_TIMEOUT" "$SEED_THREADS" >"$OUT/$server/seed.log" 2>&1; then
        log "$server: seeding failed: $(tail -n 3 "$OUT/$server/seed.log")"
        stop_pid "$PID"
        continue
    fi
    for op in "${OPS[@]}"; do
        body="$OUT/$server/$op.json"
        curl -s --noproxy '*' --max-time 60 -X POST "$URL/" -H 'Content-Type: application/x-amz-json-1.1' \
            -H "X-Amz-Target: AWSCognitoIdentityProviderService.$op" --data-binary "@$body" \
            -o "$OUT/$server/$op.sample.json" -w "HTTP %{http_code}, %{size_download} bytes" >"$OUT/$server/$op.sample.txt" || true
        log "$server $op: sample answer $(cat "$OUT/$server/$op.sample.txt")"
        OP="$op" BODY="$body" bounded $((WARMUP + 30)) \
            wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout 10s -s "$BENCH_DIR/lua/post.lua" "$URL/" >/dev/null 2>&1 || true
        for run in $(seq "$RUNS"); do
            OP="$op" BODY="$body" bounded $((DURATION + 30)) \
                wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency -s "$BENCH_DIR/lua/post.lua" "$URL/" \
                >"$OUT/$server/$op-run$run.wrk" 2>&1 || log "$server $op run $run: wrk exited non-zero"
            log "$server $(grep -h '^RESULT' "$OUT/$server/$op-run$run.wrk" || echo "$op run $run: no RESULT line")"
        done
    done
    if [[ "$server" == emulator ]]; then
        log "emulator: device-SRP sign-ins for ${DEVICE_SECONDS}s, $DEVICE_PROCS procs x $DEVICE_THREADS threads"
        bounded $((DEVICE_SECONDS + 300)) "$CLIENT_PY" "$BENCH_DIR/py/device_signins.py" "$URL" "$DEVICE_SECONDS" \
            "$DEVICE_PROCS" "$DEVICE_THREADS" --json-out "$OUT/device.json" --pow "$DEVICE_POW" \
            --first-factor "$DEVICE_FIRST_FACTOR" --emulator-pid "$PID" >"$OUT/device.log" 2>&1 ||
            log "device sign-ins: failures or errors (see below)"
        cat "$OUT/device.log"
    fi
    ps -o pid=,rss=,cputime= -p "$PID" >"$OUT/$server/ps.txt" 2>/dev/null || true
    stop_pid "$PID"
done

echo
"$CLIENT_PY" "$BENCH_DIR/py/emulator_report.py" "$OUT" | tee "$OUT/summary.txt"
