# shellcheck shell=bash
# Helpers shared by bench/*.sh. Sourced, never run on its own.
# Everything a script installs or writes lives under bench/.work/ (ignored by bench/.gitignore).

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/.work"
RESULTS="$WORK/results"
LOGS="$WORK/logs"
mkdir -p "$WORK" "$RESULTS" "$LOGS"

# Every server we talk to is on 127.0.0.1: keep any proxy from the environment out of the way.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"
export PYTHONDONTWRITEBYTECODE=1

# Cargo: --locked so a benchmark never rewrites Cargo.lock (CARGO_LOCKED=0 to drop it).
CARGO_FLAGS=()
[[ "${CARGO_LOCKED:-1}" == 1 ]] && CARGO_FLAGS+=(--locked)
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
[[ "$TARGET_DIR" == /* ]] || TARGET_DIR="$REPO_ROOT/$TARGET_DIR"

# Pinned peer versions (override to try others).
PYCOGNITO_VERSION="${PYCOGNITO_VERSION:-2024.5.1}"
GMPY2_VERSION="${GMPY2_VERSION:-2.3.2}"
BOTO3_VERSION="${BOTO3_VERSION:-1.44.5}"
MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
COGNITO_JS_VERSION="${COGNITO_JS_VERSION:-6.3.21}"
COGNITO_LOCAL_VERSION="${COGNITO_LOCAL_VERSION:-5.3.0}"
# fakecloud is AGPL: it is built from crates.io into $WORK and run as a separate process, never
# linked into or copied into this project.
FAKECLOUD_VERSION="${FAKECLOUD_VERSION:-0.51.0}"
FAKECLOUD_BIN="$WORK/fakecloud-$FAKECLOUD_VERSION/bin/fakecloud"
# The Python client venv shared by srp.sh, emulator.sh and scale.sh.
CLIENT_VENV=venv-client
# shellcheck disable=SC2034 # used by the scripts that source this file
CLIENT_PY="$WORK/$CLIENT_VENV/bin/python"
ensure_client_venv() {
    ensure_venv "$CLIENT_VENV" "pycognito==$PYCOGNITO_VERSION" "gmpy2==$GMPY2_VERSION" "boto3==$BOTO3_VERSION"
}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ensure_venv NAME REQUIREMENT...: a Python venv at $WORK/NAME holding these requirements.
# Reinstalls only when the requirement list changes.
ensure_venv() {
    local name=$1
    shift
    local dir="$WORK/$name"
    local stamp="$dir/.bench-requirements"
    local want
    want="$(printf '%s\n' "$@")"
    command -v python3 >/dev/null || die "python3 is needed (for $name)"
    if [[ ! -x "$dir/bin/python" ]]; then
        log "creating venv $dir"
        python3 -m venv "$dir" || die "python3 -m venv $dir failed (Debian: apt-get install python3-venv)"
    fi
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
        log "pip install into $name: $*"
        "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >"$LOGS/pip-$name.log" 2>&1 ||
            die "pip install failed for $name; see $LOGS/pip-$name.log"
        printf '%s\n' "$want" >"$stamp"
    fi
}

# ensure_npm NAME PACKAGE@VERSION: an npm project at $WORK/NAME with that package installed.
ensure_npm() {
    local name=$1 package=$2
    local dir="$WORK/$name"
    local stamp="$dir/.bench-package"
    command -v npm >/dev/null || die "node and npm are needed (for $package)"
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$package" ]]; then
        log "npm install into $name: $package"
        mkdir -p "$dir"
        [[ -f "$dir/package.json" ]] || printf '{"name":"bench-%s","private":true}\n' "$name" >"$dir/package.json"
        (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "$package") >"$LOGS/npm-$name.log" 2>&1 ||
            die "npm install $package failed; see $LOGS/npm-$name.log"
        printf '%s\n' "$package" >"$stamp"
    fi
}

# ensure_fakecloud: builds fakecloud $FAKECLOUD_VERSION once (cargo install --locked into its own
# folder under $WORK; about half an hour on two CPUs), then reuses it.
ensure_fakecloud() {
    [[ -x "$FAKECLOUD_BIN" ]] && return 0
    log "cargo install fakecloud $FAKECLOUD_VERSION into $WORK (once; slow)"
    CARGO_TARGET_DIR="$WORK/fakecloud-target" cargo install fakecloud --version "$FAKECLOUD_VERSION" --locked \
        --root "$WORK/fakecloud-$FAKECLOUD_VERSION" >"$LOGS/cargo-install-fakecloud.log" 2>&1 ||
        die "cargo install fakecloud failed; see $LOGS/cargo-install-fakecloud.log"
    rm -rf "$WORK/fakecloud-target"
}

# apt_install PACKAGE: installs a Debian package (as root, or with passwordless sudo).
apt_install() {
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null || return 1
        sudo=(sudo -n)
    fi
    log "apt-get install $1"
    { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$1"; } \
        >"$LOGS/apt-$1.log" 2>&1
}

ensure_wrk() {
    command -v wrk >/dev/null && return 0
    apt_install wrk || true
    command -v wrk >/dev/null ||
        die "wrk is not installed and 'apt-get install wrk' failed (see $LOGS/apt-wrk.log); install wrk (https://github.com/wg/wrk) and rerun"
}

# cargo_release ARGS...: cargo build --release in the repository.
cargo_release() {
    log "cargo build --release $*"
    (cd "$REPO_ROOT" && cargo build --release "${CARGO_FLAGS[@]}" "$@") ||
        die "cargo build --release $* failed"
}

# ---- servers -----------------------------------------------------------------------------------
# Every process started with start_bg is stopped on exit, whatever the reason.
BENCH_PIDS=()
stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    local _
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
stop_all() {
    local k
    for ((k = ${#BENCH_PIDS[@]} - 1; k >= 0; k--)); do # clients first, then servers
        stop_pid "${BENCH_PIDS[k]}"
    done
    BENCH_PIDS=()
}
forget_pid() {
    local keep=() pid
    for pid in "${BENCH_PIDS[@]}"; do
        [[ "$pid" == "$1" ]] || keep+=("$pid")
    done
    BENCH_PIDS=("${keep[@]}")
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# bounded SECONDS COMMAND...: COMMAND under `timeout`, run in the background and waited for, so
# that Ctrl-C or a TERM to this script is acted on at once and the EXIT trap stops it (timeout
# passes the signal on to everything COMMAND started). Returns COMMAND's status (124: timed out).
bounded() {
    local seconds=$1
    shift
    timeout "$seconds" "$@" &
    local pid=$! rc=0
    BENCH_PIDS+=("$pid")
    wait "$pid" || rc=$?
    forget_pid "$pid"
    return "$rc"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_http URL SECONDS: until URL answers any HTTP status (an awsJson ListUserPools).
wait_http() {
    local url=$1 seconds=${2:-30} _
    for _ in $(seq $((seconds * 5))); do
        if curl -s --noproxy '*' --max-time 2 -o /dev/null -X POST "$url/" \
            -H 'Content-Type: application/x-amz-json-1.1' \
            -H 'X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools' \
            -d '{"MaxResults":1}'; then
            return 0
        fi
        sleep 0.2
    done
    return 1
}

EMU_BIN="$TARGET_DIR/release/cognito-emulator"
# start_emulator: runs the release emulator on a free port; sets EMU_URL and EMU_PID.
# start_emulator [EXTRA ARGS...]: sets EMU_URL and EMU_PID.
start_emulator() {
    local out="$LOGS/emulator.stdout" err="$LOGS/emulator.stderr" _
    [[ -x "$EMU_BIN" ]] || die "no emulator binary at $EMU_BIN"
    : >"$out"
    RUST_LOG="${EMU_RUST_LOG:-warn}" "$EMU_BIN" --host 127.0.0.1 --port 0 "$@" </dev/null >"$out" 2>"$err" &
    EMU_PID=$!
    BENCH_PIDS+=("$EMU_PID")
    EMU_URL=""
    for _ in $(seq 400); do
        EMU_URL="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$out" | head -n 1 || true)"
        [[ -n "$EMU_URL" ]] && return 0
        kill -0 "$EMU_PID" 2>/dev/null || die "emulator exited at start: $(tail -n 5 "$err")"
        sleep 0.05
    done
    die "emulator printed no URL within 20 s"
}

# median of numbers given as arguments
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
