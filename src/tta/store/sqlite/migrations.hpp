// Schema migrations for the SQLite backend (ARCHITECTURE.md, principle 8). Numbered from 1,
// forward-only: a released migration is never edited, a change is a new migration. Each one
// runs in its own transaction together with the row in `schema_migrations` that records it,
// so a database is always at exactly one version. docs/storage.md lists them.
#pragma once

#include <cstdint>
#include <string_view>

#include "tta/core/error.hpp"
#include "tta/store/sqlite/db.hpp"

namespace tta::store::sqlite {

// The version this build migrates to.
int LatestSchemaVersion();

// The version of the database: 0 for an empty file. kUnavailable for a SQLite database that
// is not TTA's (tables but no schema_migrations).
Result<int> ReadSchemaVersion(Connection& conn);

// Applies migrations (current, target] in order, recording each at `now_ms`. kUnavailable if
// the database is newer than `target` allows (it was written by a newer TTA); kInvalid if
// target is outside [0, LatestSchemaVersion()].
Status Migrate(Connection& conn, int target, std::int64_t now_ms);

}  // namespace tta::store::sqlite
