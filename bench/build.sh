#!/usr/bin/env bash
# Clean release build time with every dependency already downloaded, in a target folder of its
# own (bench/.work/build-target: the developer's target/ is left alone), and the duplicate
# dependency versions of the workspace (`cargo tree --workspace -d --edges normal`).
# See bench/README.md. Environment (defaults in brackets):
#   BUILD_ARGS [""] extra `cargo build --release` arguments (e.g. "--workspace", or "-p cognito-srp"
#   for a quick smoke run); BUILD_JOBS [cargo's default] for -j; BUILD_TIMEOUT [3600] s
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

BUILD_ARGS="${BUILD_ARGS:-}"
BUILD_JOBS="${BUILD_JOBS:-}"
BUILD_TIMEOUT="${BUILD_TIMEOUT:-3600}"
OUT="$RESULTS/build"
BUILD_TARGET="$WORK/build-target"
rm -rf "$OUT"
mkdir -p "$OUT"
read -r -a extra <<<"$BUILD_ARGS"
[[ -n "$BUILD_JOBS" ]] && extra+=(-j "$BUILD_JOBS")

cd "$REPO_ROOT"
log "cargo fetch"
cargo fetch "${CARGO_FLAGS[@]}" >"$OUT/fetch.log" 2>&1 || die "cargo fetch failed; see $OUT/fetch.log"

# Clean: a fresh target folder, and no compiler cache in between.
rm -rf "$BUILD_TARGET"
unset RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER CARGO_BUILD_RUSTC_WRAPPER
log "cargo build --release ${extra[*]} (CARGO_TARGET_DIR=$BUILD_TARGET, offline)"
start="$EPOCHREALTIME"
bounded "$BUILD_TIMEOUT" env CARGO_TARGET_DIR="$BUILD_TARGET" \
    cargo build --release --offline "${CARGO_FLAGS[@]}" "${extra[@]}" >"$OUT/build.log" 2>&1 ||
    die "cargo build failed or timed out; see $OUT/build.log"
end="$EPOCHREALTIME"
seconds="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
units="$(grep -c '^ *Compiling ' "$OUT/build.log" || true)"

cargo tree --workspace -d --edges normal "${CARGO_FLAGS[@]}" --offline >"$OUT/tree-duplicates.txt" 2>"$OUT/tree.stderr" ||
    die "cargo tree failed; see $OUT/tree.stderr"
# The roots of `cargo tree -d` (lines without tree drawing) are "name vX.Y.Z [(source)]".
duplicates="$(grep -E '^[A-Za-z0-9_-]+ v[0-9]' "$OUT/tree-duplicates.txt" | awk '{ print $1, $2 }' | sort -u |
    awk '{ versions[$1] = versions[$1] (versions[$1] == "" ? "" : ", ") $2; n[$1]++ }
         END { for (c in n) if (n[c] > 1) printf "%s (%s)\n", c, versions[c] }' | sort)"
count="$(printf '%s' "$duplicates" | grep -c . || true)"

{
    echo
    echo "clean release build: cargo build --release ${extra[*]}"
    echo "  $(rustc --version), $(nproc) CPUs"
    printf '  %-34s %s s (%s crates compiled)\n' "wall time" "$seconds" "$units"
    printf '  %-34s %s\n' "crates in more than one version" "$count (normal edges, whole workspace)"
    [[ -n "$duplicates" ]] && printf '%s\n' "$duplicates" | sed 's/^/    /'
    echo "  full list: $OUT/tree-duplicates.txt"
} | tee "$OUT/summary.txt"
