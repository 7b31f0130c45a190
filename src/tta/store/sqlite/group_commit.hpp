// Group commit for the SQLite backend (ARCHITECTURE.md, principle 4: acknowledged means
// durable, batched for throughput). One committer thread owns the only writing connection.
// Callers hand it a unit of work and block; it takes every unit that is waiting (up to a
// limit), runs them one after another inside one BEGIN IMMEDIATE ... COMMIT, and wakes each
// caller only after COMMIT has returned. A batch costs one WAL fsync however many writes it
// carries, so throughput grows with the number of concurrent writers while each write still
// waits for its own sync. Writes apply in arrival order, so optimistic-concurrency checks
// inside the work see the effects of earlier writes in the same batch.
//
// A unit that fails without having changed a row (the usual case: a conflict or a missing
// record is found before writing) simply reports its error. A unit that fails after changing
// rows is undone by rolling the transaction back and running the rest of the batch again
// without it. That saves the SAVEPOINT and RELEASE statements a savepoint per unit would cost
// on every write, for a rare replay.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <semaphore>
#include <thread>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/store/observer.hpp"
#include "tta/store/sqlite/db.hpp"

namespace tta::store::sqlite {

class GroupCommitter {
  public:
    // Runs inside the batch's transaction on the committer's connection. An error undoes this
    // unit only (the rest of the batch commits) and is what Submit returns. To commit some
    // changes and still report a failure to the caller, return Ok() and pass the failure out
    // through a captured variable.
    // Rules: change rows only with INSERT, UPDATE and DELETE (their row counts are how the
    // committer sees that a failed unit wrote something); and expect to be run more than once
    // (when another unit of the batch is undone), so assign outputs rather than accumulate.
    using Work = std::function<Status(Connection&)>;

    GroupCommitter(Connection conn, std::size_t max_batch, StoreObserver* observer);
    // Finishes everything already submitted, then stops.
    ~GroupCommitter();
    GroupCommitter(const GroupCommitter&) = delete;
    GroupCommitter& operator=(const GroupCommitter&) = delete;

    // Blocks until `work` has been committed (Ok) or has failed, or its batch failed to
    // commit (the COMMIT's error). Never call from inside Work.
    Status Submit(Work work);

    // Writes waiting for the next batch (not counting the batch being committed); a gauge for
    // operators and a synchronisation point for tests.
    std::size_t Pending();

  private:
    struct Job {
        Work work;
        Status result;
        std::binary_semaphore done{0};
    };

    void Run();
    void RunBatch(std::vector<Job*> batch);
    // Runs `jobs` in one transaction and sets every result, except when a job fails after
    // changing rows: then the transaction is rolled back, that job's result is set, and its
    // index is returned so the others can run again without it.
    std::optional<std::size_t> Attempt(const std::vector<Job*>& jobs);

    Connection conn_;
    const std::size_t max_batch_;
    StoreObserver* const observer_;
    std::mutex mu_;
    std::condition_variable wake_;
    std::deque<Job*> queue_;
    bool stopping_ = false;
    std::thread thread_;  // last: starts after everything above exists
};

}  // namespace tta::store::sqlite
