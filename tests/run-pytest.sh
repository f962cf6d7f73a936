#!/usr/bin/env bash
# The test command: make (or reuse) the test environment .venv-test, then
# run pytest with any arguments given.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/venv.sh
exec .venv-test/bin/python -m pytest "$@"
