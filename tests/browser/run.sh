#!/usr/bin/env bash
# AWS Amplify v6 in headless Chromium against the emulator binary, from a clean clone:
# installs Debian's chromium if missing, the pinned npm packages (npm ci), builds and starts
# the emulator on a free port, bundles the page script with esbuild, and runs the Node driver.
# Usage: bash tests/browser/run.sh   (from any directory; needs Node 20 and the Rust toolchain)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
suite=browser
started=$SECONDS
# shellcheck source=../lib/node-suite.sh
source "$repo/tests/lib/node-suite.sh"

ensure_chromium
npm_ci aws-amplify puppeteer-core esbuild aws-jwt-verify
start_emulator

# Bundle the page script (once per run; no other front-end build).
cd "$here"
if ! node_modules/.bin/esbuild page/page.js --bundle --format=iife --platform=browser \
    --target=es2020 --outfile=dist/page.js --log-level=warning; then
    die "esbuild could not bundle page/page.js"
fi
say "ok: esbuild bundled page/page.js into dist/page.js ($(wc -c < dist/page.js) bytes)"

# The driver: one line per step; it exits non-zero on the first failure.
run_driver "the Amplify walk failed (the FAIL line above says where)" \
    env EMULATOR_URL="$url" timeout 170 node run.mjs
say "ok: the whole Amplify walk passed in $((SECONDS - started)) s"
