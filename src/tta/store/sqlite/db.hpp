// Thin RAII over the SQLite C API for the SQLite backend: a connection with a cache of
// prepared statements, a statement handle that resets itself, and the mapping from SQLite
// result codes to tta::Error. Internal to tta/store/sqlite (tests use it too).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "tta/core/error.hpp"
#include "tta/store/bytes.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace tta::store::sqlite {

// What an operator must do when the database file is damaged; part of every such error.
inline constexpr std::string_view kDamagedAdvice =
    "TTA has not changed the file. Stop TTA, keep a copy of the data directory, and restore "
    "the latest backup with `tta restore BACKUP --data DIR` (docs/storage.md, \"Damaged "
    "database\").";

// The tta::Error for SQLite result code `rc` (extended codes understood) while doing `what`.
Error SqliteError(sqlite3* db, int rc, std::string_view what);

// A prepared statement borrowed from a Connection's cache. Binding copies values
// (SQLITE_TRANSIENT), so temporaries are safe. Reset and cleared when the handle dies.
class Stmt {
  public:
    Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    Stmt(Stmt&& other) noexcept
        : db_(other.db_), stmt_(other.stmt_), bind_status_(std::move(other.bind_status_)) {
        other.stmt_ = nullptr;
    }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt& operator=(Stmt&&) = delete;
    ~Stmt();

    // Parameters are 1-based, as in SQL (?1, ?2 ...).
    Stmt& Bind(int i, std::string_view text);
    Stmt& Bind(int i, const char* text) { return Bind(i, std::string_view(text)); }
    Stmt& Bind(int i, const std::string& text) { return Bind(i, std::string_view(text)); }
    Stmt& Bind(int i, std::int64_t v);
    Stmt& Bind(int i, int v) { return Bind(i, static_cast<std::int64_t>(v)); }
    Stmt& Bind(int i, const Bytes& blob);
    Stmt& BindOptional(int i, const std::optional<std::string>& text);  // nullopt: NULL
    // uint64 values (seeds) are stored as the int64 with the same bits.
    Stmt& BindU64(int i, std::uint64_t v) { return Bind(i, static_cast<std::int64_t>(v)); }

    // Advances: true with a row, false when done.
    Result<bool> Step();
    // Steps until done (statements without rows, or whose rows are ignored).
    Status Run();

    // Columns are 0-based.
    std::int64_t Int(int col) const;
    std::uint64_t U64(int col) const { return static_cast<std::uint64_t>(Int(col)); }
    std::string Text(int col) const;
    Bytes Blob(int col) const;
    bool IsNull(int col) const;

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
    Status bind_status_;  // the first binding error, reported by Step
};

class Connection {
  public:
    enum class Mode { kReadWriteCreate, kReadWrite, kReadOnly };

    // Opens the file with extended result codes on and the given busy timeout. Not
    // thread-safe: use one connection from one thread at a time.
    static Result<Connection> Open(const std::filesystem::path& path, Mode mode,
                                   int busy_timeout_ms);

    Connection() = default;
    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    ~Connection();

    sqlite3* Handle() const { return db_; }

    // Runs one or more statements that return no rows the caller needs.
    Status Exec(std::string_view sql);
    // Runs one statement through the statement cache (BEGIN, COMMIT, SAVEPOINT ...).
    Status Run(std::string_view sql);
    // Prepares (once per connection; cached) and returns a handle.
    Result<Stmt> Prepare(std::string_view sql);
    // The single text value of a one-row query such as "PRAGMA journal_mode=WAL".
    Result<std::string> QueryText(std::string_view sql);

    std::int64_t Changes() const;
    // Rows changed by INSERT, UPDATE and DELETE since the connection opened.
    std::int64_t TotalChanges() const;
    bool InTransaction() const;

  private:
    explicit Connection(sqlite3* db) : db_(db) {}
    void Close();

    struct StmtDeleter {
        void operator()(sqlite3_stmt* s) const;
    };
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, StmtDeleter>> cache_;
};

// Flushes a file's (or directory's) data to stable storage.
Status FsyncPath(const std::filesystem::path& path);

}  // namespace tta::store::sqlite
