#!/usr/bin/env bash
# The test command: make (or reuse) the test environment .venv-test with
# the pinned tools of tests/requirements.txt and this checkout, then run
# pytest with any arguments given.  Needs only python3 (3.10+) and access
# to a package index for the first run.
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
exec .venv-test/bin/python -m pytest "$@"
