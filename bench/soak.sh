#!/usr/bin/env bash
# Soak: many concurrent clients each running the whole scenario (sign-up, confirmation, MFA
# setup, TOTP sign-in, ConfirmDevice, device-SRP sign-in, deletion) against an in-process
# emulator, round after round, in a release build: every flow must succeed, no user may get
# another's tokens, and memory must stay flat from round to round.
# SOAK_CLIENTS (default 1000) concurrent flows per round, SOAK_ROUNDS (default 10) rounds.
# After every round the emulator must hold no user, session, device or refresh grant. The
# process's RSS (test clients included) may grow while allocators and connection pools warm up:
# SOAK_MAX_RSS_GROWTH_KIB (default 65536) bounds it against round 1 (10 x 1000 was seen to
# plateau about 25-35 MB above round 1).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
clients="${SOAK_CLIENTS:-1000}"
rounds="${SOAK_ROUNDS:-10}"
echo "soak: $rounds rounds of $clients concurrent whole-scenario flows (release build)"
LOAD_CLIENTS="$clients" LOAD_ROUNDS="$rounds" LOAD_MAX_RSS_GROWTH_KIB="${SOAK_MAX_RSS_GROWTH_KIB:-65536}" \
    cargo test --release --locked -p cognito-emulator --test load -- --nocapture 2>&1 |
    grep -E "^round |test result|panicked|failed|memory grew"
