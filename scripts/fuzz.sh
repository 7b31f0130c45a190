#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, `fuzz` preset) and runs each for SECONDS (default 20)
# over its seed corpus in fuzz/corpus/. New inputs go to a temporary folder, so the kept corpus
# changes only when someone adds a minimised crasher on purpose. Exits non-zero on any crash.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}

targets=(world_loader_fuzz:world world_expr_fuzz:world safety_gate_fuzz:safety api_request_fuzz:api)
echo "== fuzz: configure and build (clang-14 + libFuzzer)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]%%:*}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${targets[@]}"; do
  target=${entry%%:*}
  corpus=fuzz/corpus/${entry##*:}
  mkdir -p "$work/$target"
  echo "== fuzz: $target for ${seconds}s"
  if ! build/fuzz/fuzz/$target -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$work/$target-" "$work/$target" "$corpus" >"$work/$target.log" 2>&1; then
    tail -40 "$work/$target.log"
    echo "fuzz: $target found a crash; the input is in the log above." \
         "Minimise it (-minimize_crash=1), fix the bug, and keep the input in $corpus." >&2
    exit 1
  fi
  grep -E "stat::number_of_executed_units|Done" "$work/$target.log" | tail -1
done
echo "fuzz: all ${#targets[@]} targets ran clean"
