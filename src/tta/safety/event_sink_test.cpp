#include "tta/safety/event_sink.hpp"

#include <gtest/gtest.h>

namespace tta::safety {
namespace {

class FailingSink final : public SafetyEventSink {
public:
    Status Record(const SafetyEvent&) override { return Error::Unavailable("webhook down"); }
};

TEST(SafetyEvent, CarriesLevelCategoriesAndRulesButNotTheWords) {
    const Assessment a = InputGate::Embedded().Classify("I want to kill myself tonight");
    const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(1748779200));
    SafetyEvent e = MakeSafetyEvent(a, "s1", "p1", 7, at);
    e.locale = "en-GB";
    EXPECT_EQ(e.level, Level::kImminent);
    EXPECT_TRUE(e.stepped_out);
    const std::string json = SafetyEventToJson(e);
    EXPECT_NE(json.find(R"("at":"2025-06-01T12:00:00Z")"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("level":"imminent")"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("rules":["suicide.kill_self","imminence.time"])"), std::string::npos)
        << json;
    EXPECT_EQ(json.find("kill myself"), std::string::npos) << json;
}

TEST(SafetyEventSink, MemorySinkKeepsEventsInOrder) {
    MemorySafetyEventSink sink;
    SafetyEvent e;
    e.turn = 1;
    ASSERT_TRUE(sink.Record(e));
    e.turn = 2;
    ASSERT_TRUE(sink.Record(e));
    ASSERT_EQ(sink.Events().size(), 2u);
    EXPECT_EQ(sink.Events()[1].turn, 2u);
}

TEST(SafetyEventSink, FanOutReachesEverySinkAndReportsAFailure) {
    MemorySafetyEventSink a, b;
    FailingSink broken;
    FanOutSafetyEventSink fan({&a, &broken, &b});
    const Status st = fan.Record(SafetyEvent{});
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(a.Events().size(), 1u);
    EXPECT_EQ(b.Events().size(), 1u);
}

}  // namespace
}  // namespace tta::safety
