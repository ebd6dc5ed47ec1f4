#!/usr/bin/env bash
# Runs the cognito-mfa scenario binary against moto_server and checks how it stops.
# Usage: bash tests/foreign/run.sh [extra pytest arguments]   (from any directory)
# With COGNITO_MFA_BIN set, that binary is tested and nothing is built.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.venv-foreign"
requirements="$here/requirements.txt"

# Everything the test talks to is on 127.0.0.1: keep proxies out of the way.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"

cd "$repo"
if [[ -z "${COGNITO_MFA_BIN:-}" ]]; then
    cargo build --release --quiet -p cognito-mfa
    export COGNITO_MFA_BIN="$repo/target/release/cognito-mfa"
fi
export PYTHONDONTWRITEBYTECODE=1
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/foreign "$@"
