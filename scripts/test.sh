#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds the debug preset (ASan + UBSan),
# runs each fuzz target briefly, then every CTest test (unit, integration, e2e).
# Extra arguments go to ctest, e.g. -L unit (the fuzz step is then skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/web.sh  # web/dist, which the browser tests (label e2e) play through tta serve
echo "== configure (debug preset)"
cmake --preset debug >/dev/null
echo "== build"
cmake --build --preset debug
if [ $# -eq 0 ]; then
  bash scripts/fuzz.sh "${TTA_FUZZ_SECONDS:-15}"
fi
echo "== test"
ctest --preset debug "$@"
