#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds the debug preset (ASan + UBSan) and
# runs every CTest test (unit, integration, e2e). Extra arguments go to ctest, e.g. -L unit.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
echo "== configure (debug preset)"
cmake --preset debug >/dev/null
echo "== build"
cmake --build --preset debug
echo "== test"
ctest --preset debug "$@"
