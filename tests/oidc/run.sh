#!/usr/bin/env bash
# A certified OpenID Connect relying party (openid-client v6) against the emulator binary,
# from a clean clone: installs the pinned npm packages (npm ci), builds and starts the emulator
# on a free port, and runs rp.mjs, which discovers the pool's issuer, walks the hosted sign-in
# over plain HTTP, exchanges the code, calls userInfo, refreshes and revokes.
# Usage: bash tests/oidc/run.sh   (from any directory; needs Node 20 and the Rust toolchain)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
suite=oidc
started=$SECONDS
# shellcheck source=../lib/node-suite.sh
source "$repo/tests/lib/node-suite.sh"

npm_ci openid-client
start_emulator

# The relying party: one line per step; it exits non-zero on the first failure.
run_driver "the OpenID Connect relying party failed (the FAIL line above says where)" \
    env EMULATOR_URL="$url" timeout 120 node rp.mjs
say "ok: the whole relying-party walk passed in $((SECONDS - started)) s"
