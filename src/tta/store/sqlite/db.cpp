#include "tta/store/sqlite/db.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace tta::store::sqlite {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
    std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    std::string message = std::string(what) + ": " + detail;
    switch (rc) {
        case SQLITE_CONSTRAINT_PRIMARYKEY:
        case SQLITE_CONSTRAINT_UNIQUE:
            return Error::Conflict(std::move(message));
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            return Error::NotFound(std::move(message) + " (a referenced record does not exist)");
        default:
            break;
    }
    switch (rc & 0xff) {
        case SQLITE_CONSTRAINT:
            return Error::Invalid(std::move(message));
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return Error::Unavailable("the database is damaged (" + message + "). " +
                                      std::string(kDamagedAdvice));
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_NOMEM:
        case SQLITE_PROTOCOL:
            return Error::Unavailable(std::move(message));
        default:
            return Error::Internal(std::move(message));
    }
}

// --- Stmt ---

Stmt::~Stmt() {
    if (stmt_ != nullptr) {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
}

namespace {
Status BindResult(sqlite3* db, int rc, int i) {
    if (rc == SQLITE_OK) return Ok();
    return SqliteError(db, rc, "binding parameter " + std::to_string(i));
}
}  // namespace

Stmt& Stmt::Bind(int i, std::string_view text) {
    int rc = sqlite3_bind_text64(stmt_, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (bind_status_) bind_status_ = BindResult(db_, rc, i);
    return *this;
}

Stmt& Stmt::Bind(int i, std::int64_t v) {
    int rc = sqlite3_bind_int64(stmt_, i, v);
    if (bind_status_) bind_status_ = BindResult(db_, rc, i);
    return *this;
}

Stmt& Stmt::Bind(int i, const Bytes& blob) {
    // A zero-length blob must stay a blob, not NULL: pass a non-null pointer.
    static const std::uint8_t kEmpty = 0;
    const void* data = blob.empty() ? &kEmpty : blob.data();
    int rc = sqlite3_bind_blob64(stmt_, i, data, blob.size(), SQLITE_TRANSIENT);
    if (bind_status_) bind_status_ = BindResult(db_, rc, i);
    return *this;
}

Stmt& Stmt::BindOptional(int i, const std::optional<std::string>& text) {
    if (text) return Bind(i, std::string_view(*text));
    int rc = sqlite3_bind_null(stmt_, i);
    if (bind_status_) bind_status_ = BindResult(db_, rc, i);
    return *this;
}

Result<bool> Stmt::Step() {
    if (!bind_status_) return bind_status_.error();
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(db_, rc, "running SQL");
}

Status Stmt::Run() {
    while (true) {
        auto row = Step();
        if (!row) return row.error();
        if (!*row) return Ok();
    }
}

std::int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Stmt::Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    if (p == nullptr) return {};
    return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

Bytes Stmt::Blob(int col) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
    if (p == nullptr) return {};
    return Bytes(p, p + sqlite3_column_bytes(stmt_, col));
}

bool Stmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

// --- Connection ---

void Connection::StmtDeleter::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }

Result<Connection> Connection::Open(const std::filesystem::path& path, Mode mode,
                                    int busy_timeout_ms) {
    int flags = SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread at a time
    switch (mode) {
        case Mode::kReadWriteCreate:
            flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
            break;
        case Mode::kReadWrite:
            flags |= SQLITE_OPEN_READWRITE;
            break;
        case Mode::kReadOnly:
            flags |= SQLITE_OPEN_READONLY;
            break;
    }
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error e = SqliteError(db, rc, "opening " + path.string());
        sqlite3_close_v2(db);
        return e;
    }
    Connection conn(db);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    return conn;
}

Connection::Connection(Connection&& other) noexcept
    : db_(other.db_), cache_(std::move(other.cache_)) {
    other.db_ = nullptr;
}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        Close();
        db_ = other.db_;
        cache_ = std::move(other.cache_);
        other.db_ = nullptr;
    }
    return *this;
}

Connection::~Connection() { Close(); }

void Connection::Close() {
    cache_.clear();  // statements first: sqlite3_close_v2 would otherwise defer the close
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = nullptr;
}

Status Connection::Exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "running " + s.substr(0, 60));
    return Ok();
}

Result<Stmt> Connection::Prepare(std::string_view sql) {
    std::string key(sql);
    auto it = cache_.find(key);
    if (it == cache_.end()) {
        sqlite3_stmt* raw = nullptr;
        int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(raw);
            return SqliteError(db_, rc, "preparing " + key.substr(0, 60));
        }
        it = cache_.emplace(std::move(key), std::unique_ptr<sqlite3_stmt, StmtDeleter>(raw)).first;
    }
    return Stmt(db_, it->second.get());
}

Status Connection::Run(std::string_view sql) {
    auto stmt = Prepare(sql);
    if (!stmt) return stmt.error();
    return stmt->Run();
}

Result<std::string> Connection::QueryText(std::string_view sql) {
    auto stmt = Prepare(sql);
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Error::Internal(std::string(sql) + " returned no row");
    return stmt->Text(0);
}

std::int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

std::int64_t Connection::TotalChanges() const { return sqlite3_total_changes64(db_); }

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

Status FsyncPath(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return Error::Unavailable("opening " + path.string() +
                                  " to sync it: " + std::strerror(errno));
    }
    int rc = ::fsync(fd);
    int saved = errno;
    ::close(fd);
    if (rc != 0) {
        return Error::Unavailable("syncing " + path.string() + ": " + std::strerror(saved));
    }
    return Ok();
}

}  // namespace tta::store::sqlite
