#!/usr/bin/env bash
# A certified OpenID Connect relying party (openid-client v6) against the emulator binary,
# from a clean clone: installs the pinned npm packages (npm ci), builds and starts the emulator
# on a free port, and runs rp.mjs, which discovers the pool's issuer, walks the hosted sign-in
# over plain HTTP, exchanges the code, calls userInfo, refreshes and revokes.
# Usage: bash tests/oidc/run.sh   (from any directory; needs Node 20 and the Rust toolchain)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
started=$SECONDS

say() { printf 'oidc: %s\n' "$*"; }
die() {
    printf 'oidc: FAIL: %s\n' "$*" >&2
    exit 1
}

# Everything the test talks to is on 127.0.0.1: keep proxies out of the way.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

# 1. The pinned npm packages, exactly as in package-lock.json.
command -v node > /dev/null || die "node is not installed"
command -v npm > /dev/null || die "npm is not installed"
cd "$here"
if ! npm ci --no-audit --no-fund --loglevel=error > "$here/.npm-ci.log" 2>&1; then
    tail -20 "$here/.npm-ci.log" >&2
    die "npm ci failed (log above)"
fi
rm -f "$here/.npm-ci.log"
version="$(node -p 'require("./node_modules/openid-client/package.json").version')" \
    || die "cannot read the installed openid-client version"
say "ok: npm ci (openid-client $version)"

# 2. The emulator binary.
cd "$repo"
if ! cargo build --quiet -p cognito-emulator; then
    die "cargo build -p cognito-emulator failed"
fi
binary="$repo/target/debug/cognito-emulator"
[[ -x "$binary" ]] || die "no emulator binary at $binary after cargo build"
say "ok: cargo build -p cognito-emulator"

# 3. Start it on a free port and read its URL from its ready line; stop it on exit.
emulator_log="$(mktemp)"
emulator_pid=""
cleanup() {
    if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2> /dev/null; then
        kill "$emulator_pid" 2> /dev/null || true
        wait "$emulator_pid" 2> /dev/null || true
    fi
    rm -f "$emulator_log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$binary" --port 0 > "$emulator_log" 2>&1 &
emulator_pid=$!
url=""
for _ in $(seq 1 200); do
    url="$(sed -n 's/^cognito-emulator listening on \(http:\/\/127\.0\.0\.1:[0-9][0-9]*\).*$/\1/p' "$emulator_log" | head -1)"
    [[ -n "$url" ]] && break
    kill -0 "$emulator_pid" 2> /dev/null || {
        cat "$emulator_log" >&2
        die "the emulator exited before printing its URL (output above)"
    }
    sleep 0.1
done
[[ -n "$url" ]] || die "the emulator printed no 'listening on' line within 20 s"
say "ok: emulator listening on $url"

# 4. The relying party: one line per step; it exits non-zero on the first failure.
cd "$here"
if ! EMULATOR_URL="$url" timeout 120 node rp.mjs; then
    if [[ -s "$emulator_log" ]]; then
        printf -- '--- emulator output:\n' >&2
        tail -20 "$emulator_log" | sed 's/\x1b\[[0-9;]*m//g' >&2
    fi
    die "the OpenID Connect relying party failed (the FAIL line above says where)"
fi
say "ok: the whole relying-party walk passed in $((SECONDS - started)) s"
