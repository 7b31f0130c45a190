#!/usr/bin/env bash
# Installs every Debian package TTA needs to build, test and run. Idempotent: packages that
# are already present are skipped, so a second run is quick.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang-14 libclang-rt-14-dev lld-14
  # libraries (ARCHITECTURE.md: Debian's packages before hand-written code)
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libyaml-cpp-dev libkainjow-mustache-dev libre2-dev libsodium-dev
  libspdlog-dev libfmt-dev libcli11-dev libedit-dev libssl-dev
  libpqxx-dev libhiredis-dev
  # tests and benchmarks
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  prometheus  # promtool validates the /metrics exposition format in tests
  # real servers for the storage conformance tests
  postgresql redis-server
  # the web player's browser tests: Playwright drives Debian's Chromium, headless
  chromium fonts-dejavu-core
)
# Node.js and npm build and test the web player (docs/web.md); a Node.js already installed
# with its own npm (e.g. from NodeSource) is used as it is.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
else
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The web player's npm packages, exactly as web/package-lock.json pins them.
web_dir="$(dirname "$0")/../web"
if [ ! -f "$web_dir/node_modules/.package-lock.json" ] ||
   [ "$web_dir/package-lock.json" -nt "$web_dir/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci in web/"
  (cd "$web_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
