# Shared steps of the Node suites (tests/browser, tests/managed-login, tests/oidc), sourced by
# their run.sh after setting `suite` (the name their lines start with), `here` (their folder)
# and `repo`. Each step dies with a line saying what to do when it cannot go on.

say() { printf '%s: %s\n' "$suite" "$*"; }
die() {
    printf '%s: FAIL: %s\n' "$suite" "$*" >&2
    exit 1
}

# Everything the suites talk to is on loopback: keep proxies out of the way.
export NO_PROXY="127.0.0.1,localhost,.localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

# Debian's chromium, installed with apt-get if missing (puppeteer-core downloads no browser);
# exports CHROMIUM.
ensure_chromium() {
    local chromium log
    local -a as_root
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
}

# The pinned npm packages of $here, exactly as in its package-lock.json; says the versions of
# the packages named.
npm_ci() {
    local versions
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
        const names = process.argv.slice(1);
        console.log(names.map((n) => n + " " + JSON.parse(fs.readFileSync("node_modules/" + n + "/package.json")).version).join(", "));
    ' "$@")" || die "cannot read the installed package versions"
    say "ok: npm ci ($versions)"
}

# Builds the emulator and starts it on a free port; sets `url` from its ready line and
# `emulator_log`, and stops it when the script exits.
start_emulator() {
    local binary
    cd "$repo"
    if ! cargo build --quiet -p cognito-emulator; then
        die "cargo build -p cognito-emulator failed"
    fi
    binary="$repo/target/debug/cognito-emulator"
    [[ -x "$binary" ]] || die "no emulator binary at $binary after cargo build"
    say "ok: cargo build -p cognito-emulator"
    emulator_log="$(mktemp)"
    emulator_pid=""
    trap stop_emulator EXIT
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
}

stop_emulator() {
    if [[ -n "${emulator_pid:-}" ]] && kill -0 "$emulator_pid" 2> /dev/null; then
        kill "$emulator_pid" 2> /dev/null || true
        wait "$emulator_pid" 2> /dev/null || true
    fi
    rm -f "${emulator_log:-}"
}

# Runs a driver (`node <script>` with the environment given) and, when it fails, shows the
# emulator's last lines and dies with `what`.
run_driver() {
    local what="$1"
    shift
    cd "$here"
    if ! "$@"; then
        if [[ -s "$emulator_log" ]]; then
            printf -- '--- emulator output:\n' >&2
            tail -20 "$emulator_log" | sed 's/\x1b\[[0-9;]*m//g' >&2
        fi
        die "$what"
    fi
}
