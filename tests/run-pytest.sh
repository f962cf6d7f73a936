#!/usr/bin/env bash
# The test command: make (or reuse) the test environment .venv-test, then
# run pytest with any arguments given, in PYTEST_WORKERS processes (2:
# most tests wait on servers and subprocesses; 0 runs them in this one).
# Each test file stays in one process (--dist loadfile): its module-scoped
# servers are started once.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/venv.sh
exec .venv-test/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" \
    --dist loadfile "$@"
