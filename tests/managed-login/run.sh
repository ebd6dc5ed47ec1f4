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
suite=managed-login
started=$SECONDS
# shellcheck source=../lib/node-suite.sh
source "$repo/tests/lib/node-suite.sh"

ensure_chromium
npm_ci puppeteer-core axe-core openid-client
start_emulator

# The driver: one line per step; it exits non-zero on the first failure.
run_driver "the managed-login walk failed (the FAIL line above says where)" \
    env EMULATOR_URL="$url" REPO="$repo" timeout 150 node walk.mjs
say "ok: the whole managed-login walk passed in $((SECONDS - started)) s"
