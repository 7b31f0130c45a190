#include "tta/store/sqlite/group_commit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "tta/store/store_conformance.hpp"

namespace tta::store::sqlite {
namespace {

using tta::store::testing::TempDir;

class BatchRecorder final : public StoreObserver {
  public:
    void OnCall(std::string_view, std::string_view, std::chrono::nanoseconds) noexcept override {}
    void OnCommit(std::size_t writes, std::chrono::nanoseconds) noexcept override {
        std::lock_guard lock(mu_);
        batches.push_back(writes);
    }
    std::vector<std::size_t> Batches() {
        std::lock_guard lock(mu_);
        return batches;
    }

  private:
    std::mutex mu_;
    std::vector<std::size_t> batches;
};

Connection OpenTable(const TempDir& dir) {
    auto conn = Connection::Open(dir.Path() / "t.db", Connection::Mode::kReadWriteCreate, 1000);
    EXPECT_TRUE(conn);
    EXPECT_TRUE(conn->Exec("PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER PRIMARY KEY)"));
    return std::move(*conn);
}

GroupCommitter::Work Insert(int x) {
    return [x](Connection& c) -> Status {
        auto q = c.Prepare("INSERT INTO t (x) VALUES (?1)");
        if (!q) return q.error();
        return q->Bind(1, x).Run();
    };
}

std::vector<std::int64_t> Rows(const TempDir& dir) {
    auto conn = Connection::Open(dir.Path() / "t.db", Connection::Mode::kReadOnly, 1000);
    EXPECT_TRUE(conn);
    auto q = conn->Prepare("SELECT x FROM t ORDER BY x");
    EXPECT_TRUE(q);
    std::vector<std::int64_t> out;
    while (*q->Step()) out.push_back(q->Int(0));
    return out;
}

// Holds the committer inside a first write until `n` more writes are queued behind it, so those
// n land in one batch. Each follower submits only after the one before it is queued, so their
// order in the batch is their index.
struct HeldBatch {
    GroupCommitter& committer;
    std::atomic<bool> holding{false};
    std::vector<std::thread> threads;
    std::vector<Status> results;

    HeldBatch(GroupCommitter& c, std::vector<GroupCommitter::Work> followers)
        : committer(c), results(followers.size()) {
        const std::size_t n = followers.size();
        threads.emplace_back([this, n] {
            (void)committer.Submit([this, n](Connection&) -> Status {
                holding.store(true);
                while (committer.Pending() < n) std::this_thread::yield();
                return Ok();
            });
        });
        for (std::size_t i = 0; i < n; ++i) {
            threads.emplace_back([this, i, work = std::move(followers[i])]() mutable {
                // The holder is running and followers 0..i-1 are queued.
                while (!holding.load() || committer.Pending() != i) std::this_thread::yield();
                results[i] = committer.Submit(std::move(work));
            });
        }
    }
    void Join() {
        for (auto& t : threads) t.join();
    }
};

TEST(GroupCommit, WritesWaitingTogetherShareOneCommit) {
    TempDir dir;
    BatchRecorder recorder;
    {
        GroupCommitter committer(OpenTable(dir), 1024, &recorder);
        std::vector<GroupCommitter::Work> work;
        for (int i = 0; i < 20; ++i) work.push_back(Insert(i));
        HeldBatch held(committer, std::move(work));
        held.Join();
        for (const auto& r : held.results) EXPECT_TRUE(r);
    }
    EXPECT_THAT(recorder.Batches(), ::testing::ElementsAre(1u, 20u));
    EXPECT_EQ(Rows(dir).size(), 20u);
}

TEST(GroupCommit, ABatchNeverExceedsItsLimit) {
    TempDir dir;
    BatchRecorder recorder;
    {
        GroupCommitter committer(OpenTable(dir), 8, &recorder);
        std::vector<GroupCommitter::Work> work;
        for (int i = 0; i < 20; ++i) work.push_back(Insert(i));
        HeldBatch held(committer, std::move(work));
        held.Join();
    }
    EXPECT_THAT(recorder.Batches(), ::testing::ElementsAre(1u, 8u, 8u, 4u));
    EXPECT_EQ(Rows(dir).size(), 20u);
}

TEST(GroupCommit, AFailingWriteRollsBackAloneAndTheRestOfItsBatchCommits) {
    TempDir dir;
    BatchRecorder recorder;
    std::vector<Status> results;
    {
        GroupCommitter committer(OpenTable(dir), 1024, &recorder);
        std::vector<GroupCommitter::Work> work;
        work.push_back(Insert(1));
        work.push_back([](Connection& c) -> Status {
            auto q = c.Prepare("INSERT INTO t (x) VALUES (2)");
            if (!q) return q.error();
            if (auto s = q->Run(); !s) return s;
            return Error::Conflict("changed my mind");  // after writing: must be undone
        });
        work.push_back(Insert(1));  // duplicate key: fails inside SQLite
        work.push_back(Insert(3));
        HeldBatch held(committer, std::move(work));
        held.Join();
        results = held.results;
    }
    ASSERT_EQ(results.size(), 4u);
    EXPECT_TRUE(results[0]);
    EXPECT_EQ(results[1].error().code, ErrorCode::kConflict);
    EXPECT_EQ(results[2].error().code, ErrorCode::kConflict);
    EXPECT_TRUE(results[3]);
    EXPECT_THAT(Rows(dir), ::testing::ElementsAre(1, 3));
    EXPECT_THAT(recorder.Batches(), ::testing::ElementsAre(1u, 4u));
}

TEST(GroupCommit, AWriteThatThrowsFailsAloneAsAnInternalError) {
    TempDir dir;
    GroupCommitter committer(OpenTable(dir), 1024, nullptr);
    auto thrown = committer.Submit([](Connection&) -> Status { throw std::runtime_error("bug"); });
    ASSERT_FALSE(thrown);
    EXPECT_EQ(thrown.error().code, ErrorCode::kInternal);
    EXPECT_TRUE(committer.Submit(Insert(7)));
}

}  // namespace
}  // namespace tta::store::sqlite
