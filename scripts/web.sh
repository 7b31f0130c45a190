#!/usr/bin/env bash
# Builds the web player into web/dist, which `tta serve` serves at / (docs/web.md). The npm
# packages come from scripts/setup.sh (npm ci).
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v npm >/dev/null 2>&1 || [ ! -f node_modules/.package-lock.json ]; then
  echo "web: Node.js, npm or the web player's packages are missing; run scripts/setup.sh" >&2
  exit 1
fi
echo "== web: build"
npm run --silent build
