#!/usr/bin/env bash
# Managed login in headless Chromium against the emulator binary, from a clean clone: installs
# Debian's chromium if missing, the pinned npm packages (npm ci), builds and starts the emulator
# on a free port, and runs the Node driver, which walks the hosted pages through sign-up, MFA
# setup, sign-out, sign-in with TOTP and with a remembered device, checks every page with
# axe-core and exchanges the last code at the token endpoint.
# Usage: bash tests/managed-login/run.sh   (from any directory; needs Node 20 and the Rust toolchain)
#        SCREENSHOTS=1 bash tests/managed-login/run.sh   also rewrites docs/images/managed-login-*.png
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
started=$SECONDS

say() { printf 'managed-login: %s\n' "$*"; }
die() {
    printf 'managed-login: FAIL: %s\n' "$*" >&2
    exit 1
}

# Everything the test talks to is on loopback: keep proxies out of the way.
export NO_PROXY="127.0.0.1,localhost,.localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

# 1. Chromium, from Debian (puppeteer-core downloads no browser).
chromium="${CHROMIUM:-$(command -v chromium || true)}"
if [[ -z "$chromium" ]]; then
    say "chromium is missing: installing Debian's package"
    if [[ $(id -u) -eq 0 ]]; then
        as_root=()
    elif command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
        as_root=(sudo -n)
    else
        die "chromium is not installed and this user can neither apt-get (not root) nor sudo; install it with: apt-get install chromium"
    fi
    log="$(mktemp)"
    if ! { "${as_root[@]}" apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium; } > "$log" 2>&1; then
        tail -20 "$log" >&2
        die "apt-get install chromium failed (log above)"
    fi
    chromium="$(command -v chromium || true)"
    [[ -n "$chromium" ]] || die "apt-get installed chromium but no chromium is on PATH"
fi
export CHROMIUM="$chromium"
say "ok: chromium at $chromium ($("$chromium" --version 2> /dev/null | head -1 || echo 'version unknown'))"

# 2. The pinned npm packages, exactly as in package-lock.json.
command -v node > /dev/null || die "node is not installed"
command -v npm > /dev/null || die "npm is not installed"
cd "$here"
if ! npm ci --no-audit --no-fund --loglevel=error > "$here/.npm-ci.log" 2>&1; then
    tail -20 "$here/.npm-ci.log" >&2
    die "npm ci failed (log above)"
fi
rm -f "$here/.npm-ci.log"
versions="$(node -e '
    const fs = require("fs");
    const names = ["puppeteer-core", "axe-core", "openid-client"];
    console.log(names.map((n) => n + " " + JSON.parse(fs.readFileSync("node_modules/" + n + "/package.json")).version).join(", "));
')" || die "cannot read the installed package versions"
say "ok: npm ci ($versions)"

# 3. The emulator binary.
cd "$repo"
if ! cargo build --quiet -p cognito-emulator; then
    die "cargo build -p cognito-emulator failed"
fi
binary="$repo/target/debug/cognito-emulator"
[[ -x "$binary" ]] || die "no emulator binary at $binary after cargo build"
say "ok: cargo build -p cognito-emulator"

# 4. Start it on a free port and read its URL from its ready line; stop it on exit.
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

# 5. The driver: one line per step; it exits non-zero on the first failure.
cd "$here"
if ! EMULATOR_URL="$url" REPO="$repo" timeout 150 node walk.mjs; then
    if [[ -s "$emulator_log" ]]; then
        printf -- '--- emulator output:\n' >&2
        tail -20 "$emulator_log" | sed 's/\x1b\[[0-9;]*m//g' >&2
    fi
    die "the managed-login walk failed (the FAIL line above says where)"
fi
say "ok: the whole managed-login walk passed in $((SECONDS - started)) s"
