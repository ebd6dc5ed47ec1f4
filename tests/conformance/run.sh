#!/usr/bin/env bash
# Runs the Python conformance suite against a freshly built emulator.
# Usage: bash tests/conformance/run.sh [extra pytest arguments]   (from any directory)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.venv-conformance"
requirements="$here/requirements.txt"

# Everything the suite talks to is on 127.0.0.1: keep proxies out of the way.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"

cd "$repo"
cargo build --release --quiet -p cognito-emulator

export COGNITO_EMULATOR_BIN="${COGNITO_EMULATOR_BIN:-$repo/target/release/cognito-emulator}"
export PYTHONDONTWRITEBYTECODE=1
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/conformance "$@"
