#include "tta/store/metrics_observer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tta::store {
namespace {

using namespace std::chrono_literals;

bool Has(const std::string& text, const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
}

TEST(StoreMetrics, CallsAreCountedByOpAndOutcomeAndTimed) {
    metrics::Registry registry;
    MetricsObserver observer(registry);
    observer.OnCall("AppendTurn", "ok", 2ms);
    observer.OnCall("AppendTurn", "ok", 3ms);
    observer.OnCall("AppendTurn", "conflict", 1ms);
    observer.OnCall("GetSession", "not_found", 100us);
    const std::string text = registry.Expose();
    EXPECT_TRUE(Has(text, R"(tta_store_calls_total{op="AppendTurn",outcome="ok"} 2)")) << text;
    EXPECT_TRUE(Has(text, R"(tta_store_calls_total{op="AppendTurn",outcome="conflict"} 1)"));
    EXPECT_TRUE(Has(text, R"(tta_store_calls_total{op="GetSession",outcome="not_found"} 1)"));
    EXPECT_TRUE(Has(text, R"(tta_store_call_seconds_count{op="AppendTurn"} 3)"));
    EXPECT_TRUE(Has(text, R"(tta_store_call_seconds_sum{op="AppendTurn"} 0.006)"));
    EXPECT_TRUE(Has(text, R"(tta_store_call_seconds_bucket{op="GetSession",le="0.001"} 1)"));
    // Only outcomes that happened are exposed.
    EXPECT_EQ(text.find(R"(op="GetSession",outcome="ok")"), std::string::npos);
}

TEST(StoreMetrics, UnknownOutcomesCountAsInternal) {
    metrics::Registry registry;
    MetricsObserver observer(registry);
    observer.OnCall("GetUser", "melted", 1ms);
    EXPECT_TRUE(
        Has(registry.Expose(), R"(tta_store_calls_total{op="GetUser",outcome="internal"} 1)"));
}

TEST(StoreMetrics, CommitsRecordTheirDurationAndBatchSize) {
    metrics::Registry registry;
    MetricsObserver observer(registry);
    observer.OnCommit(1, 2ms);
    observer.OnCommit(100, 4ms);
    const std::string text = registry.Expose();
    EXPECT_TRUE(Has(text, "tta_store_commit_seconds_count 2")) << text;
    EXPECT_TRUE(Has(text, R"(tta_store_commit_batch_size_bucket{le="1"} 1)"));
    EXPECT_TRUE(Has(text, R"(tta_store_commit_batch_size_bucket{le="64"} 1)"));
    EXPECT_TRUE(Has(text, R"(tta_store_commit_batch_size_bucket{le="128"} 2)"));
    EXPECT_TRUE(Has(text, "tta_store_commit_batch_size_sum 101"));
}

TEST(StoreMetrics, TwoObserversOnOneRegistryShareTheFamilies) {
    metrics::Registry registry;
    MetricsObserver a(registry);
    MetricsObserver b(registry);
    a.OnCall("GetTurn", "ok", 1ms);
    b.OnCall("GetTurn", "ok", 1ms);
    EXPECT_TRUE(Has(registry.Expose(), R"(tta_store_calls_total{op="GetTurn",outcome="ok"} 2)"));
}

}  // namespace
}  // namespace tta::store
