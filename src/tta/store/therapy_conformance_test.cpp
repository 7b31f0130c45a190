// The therapy records contract (therapy_store.hpp), part of the storage conformance suite that
// runs against every backend (store_conformance.hpp).
#include <gmock/gmock.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tta/store/store_conformance.hpp"

namespace tta::store::testing {
namespace {

User Someone(std::string id) {
    User u;
    u.id = id;
    u.username = "user-" + id;
    u.password_hash = "$argon2id$x";
    u.created_ms = 1;
    return u;
}

RecordHeader Header(std::string user, std::string session, std::int64_t turn,
                    std::int64_t created_ms) {
    RecordHeader h;
    h.user_id = std::move(user);
    h.session_id = std::move(session);
    h.turn = turn;
    h.created_ms = created_ms;
    return h;
}

CheckInRecord CheckIn(std::string user, std::string session, int score) {
    CheckInRecord r;
    r.header = Header(std::move(user), std::move(session), 3, 1000 + score);
    r.score = score;
    r.mode = "out_of_character";
    r.personal = ToBytes(R"(["tired","hopeful"])");
    return r;
}

std::vector<int> Scores(const std::vector<CheckInRecord>& records) {
    std::vector<int> out;
    for (const auto& r : records) out.push_back(r.score);
    return out;
}

// Bytes that text handling would damage: a NUL, invalid UTF-8, a high byte at the end.
const Bytes kAwkwardBytes = {'a', 0, 0xC3, 0x28, 'z', 0xFF};

TEST_P(StoreConformance, EveryKindOfTherapyRecordReadsBackExactly) {
    ASSERT_TRUE(Accounts().CreateUser(Someone("u1")));
    RecordQuery all;

    CheckInRecord check_in = CheckIn("u1", "s1", 4);
    check_in.personal = kAwkwardBytes;
    auto id = Therapy().AppendCheckIn(check_in);
    ASSERT_TRUE(id) << id.error().message;
    check_in.header.id = *id;
    auto check_ins = Therapy().ListCheckIns("u1", all);
    ASSERT_TRUE(check_ins) << check_ins.error().message;
    EXPECT_THAT(*check_ins, ::testing::ElementsAre(check_in));

    MeasureResultRecord measure;
    measure.header = Header("u1", "s1", 7, 2000);
    measure.measure = "phq9";
    measure.total = 14;
    measure.severity = "moderate";
    measure.item9_flag = true;
    measure.personal = ToBytes("0,1,2,3,0,1,2,3,2");
    id = Therapy().AppendMeasureResult(measure);
    ASSERT_TRUE(id) << id.error().message;
    measure.header.id = *id;
    auto measures = Therapy().ListMeasureResults("u1", all);
    ASSERT_TRUE(measures);
    EXPECT_THAT(*measures, ::testing::ElementsAre(measure));

    PracticeRecord practice;
    practice.header = Header("u1", "s1", 9, 3000);
    practice.technique = "box_breathing";
    practice.beat = "counting_with_mira";
    practice.outcome = "completed";
    id = Therapy().AppendPractice(practice);
    ASSERT_TRUE(id) << id.error().message;
    practice.header.id = *id;
    auto practices = Therapy().ListPractices("u1", all);
    ASSERT_TRUE(practices);
    EXPECT_THAT(*practices, ::testing::ElementsAre(practice));

    JournalRecord journal;
    journal.header = Header("u1", "", 0, 4000);
    journal.personal = kAwkwardBytes;
    id = Therapy().AppendJournalEntry(journal);
    ASSERT_TRUE(id) << id.error().message;
    journal.header.id = *id;
    auto entries = Therapy().ListJournalEntries("u1", all);
    ASSERT_TRUE(entries);
    EXPECT_THAT(*entries, ::testing::ElementsAre(journal));

    SessionSummaryRecord summary;
    summary.header = Header("u1", "s1", 23, 5000);
    summary.summary = R"({"turns":23,"places_visited":4})";
    id = Therapy().AppendSessionSummary(summary);
    ASSERT_TRUE(id) << id.error().message;
    summary.header.id = *id;
    auto summaries = Therapy().ListSessionSummaries("u1", all);
    ASSERT_TRUE(summaries);
    EXPECT_THAT(*summaries, ::testing::ElementsAre(summary));

    PlannerRecord offered;
    offered.header = Header("u1", "s1", 12, 6000);
    offered.beat = "keeper_breath";
    offered.technique = "box_breathing";
    offered.reason = "offered box_breathing (beat keeper_breath): player said 'anxious'";
    PlannerRecord none;
    none.header = Header("u1", "s1", 13, 6100);
    none.reason = "no beat: the beat offered earlier is still open";
    for (PlannerRecord* r : {&offered, &none}) {
        id = Therapy().AppendPlannerDecision(*r);
        ASSERT_TRUE(id) << id.error().message;
        r->header.id = *id;
    }
    auto decisions = Therapy().ListPlannerDecisions("u1", all);
    ASSERT_TRUE(decisions);
    EXPECT_THAT(*decisions, ::testing::ElementsAre(offered, none));
}

TEST_P(StoreConformance, TherapyRecordsNeedAnExistingUser) {
    EXPECT_EQ(Therapy().AppendCheckIn(CheckIn("ghost", "", 5)).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Therapy().AppendCheckIn(CheckIn("", "", 5)).error().code, ErrorCode::kInvalid);
    JournalRecord journal;
    journal.header = Header("ghost", "", 0, 1);
    journal.personal = ToBytes("dear diary");
    EXPECT_EQ(Therapy().AppendJournalEntry(journal).error().code, ErrorCode::kNotFound);
    auto listed = Therapy().ListCheckIns("ghost", {});
    ASSERT_TRUE(listed);
    EXPECT_TRUE(listed->empty());
}

TEST_P(StoreConformance, TherapyRecordsOutOfRangeAreInvalidAndWriteNothing) {
    ASSERT_TRUE(Accounts().CreateUser(Someone("u1")));
    EXPECT_EQ(Therapy().AppendCheckIn(CheckIn("u1", "", 11)).error().code, ErrorCode::kInvalid);
    EXPECT_EQ(Therapy().AppendCheckIn(CheckIn("u1", "", -1)).error().code, ErrorCode::kInvalid);
    CheckInRecord odd_mode = CheckIn("u1", "", 5);
    odd_mode.mode = "dream";
    EXPECT_EQ(Therapy().AppendCheckIn(odd_mode).error().code, ErrorCode::kInvalid);
    CheckInRecord negative_turn = CheckIn("u1", "", 5);
    negative_turn.header.turn = -3;
    EXPECT_EQ(Therapy().AppendCheckIn(negative_turn).error().code, ErrorCode::kInvalid);

    MeasureResultRecord measure;
    measure.header = Header("u1", "", 0, 1);
    measure.measure = "bdi";
    measure.severity = "mild";
    EXPECT_EQ(Therapy().AppendMeasureResult(measure).error().code, ErrorCode::kInvalid);
    measure.measure = "gad7";
    measure.severity = "fine";
    EXPECT_EQ(Therapy().AppendMeasureResult(measure).error().code, ErrorCode::kInvalid);

    PracticeRecord practice;
    practice.header = Header("u1", "", 0, 1);
    practice.technique = "box_breathing";
    EXPECT_EQ(Therapy().AppendPractice(practice).error().code, ErrorCode::kInvalid);

    JournalRecord empty;
    empty.header = Header("u1", "", 0, 1);
    EXPECT_EQ(Therapy().AppendJournalEntry(empty).error().code, ErrorCode::kInvalid);

    SessionSummaryRecord no_summary;
    no_summary.header = Header("u1", "", 0, 1);
    EXPECT_EQ(Therapy().AppendSessionSummary(no_summary).error().code, ErrorCode::kInvalid);

    PlannerRecord half;
    half.header = Header("u1", "", 0, 1);
    half.beat = "keeper_breath";
    half.reason = "offered";
    EXPECT_EQ(Therapy().AppendPlannerDecision(half).error().code, ErrorCode::kInvalid);
    PlannerRecord no_reason;
    no_reason.header = Header("u1", "", 0, 1);
    EXPECT_EQ(Therapy().AppendPlannerDecision(no_reason).error().code, ErrorCode::kInvalid);

    auto check_ins = Therapy().ListCheckIns("u1", {});
    ASSERT_TRUE(check_ins);
    EXPECT_TRUE(check_ins->empty());
    auto measures = Therapy().ListMeasureResults("u1", {});
    ASSERT_TRUE(measures);
    EXPECT_TRUE(measures->empty());
}

TEST_P(StoreConformance, TherapyListsTakeTheNewestReturnOldestFirstAndPageBackwards) {
    ASSERT_TRUE(Accounts().CreateUser(Someone("u1")));
    for (int score = 0; score <= 6; ++score) {
        ASSERT_TRUE(Therapy().AppendCheckIn(CheckIn("u1", "", score)));
    }
    RecordQuery newest;
    newest.limit = 3;
    auto page = Therapy().ListCheckIns("u1", newest);
    ASSERT_TRUE(page);
    EXPECT_EQ(Scores(*page), (std::vector<int>{4, 5, 6}));

    RecordQuery before = newest;
    before.before_id = page->front().header.id;
    page = Therapy().ListCheckIns("u1", before);
    ASSERT_TRUE(page);
    EXPECT_EQ(Scores(*page), (std::vector<int>{1, 2, 3}));

    before.before_id = page->front().header.id;
    page = Therapy().ListCheckIns("u1", before);
    ASSERT_TRUE(page);
    EXPECT_EQ(Scores(*page), (std::vector<int>{0}));

    RecordQuery none;
    none.limit = 0;
    page = Therapy().ListCheckIns("u1", none);
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->empty());
}

TEST_P(StoreConformance, TherapyListsFilterBySessionAndKeepUsersApart) {
    ASSERT_TRUE(Accounts().CreateUser(Someone("u1")));
    ASSERT_TRUE(Accounts().CreateUser(Someone("u2")));
    ASSERT_TRUE(Therapy().AppendCheckIn(CheckIn("u1", "s1", 1)));
    ASSERT_TRUE(Therapy().AppendCheckIn(CheckIn("u1", "s2", 2)));
    ASSERT_TRUE(Therapy().AppendCheckIn(CheckIn("u2", "s1", 3)));
    ASSERT_TRUE(Therapy().AppendCheckIn(CheckIn("u1", "s1", 4)));
    ASSERT_TRUE(Therapy().AppendCheckIn(CheckIn("u1", "", 5)));

    RecordQuery s1;
    s1.session_id = "s1";
    auto mine = Therapy().ListCheckIns("u1", s1);
    ASSERT_TRUE(mine);
    EXPECT_EQ(Scores(*mine), (std::vector<int>{1, 4}));
    auto all = Therapy().ListCheckIns("u1", {});
    ASSERT_TRUE(all);
    EXPECT_EQ(Scores(*all), (std::vector<int>{1, 2, 4, 5}));
    auto theirs = Therapy().ListCheckIns("u2", {});
    ASSERT_TRUE(theirs);
    EXPECT_EQ(Scores(*theirs), (std::vector<int>{3}));
}

TEST_P(StoreConformance, DeletingAUserDeletesTheirTherapyRecordsButNotOthers) {
    ASSERT_TRUE(Accounts().CreateUser(Someone("u1")));
    ASSERT_TRUE(Accounts().CreateUser(Someone("u2")));
    for (const char* user : {"u1", "u2"}) {
        ASSERT_TRUE(Therapy().AppendCheckIn(CheckIn(user, "s1", 5)));
        MeasureResultRecord m;
        m.header = Header(user, "s1", 1, 1);
        m.measure = "gad7";
        m.severity = "minimal";
        m.personal = ToBytes("0,0,0,0,0,0,0");
        ASSERT_TRUE(Therapy().AppendMeasureResult(m));
        PracticeRecord p;
        p.header = Header(user, "s1", 1, 1);
        p.technique = "grounding_54321";
        p.outcome = "declined";
        ASSERT_TRUE(Therapy().AppendPractice(p));
        JournalRecord j;
        j.header = Header(user, "s1", 1, 1);
        j.personal = ToBytes("the sea was grey");
        ASSERT_TRUE(Therapy().AppendJournalEntry(j));
        SessionSummaryRecord s;
        s.header = Header(user, "s1", 1, 1);
        s.summary = "{}";
        ASSERT_TRUE(Therapy().AppendSessionSummary(s));
        PlannerRecord d;
        d.header = Header(user, "s1", 1, 1);
        d.reason = "no beat: no beats are available here";
        ASSERT_TRUE(Therapy().AppendPlannerDecision(d));
    }
    ASSERT_TRUE(Accounts().DeleteUser("u1"));
    for (const char* user : {"u1", "u2"}) {
        const std::size_t want = std::string(user) == "u1" ? 0 : 1;
        SCOPED_TRACE(user);
        EXPECT_EQ(Therapy().ListCheckIns(user, {})->size(), want);
        EXPECT_EQ(Therapy().ListMeasureResults(user, {})->size(), want);
        EXPECT_EQ(Therapy().ListPractices(user, {})->size(), want);
        EXPECT_EQ(Therapy().ListJournalEntries(user, {})->size(), want);
        EXPECT_EQ(Therapy().ListSessionSummaries(user, {})->size(), want);
        EXPECT_EQ(Therapy().ListPlannerDecisions(user, {})->size(), want);
    }
}

TEST_P(StoreConformance, TherapyRecordsOutliveTheirSessionAndSurviveReopening) {
    ASSERT_TRUE(Accounts().CreateUser(Someone("u1")));
    Session s;
    s.id = "s1";
    s.owner_user_id = "u1";
    s.world_id = "lighthouse";
    ASSERT_TRUE(Sessions().CreateSession(s));
    ASSERT_TRUE(Therapy().AppendCheckIn(CheckIn("u1", "s1", 7)));
    ASSERT_TRUE(Sessions().DeleteSession("s1"));
    Reopen();
    auto kept = Therapy().ListCheckIns("u1", {});
    ASSERT_TRUE(kept);
    ASSERT_EQ(kept->size(), 1u);
    EXPECT_EQ((*kept)[0].header.session_id, "s1");
    EXPECT_EQ((*kept)[0].score, 7);
}

}  // namespace
}  // namespace tta::store::testing
