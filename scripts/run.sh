#!/usr/bin/env bash
# Installs what is missing, builds the release preset and runs TTA. With no arguments it
# starts the terminal player; any arguments are passed to `tta` (e.g. `serve --port 8080`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh >&2
bash scripts/web.sh >&2  # the web player that `tta serve` serves at /
cmake --preset release >/dev/null
cmake --build --preset release >&2
if [ $# -eq 0 ]; then set -- play; fi
exec build/release/app/tta "$@"
