#include "tta/store/sqlite/group_commit.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
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
    while (true) {
        std::vector<Job*> batch;
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
    }
}

void GroupCommitter::RunBatch(std::vector<Job*> batch) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t writes = batch.size();
    while (auto undone = Attempt(batch)) {
        batch.erase(batch.begin() + static_cast<std::ptrdiff_t>(*undone));
    }
    if (observer_ != nullptr) {
        observer_->OnCommit(writes, std::chrono::steady_clock::now() - start);
    }
}

std::optional<std::size_t> GroupCommitter::Attempt(const std::vector<Job*>& jobs) {
    auto fail_all = [&](const Error& e) -> std::optional<std::size_t> {
        if (conn_.InTransaction()) (void)conn_.Run("ROLLBACK");
        for (Job* job : jobs) job->result = e;
        return std::nullopt;
    };
    if (jobs.empty()) return std::nullopt;
    if (auto s = conn_.Run("BEGIN IMMEDIATE"); !s) return fail_all(s.error());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const std::int64_t changes_before = conn_.TotalChanges();
        Status result;
        try {
            result = jobs[i]->work(conn_);
        } catch (const std::exception& e) {
            result = Error::Internal(std::string("store write threw: ") + e.what());
        }
        if (!conn_.InTransaction()) {
            // SQLite rolled the whole transaction back by itself (disk full, I/O error):
            // nothing of this batch was kept.
            return fail_all(result ? Error::Unavailable("the write transaction was rolled back")
                                   : result.error());
        }
        if (!result && conn_.TotalChanges() != changes_before) {
            if (auto s = conn_.Run("ROLLBACK"); !s) return fail_all(s.error());
            jobs[i]->result = std::move(result);
            return i;
        }
        jobs[i]->result = std::move(result);
    }
    if (auto s = conn_.Run("COMMIT"); !s) return fail_all(s.error());
    return std::nullopt;
}

}  // namespace tta::store::sqlite
