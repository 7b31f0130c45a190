#include "tta/resilience/cancel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace tta::resilience {
namespace {

using std::chrono::milliseconds;

TEST(Deadline, NeverExpiresByDefault) {
    Deadline d;
    EXPECT_TRUE(d.IsNever());
    EXPECT_FALSE(d.Expired());
    EXPECT_GT(d.Remaining(), std::chrono::hours(24));
}

TEST(Deadline, ExpiresAtItsPoint) {
    const auto t0 = Deadline::Clock::now();
    const auto d = Deadline::At(t0 + milliseconds(100));
    EXPECT_FALSE(d.Expired(t0));
    EXPECT_EQ(d.Remaining(t0), milliseconds(100));
    EXPECT_TRUE(d.Expired(t0 + milliseconds(100)));
    EXPECT_EQ(d.Remaining(t0 + milliseconds(200)), milliseconds(0));
}

TEST(Deadline, MinPicksTheEarlier) {
    const auto t0 = Deadline::Clock::now();
    const auto a = Deadline::At(t0 + milliseconds(5));
    const auto b = Deadline::At(t0 + milliseconds(9));
    EXPECT_EQ(a.Min(b).When(), a.When());
    EXPECT_EQ(b.Min(a).When(), a.When());
    EXPECT_EQ(Deadline::Never().Min(b).When(), b.When());
}

TEST(Cancel, ADefaultTokenIsNeverCancelled) {
    CancelToken token;
    EXPECT_FALSE(token.IsCancelled());
    bool ran = false;
    auto reg = token.OnCancel([&] { ran = true; });
    EXPECT_FALSE(ran);
}

TEST(Cancel, CallbacksRunOnceOnCancel) {
    CancelSource source;
    auto token = source.Token();
    int runs = 0;
    auto reg = token.OnCancel([&] { ++runs; });
    source.Cancel();
    source.Cancel();
    EXPECT_EQ(runs, 1);
    EXPECT_TRUE(token.IsCancelled());
}

TEST(Cancel, RegisteringAfterCancelRunsAtOnce) {
    CancelSource source;
    source.Cancel();
    bool ran = false;
    auto reg = source.Token().OnCancel([&] { ran = true; });
    EXPECT_TRUE(ran);
}

TEST(Cancel, ADroppedRegistrationDoesNotRun) {
    CancelSource source;
    bool ran = false;
    {
        auto reg = source.Token().OnCancel([&] { ran = true; });
    }
    source.Cancel();
    EXPECT_FALSE(ran);
}

TEST(Cancel, ACallbackMayDropItsOwnRegistration) {
    CancelSource source;
    CancelRegistration reg;
    bool ran = false;
    reg = source.Token().OnCancel([&] {
        ran = true;
        reg = CancelRegistration();
    });
    source.Cancel();
    EXPECT_TRUE(ran);
}

TEST(Cancel, WorksAcrossThreads) {
    CancelSource source;
    std::atomic<bool> seen{false};
    auto reg = source.Token().OnCancel([&] { seen = true; });
    std::thread t([&] { source.Cancel(); });
    t.join();
    EXPECT_TRUE(seen.load());
}

}  // namespace
}  // namespace tta::resilience
