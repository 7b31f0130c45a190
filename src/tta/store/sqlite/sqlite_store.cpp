// Opening, checking, backing up and restoring the SQLite database. The SessionStore,
// AccountStore and TherapyStore methods are in session_ops.cpp, account_ops.cpp and
// therapy_ops.cpp.
#include "tta/store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <mutex>
#include <string>
#include <system_error>

#include "tta/store/sqlite/migrations.hpp"
#include "tta/store/sqlite/store_impl.hpp"

namespace tta::store::sqlite {

namespace {

int BusyMillis(const SqliteOptions& o) { return static_cast<int>(o.busy_timeout.count()); }

std::filesystem::path WithSuffix(const std::filesystem::path& p, std::string_view suffix) {
    return std::filesystem::path(p.string() + std::string(suffix));
}

// Checks an existing file before anything writes to it. Uses a read-only connection that
// never checkpoints, so a damaged file (and any WAL beside it) is left exactly as found.
Status CheckExisting(const std::filesystem::path& path, const SqliteOptions& o) {
    auto conn = Connection::Open(path, Connection::Mode::kReadOnly, BusyMillis(o));
    if (!conn) return conn.error();
    sqlite3_db_config(conn->Handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    auto verdict = conn->QueryText(o.check_on_open ? "PRAGMA quick_check"
                                                   : "SELECT count(*) FROM sqlite_schema");
    if (!verdict) {
        // Damage (SQLITE_CORRUPT, SQLITE_NOTADB) already carries the operator's advice.
        return Error{verdict.error().code,
                     "cannot use the database " + path.string() + ": " + verdict.error().message};
    }
    if (o.check_on_open && *verdict != "ok") {
        return Error::Unavailable("the database " + path.string() +
                                  " failed its integrity check (PRAGMA quick_check: " +
                                  verdict->substr(0, 200) + "). " + std::string(kDamagedAdvice));
    }
    if (auto version = ReadSchemaVersion(*conn); !version) return version.error();
    return Ok();
}

// Copies the whole database behind `from` into a new file at `to` with the backup API, in
// rollback-journal mode (a standalone file with no -wal beside it), fsynced.
Status CopyDatabase(Connection& from, const std::filesystem::path& to, int busy_ms) {
    auto dst = Connection::Open(to, Connection::Mode::kReadWriteCreate, busy_ms);
    if (!dst) return dst.error();
    sqlite3_backup* backup = sqlite3_backup_init(dst->Handle(), "main", from.Handle(), "main");
    if (backup == nullptr) {
        return SqliteError(dst->Handle(), sqlite3_errcode(dst->Handle()), "starting a backup");
    }
    int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) return SqliteError(dst->Handle(), rc, "copying the database");
    auto mode = dst->QueryText("PRAGMA journal_mode=DELETE");
    if (!mode) return mode.error();
    auto check = dst->QueryText("PRAGMA quick_check");
    if (!check) return check.error();
    if (*check != "ok") return Error::Internal("the copy failed its integrity check: " + *check);
    *dst = Connection();  // close before syncing
    return FsyncPath(to);
}

// See SqliteOptions::tune_allocator.
void TuneAllocator() {
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] { mallopt(M_TRIM_THRESHOLD, 4 << 20); });
#endif
}

