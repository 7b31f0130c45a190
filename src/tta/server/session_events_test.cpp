// What a session's event stream carries, and the fan-out that delivers it.
#include "tta/server/session_events.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace tta::server {
namespace {

namespace json = boost::json;

// An EventStream that keeps what it is sent.
class RecordingStream final : public EventStream {
  public:
    explicit RecordingStream(std::string last_id = "") : last_id_(std::move(last_id)) {}
    bool Send(const SseEvent& e) override {
        if (closed_) return false;
        events.push_back(e);
        return true;
    }
    void Close() override {
        if (closed_) return;
        closed_ = true;
        auto callbacks = std::move(on_close_);
        for (auto& cb : callbacks) cb();
    }
    bool IsOpen() const override { return !closed_; }
    void OnClose(std::function<void()> callback) override {
        if (closed_) {
            callback();
        } else {
            on_close_.push_back(std::move(callback));
        }
    }
    const std::string& LastEventId() const override { return last_id_; }

    std::vector<std::string> Ids() const {
        std::vector<std::string> ids;
        for (const auto& e : events) ids.push_back(e.id);
        return ids;
    }

    std::vector<SseEvent> events;

  private:
    std::string last_id_;
    bool closed_ = false;
    std::vector<std::function<void()>> on_close_;
};

TurnView Recorded(std::int64_t seq, std::string narrative) {
    TurnView v;
    v.number = seq;
    v.parent = seq - 1;
    v.recorded = true;
    v.narrative = std::move(narrative);
    return v;
}

TEST(NarrativeChunks, AreTheParagraphs) {
    EXPECT_EQ(NarrativeChunks("One.\n\nTwo,\nstill two.\n\n\n\nThree."),
              (std::vector<std::string>{"One.", "Two,\nstill two.", "Three."}));
    EXPECT_TRUE(NarrativeChunks("").empty());
    EXPECT_TRUE(NarrativeChunks("\n\n  \n\n").empty());
}

TEST(TurnEvents, ARecordedTurnHasIdsOfItsSeqAndChunks) {
    const auto events = TurnEvents(Recorded(7, "The quay.\n\nA gull."));
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].id, "7.0");
    EXPECT_EQ(events[0].event, "narrative");
    EXPECT_EQ(json::parse(events[1].data).at("text"), "A gull.");
    EXPECT_EQ(json::parse(events[1].data).at("index"), 1);
    EXPECT_EQ(events[2].id, "7");
    EXPECT_EQ(events[2].event, "turn");
    EXPECT_EQ(json::parse(events[2].data).at("narrative"), "The quay.\n\nA gull.");
    // From a chunk on, for a client that saw the first one.
    EXPECT_EQ(TurnEvents(Recorded(7, "The quay.\n\nA gull."), 1).front().id, "7.1");
}

TEST(TurnEvents, AnAnswerThatRecordedNothingHasNoIds) {
    TurnView help;
    help.number = 4;
    help.kind = "help";
    help.narrative = "Try looking around.";
    for (const auto& e : TurnEvents(help)) EXPECT_EQ(e.id, "");
}

TEST(TurnJson, NumbersTheChoices) {
    TurnView v = Recorded(3, "Ada puts down the net.");
    v.choices = {"Breathe with her", "Not now"};
    const json::value j = TurnJson(v);
    EXPECT_EQ(j.at("number"), 3);
    EXPECT_EQ(j.at("parent"), 2);
    EXPECT_EQ(j.at("choices"), json::parse(R"([{"number":1,"text":"Breathe with her"},)"
                                           R"({"number":2,"text":"Not now"}])"));
    EXPECT_EQ(j.at("ending"), nullptr);
    EXPECT_FALSE(j.as_object().contains("crisis"));
}

TEST(ParseEventId, ReadsSeqAndChunk) {
    EXPECT_EQ(ParseEventId("12")->seq, 12);
    EXPECT_FALSE(ParseEventId("12")->chunk);
    EXPECT_EQ(ParseEventId("12.3")->chunk, 3u);
    EXPECT_EQ(ParseEventId("0")->seq, 0);
    for (const char* bad : {"", "-1", "x", "1.", ".1", "1.2.3", "99999999999999999999", " 1"}) {
        EXPECT_FALSE(ParseEventId(bad)) << bad;
    }
}

