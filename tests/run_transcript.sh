#!/usr/bin/env bash
# Plays a golden transcript through `tta play --script` and compares the output.
#
# A transcript is what `tta play --script` prints — the opening, then "> command" lines each
# followed by the reply — preceded by header lines:
#   # world: saltmarsh
#   # seed: 42
#   # name: Sam            (optional; the character's name)
#   # locale: en-GB        (optional; for crisis lines; default en, the worldwide list)
# Usage: run_transcript.sh TTA_BINARY FILE.transcript [--update]
set -euo pipefail
tta=$1
file=$2
mode=${3:-}

world=$(sed -n 's/^# world: *//p' "$file" | head -1)
seed=$(sed -n 's/^# seed: *//p' "$file" | head -1)
name=$(sed -n 's/^# name: *//p' "$file" | head -1)
locale=$(sed -n 's/^# locale: *//p' "$file" | head -1)
[ -n "$world" ] && [ -n "$seed" ] || { echo "$file:1: needs '# world:' and '# seed:' headers" >&2; exit 2; }

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
actual=$(mktemp -p "$data")
grep '^> ' "$file" | sed 's/^> //' |
  "$tta" play --world "$world" --seed "$seed" --new --data "$data/db" --name "${name:-Sam}" \
    --locale "${locale:-en}" \
    --script - >"$actual"

if [ "$mode" = "--update" ]; then
  { grep '^# ' "$file"; cat "$actual"; } >"$file.new" && mv "$file.new" "$file"
  echo "updated $file"
  exit 0
fi
if ! diff -u <(grep -v '^# ' "$file") "$actual"; then
  echo "$file: the transcript differs (lines with - are expected, + are what TTA printed)." >&2
  echo "If the change is intended: tests/run_transcript.sh $tta $file --update" >&2
  exit 1
fi