void RemoveIfExists(const std::filesystem::path& p) {
    std::error_code ec;
    std::filesystem::remove(p, ec);
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStore::~SqliteStore() {
    // Readers first, so that the writer is the last connection: closing it checkpoints the WAL
    // into tta.db and removes the -wal file, leaving one self-contained file.
    impl_->idle_readers.clear();
    impl_->committer.reset();  // finishes queued writes, then closes the writer
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options) {
    if (sqlite3_threadsafe() == 0) {
        return Error::Internal("SQLite was built without thread support");
    }
    if (options.tune_allocator) TuneAllocator();
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->clock = options.clock != nullptr ? options.clock : &impl->system_clock;

    std::error_code ec;
    std::filesystem::create_directories(options.data_dir, ec);
    if (ec) {
        return Error::Unavailable("cannot create the data directory " + options.data_dir.string() +
                                  ": " + ec.message());
    }
    impl->db_path = options.data_dir / kDatabaseFileName;
    const auto& path = impl->db_path;

    bool existed = std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0;
    if (existed) {
        if (auto s = CheckExisting(path, options); !s) return s.error();
    }

    auto conn = Connection::Open(path, Connection::Mode::kReadWriteCreate, BusyMillis(options));
    if (!conn) return conn.error();
    auto mode = conn->QueryText("PRAGMA journal_mode=WAL");
    if (!mode) return mode.error();
    if (*mode != "wal") {
        return Error::Unavailable("cannot put " + path.string() + " in WAL mode (got " + *mode +
                                  "); is the file on a network file system?");
    }
    std::string pragmas =
        options.sync == Sync::kFull ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
    pragmas += "PRAGMA foreign_keys=ON;";
    if (auto s = conn->Exec(pragmas); !s) return s.error();

    auto version = ReadSchemaVersion(*conn);
    if (!version) return version.error();
    if (*version != LatestSchemaVersion()) {
        if (!options.migrate && *version < LatestSchemaVersion()) {
            return Error::Unavailable("the database " + path.string() + " is at schema version " +
                                      std::to_string(*version) + ", this TTA needs " +
                                      std::to_string(LatestSchemaVersion()) +
                                      ": back it up, then run `tta migrate`");
        }
        if (auto s = Migrate(*conn, LatestSchemaVersion(), impl->NowMillis()); !s) {
            return s.error();
        }
    }

    impl->committer =
        std::make_unique<GroupCommitter>(std::move(*conn), options.max_batch, options.observer);
    return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

Result<Connection> SqliteStore::Impl::AcquireReader() {
    {
        std::lock_guard lock(readers_mu);
        if (!idle_readers.empty()) {
            Connection conn = std::move(idle_readers.back());
            idle_readers.pop_back();
            return conn;
        }
    }
    return Connection::Open(db_path, Connection::Mode::kReadOnly, BusyMillis(options));
}

void SqliteStore::Impl::ReleaseReader(Connection conn) {
    if (conn.InTransaction()) (void)conn.Exec("ROLLBACK");
    std::lock_guard lock(readers_mu);
    if (idle_readers.size() < kMaxIdleReaders) idle_readers.push_back(std::move(conn));
}

Result<int> SqliteStore::SchemaVersion() {
    return impl_->Observe("SchemaVersion", [&] {
        return impl_->Read([](Connection& c) { return ReadSchemaVersion(c); });
    });
}

Status SqliteStore::Backup(const std::filesystem::path& destination) {
    return impl_->Observe("Backup", [&]() -> Status {
        std::error_code ec;
        if (std::filesystem::exists(destination, ec)) {
            return Error::Invalid("the backup destination " + destination.string() +
                                  " already exists");
        }
        auto partial = WithSuffix(destination, ".partial");
        RemoveIfExists(partial);  // left by an interrupted backup of ours
        auto src = impl_->AcquireReader();
        if (!src) return src.error();
        Status copied = CopyDatabase(*src, partial, BusyMillis(impl_->options));
        impl_->ReleaseReader(std::move(*src));
        if (!copied) {
            RemoveIfExists(partial);
            return copied;
        }
        std::filesystem::rename(partial, destination, ec);
        if (ec) return Error::Unavailable("renaming the backup into place: " + ec.message());
        auto dir = destination.parent_path().empty() ? std::filesystem::path(".")
                                                     : destination.parent_path();
        return FsyncPath(dir);
    });
}

Status RestoreBackup(const std::filesystem::path& backup, const std::filesystem::path& data_dir) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(backup, ec)) {
        return Error::NotFound("no backup file at " + backup.string());
    }
    SqliteOptions check_options;
    if (auto s = CheckExisting(backup, check_options); !s) {
        return Error::Invalid("the backup " + backup.string() +
                              " cannot be restored: " + s.error().message);
    }
    std::filesystem::create_directories(data_dir, ec);
    if (ec) {
        return Error::Unavailable("cannot create the data directory " + data_dir.string() + ": " +
                                  ec.message());
    }
    auto target = data_dir / kDatabaseFileName;
    auto staging = WithSuffix(target, ".restoring");
    RemoveIfExists(staging);  // left by an interrupted restore of ours
    RemoveIfExists(WithSuffix(staging, "-journal"));
    {
        auto src = Connection::Open(backup, Connection::Mode::kReadOnly, 5000);
        if (!src) return src.error();
        sqlite3_db_config(src->Handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
        if (auto s = CopyDatabase(*src, staging, 5000); !s) {
            RemoveIfExists(staging);
            return s;
        }
    }
    // Move the current database aside as tta.db.replaced-<ms>, with its side files renamed to
    // match (tta.db.replaced-<ms>-wal ...) so the pair still opens as one database. Side files
    // go first: a -wal left beside the restored file would be replayed into it.
    auto aside = WithSuffix(target, ".replaced-" + std::to_string(SystemClock().NowMillis()));
    for (std::string_view side : {"-wal", "-shm", "-journal", ""}) {
        auto p = WithSuffix(target, side);
        if (std::filesystem::exists(p, ec)) {
            std::filesystem::rename(p, WithSuffix(aside, side), ec);
            if (ec) {
                return Error::Unavailable("moving " + p.string() + " aside: " + ec.message());
            }
        }
    }
    std::filesystem::rename(staging, target, ec);
    if (ec) return Error::Unavailable("moving the restored database into place: " + ec.message());
    return FsyncPath(data_dir);
}

}  // namespace tta::store::sqlite
