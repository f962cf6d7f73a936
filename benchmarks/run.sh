#!/usr/bin/env bash
# The benchmark command: make (or reuse) .venv-test, then run the
# benchmarks with any arguments given (--quick, --write FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/venv.sh
exec .venv-test/bin/python benchmarks/run.py "$@"
