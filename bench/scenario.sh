#!/usr/bin/env bash
# Wall time of the whole offline scenario: `cognito-mfa < /dev/null` (embedded emulator, answers
# worked out), from start to exit. hyperfine when it is there or apt can install it, else a loop.
# See bench/README.md. Environment (defaults in brackets):
#   SCENARIO_RUNS [20] timed runs, SCENARIO_WARMUP [2] untimed runs first,
#   SCENARIO_RUN_TIMEOUT [60] s limit per run, SCENARIO_HYPERFINE [auto] (auto|no)
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SCENARIO_RUNS="${SCENARIO_RUNS:-20}"
SCENARIO_WARMUP="${SCENARIO_WARMUP:-2}"
SCENARIO_RUN_TIMEOUT="${SCENARIO_RUN_TIMEOUT:-60}"
SCENARIO_HYPERFINE="${SCENARIO_HYPERFINE:-auto}"
GOAL_MS=300
OUT="$RESULTS/scenario"
rm -rf "$OUT"
mkdir -p "$OUT"

cargo_release -p cognito-mfa --bin cognito-mfa
BIN="$TARGET_DIR/release/cognito-mfa"
[[ -x "$BIN" ]] || die "no binary at $BIN"
# One checked run first: the scenario must succeed before it is worth timing.
bounded "$SCENARIO_RUN_TIMEOUT" "$BIN" </dev/null >"$OUT/first-run.log" 2>&1 ||
    die "cognito-mfa < /dev/null failed; see $OUT/first-run.log"

if [[ "$SCENARIO_HYPERFINE" == auto ]] && ! command -v hyperfine >/dev/null; then
    apt_install hyperfine || log "hyperfine could not be installed with apt; timing with a loop instead"
fi

if [[ "$SCENARIO_HYPERFINE" == auto ]] && command -v hyperfine >/dev/null; then
    tool="hyperfine $(hyperfine --version | awk '{ print $2 }')"
    if hyperfine --help | grep -q -- '--input'; then
        command=(--shell=none --input /dev/null "$BIN")
    else # older hyperfine: a shell does the redirection; hyperfine subtracts the shell's own start-up
        command=("$BIN < /dev/null")
    fi
    log "$tool: $SCENARIO_WARMUP warm-up + $SCENARIO_RUNS runs"
    bounded $(((SCENARIO_RUNS + SCENARIO_WARMUP) * SCENARIO_RUN_TIMEOUT + 30)) \
        hyperfine --style basic --warmup "$SCENARIO_WARMUP" --runs "$SCENARIO_RUNS" \
        --export-json "$OUT/hyperfine.json" "${command[@]}" >"$OUT/hyperfine.txt" 2>&1 ||
        die "hyperfine failed (a run exited non-zero or timed out); see $OUT/hyperfine.txt"
    python3 -c 'import json, sys
for t in json.load(open(sys.argv[1]))["results"][0]["times"]:
    print(f"{t * 1000:.3f}")' "$OUT/hyperfine.json" >"$OUT/times-ms.txt"
else
    tool="bash loop (EPOCHREALTIME)"
    [[ -x /usr/bin/time ]] && tool="$tool + /usr/bin/time for peak RSS"
    log "$tool: $SCENARIO_WARMUP warm-up + $SCENARIO_RUNS runs"
    : >"$OUT/times-ms.txt"
    : >"$OUT/rss-kb.txt"
    for run in $(seq $((SCENARIO_WARMUP + SCENARIO_RUNS))); do
        wrapper=()
        [[ -x /usr/bin/time ]] && wrapper=(/usr/bin/time -f '%M' -o "$OUT/rss.tmp")
        start="$EPOCHREALTIME"
        bounded "$SCENARIO_RUN_TIMEOUT" "${wrapper[@]}" "$BIN" </dev/null >/dev/null 2>"$OUT/run.stderr" ||
            die "run $run failed or timed out; see $OUT/run.stderr"
        end="$EPOCHREALTIME"
        if ((run > SCENARIO_WARMUP)); then
            awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }' >>"$OUT/times-ms.txt"
            [[ -f "$OUT/rss.tmp" ]] && tail -n 1 "$OUT/rss.tmp" >>"$OUT/rss-kb.txt"
        fi
    done
fi

{
    echo
    echo "cognito-mfa < /dev/null, whole scenario on the embedded emulator ($tool, $SCENARIO_RUNS runs)"
    sort -g "$OUT/times-ms.txt" | awk -v goal="$GOAL_MS" '
        { v[NR] = $1 }
        END {
            median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%-10s %10s %10s %10s   %s\n", "", "min", "median", "max", "goal"
            printf "%-10s %7.1f ms %7.1f ms %7.1f ms   median < %d ms: %s\n", "wall", v[1], median, v[NR], goal,
                (median < goal) ? "met" : "MISSED"
        }'
    if [[ -s "$OUT/rss-kb.txt" ]]; then
        echo "peak RSS: $(sort -g "$OUT/rss-kb.txt" | tail -n 1) kB (max over runs)"
    fi
} | tee "$OUT/summary.txt"
