#!/usr/bin/env bash
# Lint every CloudFormation template in this folder with a pinned cfn-lint.
# Exits non-zero if cfn-lint reports anything.
set -euo pipefail

CFN_LINT_VERSION="1.58.0"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/../.." && pwd)"
venv="${repo_root}/.venv-cfn-lint"

if [[ ! -x "${venv}/bin/cfn-lint" ]] \
  || [[ "$("${venv}/bin/python" -m pip show cfn-lint 2>/dev/null | sed -n 's/^Version: //p')" != "${CFN_LINT_VERSION}" ]]; then
  python3 -m venv "${venv}"
  "${venv}/bin/python" -m pip install --quiet --disable-pip-version-check \
    "cfn-lint==${CFN_LINT_VERSION}"
fi

shopt -s nullglob
templates=("${repo_root}"/resources/cloudformation/*.yaml)
if [[ ${#templates[@]} -eq 0 ]]; then
  echo "no templates found in ${repo_root}/resources/cloudformation" >&2
  exit 1
fi

"${venv}/bin/cfn-lint" -- "${templates[@]}"
