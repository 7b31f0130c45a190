// The inside of SqliteStore, shared by its translation units (sqlite_store.cpp,
// session_ops.cpp, account_ops.cpp, therapy_ops.cpp): the group committer for writes, a pool of read-only
// connections for reads, and the observer hook every public call goes through.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "tta/core/clock.hpp"
#include "tta/store/sqlite/db.hpp"
#include "tta/store/sqlite/group_commit.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"

namespace tta::store::sqlite {

struct SqliteStore::Impl {
    SqliteOptions options;
    std::filesystem::path db_path;
    SystemClock system_clock;
    const Clock* clock = nullptr;
    std::unique_ptr<GroupCommitter> committer;

    // Read connections kept open between calls. More may be open at once under load; those
    // beyond this are closed when released, bounding the page caches a burst leaves behind.
    static constexpr std::size_t kMaxIdleReaders = 32;
    std::mutex readers_mu;
    std::vector<Connection> idle_readers;

    std::int64_t NowMillis() const { return clock->NowMillis(); }

    // Runs `work` in the next group commit; returns once it is durable or has failed.
    Status Write(GroupCommitter::Work work) { return committer->Submit(std::move(work)); }

    // Runs `f(Connection&)` inside a read transaction (one consistent snapshot) on a pooled
    // read-only connection. `f` returns a Result or a Status.
    template <typename F>
    auto Read(F&& f) -> std::invoke_result_t<F, Connection&> {
        auto conn = AcquireReader();
        if (!conn) return conn.error();
        std::invoke_result_t<F, Connection&> result = Error::Internal("unreachable");
        if (auto begin = conn->Run("BEGIN"); !begin) {
            result = begin.error();
        } else {
            result = f(*conn);
            if (auto end = conn->Run("COMMIT"); !end && result) result = end.error();
        }
        ReleaseReader(std::move(*conn));
        return result;
    }

    Result<Connection> AcquireReader();
    void ReleaseReader(Connection conn);

    // Times `f()` and reports it to the observer under `op`.
    template <typename F>
    auto Observe(std::string_view op, F&& f) -> std::invoke_result_t<F> {
        if (options.observer == nullptr) return f();
        auto start = std::chrono::steady_clock::now();
        auto result = f();
        options.observer->OnCall(op,
                                 result ? std::string_view("ok") : CodeName(result.error().code),
                                 std::chrono::steady_clock::now() - start);
        return result;
    }
};

}  // namespace tta::store::sqlite
