#!/usr/bin/env bash
# Make (or update) .venv-test: the pinned tools of tests/requirements.txt
# and this checkout.  Used by tests/run-pytest.sh and benchmarks/run.sh.
# Needs only python3 (3.10+) and a package index for the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
if [ ! -x .venv-test/bin/python ]; then
    "$python" -m venv .venv-test
fi
.venv-test/bin/python -m pip install -q --disable-pip-version-check \
    -r tests/requirements.txt
.venv-test/bin/python -m pip install -q --disable-pip-version-check \
    --no-build-isolation -e .
