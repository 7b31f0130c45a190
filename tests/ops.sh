#!/usr/bin/env bash
# End to end: the operator's commands on a real data directory — migrate, play a little,
# back up while the data exists, damage the database, see it refused, restore, play on.
set -euo pipefail
tta=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

fail() { echo "ops.sh: $*" >&2; exit 1; }

migrated=$("$tta" migrate --data data)
grep -q "schema version" <<<"$migrated" || fail "migrate printed no version"
printf 'look\n' | "$tta" play --data data --new --seed 1 --script - >/dev/null
"$tta" backup --data data backup.db >/dev/null
[ -s backup.db ] || fail "no backup written"
if "$tta" backup --data data backup.db 2>/dev/null; then fail "backup overwrote a file"; fi

# A damaged database is refused with instructions, and left exactly as it was.
printf 'this is not a database, it is a sandwich' > data/tta.db
before=$(sha256sum data/tta.db)
if out=$("$tta" migrate --data data 2>&1); then fail "a damaged database was accepted"; fi
echo "$out" | grep -qi "restore" || fail "the error does not say how to recover: $out"
[ "$before" = "$(sha256sum data/tta.db)" ] || fail "the damaged file was changed"

"$tta" restore --data data backup.db >/dev/null
ls data | grep -q "tta.db.replaced-" || fail "the replaced database was not kept"
resumed=$(printf 'look\n' | "$tta" play --data data --script -)
grep -q "Resuming your story" <<<"$resumed" || fail "the restored story did not resume"
echo "ops: 1 passed, 0 failed"