TEST(ViewOfStoredTurn, ReadsTheEngineBody) {
    store::Turn t;
    t.seq = 9;
    t.parent_seq = 8;
    t.safety_level = "high";
    t.body = R"({"kind":"crisis","text":"You matter.","choices":["a"],)"
             R"("effects":[{"kind":"ending_reached","subject":"home"}],)"
             R"("crisis":{"level":"high","resources":[]}})";
    const TurnView v = ViewOfStoredTurn(t);
    EXPECT_EQ(v.kind, "crisis");
    EXPECT_EQ(v.narrative, "You matter.");
    EXPECT_EQ(v.choices, std::vector<std::string>{"a"});
    EXPECT_TRUE(v.ended);
    EXPECT_EQ(v.ending, "home");
    EXPECT_EQ(v.parent, 8);
    EXPECT_EQ(v.safety_level, "high");
    ASSERT_TRUE(v.crisis);
    EXPECT_EQ(v.crisis->at("level"), "high");
}

TEST(SessionEvents, DeliversToEveryOpenStreamOfTheSessionOnly) {
    SessionEvents hub;
    auto a = hub.Subscribe("s1");
    auto b = hub.Subscribe("s1");
    auto other = hub.Subscribe("s2");
    auto sa = std::make_shared<RecordingStream>();
    auto sb = std::make_shared<RecordingStream>();
    auto so = std::make_shared<RecordingStream>();
    a->Attach(sa, {}, 0, false);
    b->Attach(sb, {}, 0, false);
    other->Attach(so, {}, 0, false);
    hub.Publish("s1", TurnEvents(Recorded(1, "Hello.")), 1);
    EXPECT_EQ(sa->Ids(), (std::vector<std::string>{"1.0", "1"}));
    EXPECT_EQ(sb->Ids(), (std::vector<std::string>{"1.0", "1"}));
    EXPECT_TRUE(so->events.empty());
    EXPECT_EQ(hub.Count(), 3u);
    // An open stream holds its subscription until it ends, as a server's streams all do.
    for (const auto& s : {sa, sb, so}) s->Close();
    EXPECT_EQ(hub.Count(), 0u);
}

TEST(SessionEvents, WhatArrivesBeforeAttachWaitsAndTheReplayIsNotRepeated) {
    SessionEvents hub;
    auto sub = hub.Subscribe("s1");
    // Turn 5 commits and is published while the stream is still reading its replay (which
    // found it too); turn 6 and an unrecorded answer come after the read.
    hub.Publish("s1", TurnEvents(Recorded(5, "Five.")), 5);
    hub.Publish("s1", TurnEvents(Recorded(6, "Six.")), 6);
    TurnView help;
    help.number = 6;
    help.kind = "help";
    help.narrative = "Help.";
    hub.Publish("s1", TurnEvents(help), 0);
    auto stream = std::make_shared<RecordingStream>("4");
    sub->Attach(stream, TurnEvents(Recorded(5, "Five.")), 5, false);
    EXPECT_EQ(stream->Ids(), (std::vector<std::string>{"5.0", "5", "6.0", "6", "", ""}));
    hub.Publish("s1", TurnEvents(Recorded(7, "Seven.")), 7);
    EXPECT_EQ(stream->events.back().id, "7");
    stream->Close();
}

TEST(SessionEvents, AStreamThatEndsOrNeverOpensLeavesNothingBehind) {
    SessionEvents hub;
    auto stream = std::make_shared<RecordingStream>();
    hub.Subscribe("s1")->Attach(stream, {}, 0, false);
    EXPECT_TRUE(hub.HasSubscribers("s1"));
    stream->Close();
    EXPECT_FALSE(hub.HasSubscribers("s1"));
    EXPECT_EQ(hub.Count(), 0u);

    { auto never_opened = hub.Subscribe("s2"); }
    EXPECT_FALSE(hub.HasSubscribers("s2"));
}

TEST(SessionEvents, AReplayCutShortEndsTheStreamAfterIt) {
    SessionEvents hub;
    auto stream = std::make_shared<RecordingStream>("0");
    hub.Subscribe("s1")->Attach(stream, TurnEvents(Recorded(1, "One.")), 1, true);
    EXPECT_EQ(stream->Ids(), (std::vector<std::string>{"1.0", "1"}));
    EXPECT_FALSE(stream->IsOpen());
    EXPECT_FALSE(hub.HasSubscribers("s1"));
}

}  // namespace
}  // namespace tta::server
