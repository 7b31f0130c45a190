#include "tta/store/sqlite/group_commit.hpp"

#include <chrono>
#include <exception>
#include <string>

namespace tta::store::sqlite {

GroupCommitter::GroupCommitter(Connection conn, std::size_t max_batch, StoreObserver* observer)
    : conn_(std::move(conn)),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      observer_(observer),
      thread_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

Status GroupCommitter::Submit(Work work) {
    Job job;
    job.work = std::move(work);
    {
        std::lock_guard lock(mu_);
        if (stopping_) return Error::Unavailable("the store is closing");
        queue_.push_back(&job);
    }
    wake_.notify_one();
    job.done.acquire();
    return job.result;
}

std::size_t GroupCommitter::Pending() {
    std::lock_guard lock(mu_);
    return queue_.size();
}

void GroupCommitter::Run() {
    std::deque<Job*> batch;
    while (true) {
        {
            std::unique_lock lock(mu_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything submitted is done
            while (!queue_.empty() && batch.size() < max_batch_) {
                batch.push_back(queue_.front());
                queue_.pop_front();
            }
        }
        RunBatch(batch);
        for (Job* job : batch) job->done.release();  // the job may be destroyed right after
        batch.clear();
    }
}

void GroupCommitter::RunBatch(std::deque<Job*>& batch) {
    auto start = std::chrono::steady_clock::now();
    auto fail_all = [&](const Error& e) {
        if (conn_.InTransaction()) (void)conn_.Exec("ROLLBACK");
        for (Job* job : batch) job->result = e;
    };
    if (auto s = conn_.Run("BEGIN IMMEDIATE"); !s) return fail_all(s.error());
    for (Job* job : batch) {
        if (auto s = conn_.Run("SAVEPOINT w"); !s) return fail_all(s.error());
        Status result;
        try {
            result = job->work(conn_);
        } catch (const std::exception& e) {
            result = Error::Internal(std::string("store write threw: ") + e.what());
        }
        if (!conn_.InTransaction()) {
            // SQLite rolled the whole transaction back by itself (disk full, I/O error):
            // nothing of this batch was kept.
            return fail_all(result ? Error::Unavailable("the write transaction was rolled back")
                                   : result.error());
        }
        if (!result) {
            if (auto s = conn_.Run("ROLLBACK TO w"); !s) return fail_all(s.error());
        }
        if (auto s = conn_.Run("RELEASE w"); !s) return fail_all(s.error());
        job->result = std::move(result);
    }
    if (auto s = conn_.Run("COMMIT"); !s) return fail_all(s.error());
    if (observer_ != nullptr) {
        observer_->OnCommit(batch.size(), std::chrono::steady_clock::now() - start);
    }
}

}  // namespace tta::store::sqlite
