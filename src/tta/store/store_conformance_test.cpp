// The storage contract (session_store.hpp, account_store.hpp), run against every backend.
#include "tta/store/store_conformance.hpp"

#include <gmock/gmock.h>
#include <stdlib.h>

#include <atomic>
#include <barrier>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace tta::store::testing {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tta-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

void StoreConformance::SetUp() {
    dir_ = std::make_unique<TempDir>();
    auto opened = GetParam().open(dir_->Path(), &clock_);
    ASSERT_TRUE(opened) << opened.error().message;
    backend_ = std::move(*opened);
}

void StoreConformance::TearDown() { backend_.reset(); }

void StoreConformance::Reopen() {
    backend_.reset();
    auto opened = GetParam().open(dir_->Path(), &clock_);
    ASSERT_TRUE(opened) << opened.error().message;
    backend_ = std::move(*opened);
}

namespace {

using ::testing::ElementsAre;

Session MakeSession(std::string id, std::string owner = "u1") {
    Session s;
    s.id = std::move(id);
    s.owner_user_id = std::move(owner);
    s.character_id = "c1";
    s.world_id = "lighthouse";
    s.world_version = "1.0.0";
    s.seed = 42;
    s.created_ms = 1000;
    s.updated_ms = 1000;
    s.title = "The lighthouse";
    return s;
}

NewTurn MakeTurn(std::string session_id, std::int64_t created_ms = 2000) {
    NewTurn t;
    t.session_id = std::move(session_id);
    t.created_ms = created_ms;
    t.seed = 7;
    t.safety_level = "none";
    t.body = R"({"intent":"look"})";
    t.personal = ToBytes("look around");
    return t;
}

std::vector<std::int64_t> Seqs(const std::vector<Turn>& turns) {
    std::vector<std::int64_t> out;
    for (const auto& t : turns) out.push_back(t.seq);
    return out;
}

// Appends `n` turns at the current head; returns the last seq.
std::int64_t AppendN(SessionStore& store, const std::string& id, int n) {
    auto session = store.GetSession(id);
    EXPECT_TRUE(session);
    std::int64_t head = session ? session->head_seq : 0;
    for (int i = 0; i < n; ++i) {
        auto seq = store.AppendTurn(MakeTurn(id), head);
        EXPECT_TRUE(seq) << seq.error().message;
        if (!seq) break;
        head = *seq;
    }
    return head;
}

User MakeUser(std::string id, std::string username) {
    User u;
    u.id = std::move(id);
    u.username = std::move(username);
    u.email = u.username + "@example.org";
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    u.roles = {"player"};
    u.created_ms = 500;
    u.wrapped_key = {0, 1, 2, 0, 255};
    return u;
}

RefreshToken MakeToken(std::string hash, std::string family, std::string user,
                       std::int64_t expires_ms = 10'000) {
    return RefreshToken{
        std::move(hash), std::move(family), std::move(user), 100, expires_ms, false, false};
}

// --- sessions ---

TEST_P(StoreConformance, CreatedSessionReadsBackWithHeadAtZero) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    auto got = Sessions().GetSession("s1");
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(*got, MakeSession("s1"));
    EXPECT_EQ(got->head_seq, 0);
    EXPECT_EQ(got->last_seq, 0);
    EXPECT_EQ(got->status, SessionStatus::kActive);
}

TEST_P(StoreConformance, SessionKeepsEveryFieldIncludingLargeSeedsAndOfflineOwner) {
    Session s = MakeSession("offline-1", "");
    s.seed = std::numeric_limits<std::uint64_t>::max();
    s.status = SessionStatus::kEnded;
    s.title = "Fyrtårnet — 灯台";
    ASSERT_TRUE(Sessions().CreateSession(s));
    auto got = Sessions().GetSession("offline-1");
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, s);
}

TEST_P(StoreConformance, CreatingAnExistingSessionIsAConflict) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    auto again = Sessions().CreateSession(MakeSession("s1"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST_P(StoreConformance, SessionWithoutIdOrWorldIsInvalid) {
    auto no_id = Sessions().CreateSession(MakeSession(""));
    ASSERT_FALSE(no_id);
    EXPECT_EQ(no_id.error().code, ErrorCode::kInvalid);
    Session s = MakeSession("s1");
    s.world_id.clear();
    auto no_world = Sessions().CreateSession(s);
    ASSERT_FALSE(no_world);
    EXPECT_EQ(no_world.error().code, ErrorCode::kInvalid);
}

TEST_P(StoreConformance, MissingSessionIsNotFound) {
    auto got = Sessions().GetSession("nope");
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, ListsAnOwnersSessionsMostRecentlyUpdatedFirst) {
    for (auto [id, owner, updated] :
         {std::tuple{"a", "u1", 10}, std::tuple{"b", "u1", 30}, std::tuple{"c", "u2", 20},
          std::tuple{"d", "u1", 20}, std::tuple{"e", "", 5}}) {
        Session s = MakeSession(id, owner);
        s.updated_ms = updated;
        ASSERT_TRUE(Sessions().CreateSession(s));
    }
    auto ids = [&](std::string_view owner, std::size_t limit) {
        std::vector<std::string> out;
        auto list = Sessions().ListSessions(owner, limit);
        EXPECT_TRUE(list);
        if (list) {
            for (const auto& s : *list) out.push_back(s.id);
        }
        return out;
    };
    EXPECT_THAT(ids("u1", 100), ElementsAre("b", "d", "a"));
    EXPECT_THAT(ids("u1", 2), ElementsAre("b", "d"));
    EXPECT_THAT(ids("", 100), ElementsAre("e"));
    EXPECT_THAT(ids("nobody", 100), ElementsAre());
    // Appending a turn makes a session the most recent.
    ASSERT_TRUE(Sessions().AppendTurn(MakeTurn("a", 99), 0));
    EXPECT_THAT(ids("u1", 100), ElementsAre("a", "b", "d"));
}

TEST_P(StoreConformance, StatusAndTitleChangeAndStatusStampsUpdatedTime) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    clock_.Set(std::chrono::system_clock::time_point(std::chrono::milliseconds(5555)));
    ASSERT_TRUE(Sessions().SetSessionStatus("s1", SessionStatus::kEnded));
    ASSERT_TRUE(Sessions().SetSessionTitle("s1", "Home again"));
    auto got = Sessions().GetSession("s1");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->status, SessionStatus::kEnded);
    EXPECT_EQ(got->title, "Home again");
    EXPECT_EQ(got->updated_ms, 5555);
    EXPECT_EQ(Sessions().SetSessionStatus("x", SessionStatus::kEnded).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(Sessions().SetSessionTitle("x", "t").error().code, ErrorCode::kNotFound);
}

// --- turns ---

TEST_P(StoreConformance, AppendsNumberTurnsInOrderAndMoveTheHead) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    auto first = Sessions().AppendTurn(MakeTurn("s1", 2000), 0);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(*first, 1);
    auto second = Sessions().AppendTurn(MakeTurn("s1", 3000), 1);
    ASSERT_TRUE(second);
    EXPECT_EQ(*second, 2);
    auto session = Sessions().GetSession("s1");
    ASSERT_TRUE(session);
    EXPECT_EQ(session->head_seq, 2);
    EXPECT_EQ(session->last_seq, 2);
    EXPECT_EQ(session->updated_ms, 3000);
    auto turn = Sessions().GetTurn("s1", 2);
    ASSERT_TRUE(turn);
    EXPECT_EQ(turn->parent_seq, 1);
}

TEST_P(StoreConformance, TurnKeepsEveryFieldExactly) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    NewTurn t = MakeTurn("s1");
    t.seed = std::numeric_limits<std::uint64_t>::max() - 1;
    t.safety_level = "concern";
    t.body = R"({"intent":"reflect","emotion":"anxious","text":"ångest — 不安"})";
    t.personal = {0x00, 0xff, 0x10, 0x00, 0x80};  // not UTF-8, embedded zeros
    ASSERT_TRUE(Sessions().AppendTurn(t, 0));
    auto got = Sessions().GetTurn("s1", 1);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, (Turn{"s1", 1, 0, t.created_ms, t.seed, t.safety_level, t.body, t.personal}));
}

TEST_P(StoreConformance, EmptyPersonalBytesStayEmpty) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    NewTurn t = MakeTurn("s1");
    t.personal.clear();
    ASSERT_TRUE(Sessions().AppendTurn(t, 0));
    auto got = Sessions().GetTurn("s1", 1);
    ASSERT_TRUE(got);
    EXPECT_TRUE(got->personal.empty());
}

TEST_P(StoreConformance, AppendAtAStaleHeadIsAConflictAndWritesNothing) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    ASSERT_TRUE(Sessions().AppendTurn(MakeTurn("s1"), 0));
    auto stale = Sessions().AppendTurn(MakeTurn("s1"), 0);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
    auto ahead = Sessions().AppendTurn(MakeTurn("s1"), 5);
    ASSERT_FALSE(ahead);
    EXPECT_EQ(ahead.error().code, ErrorCode::kConflict);
    auto session = Sessions().GetSession("s1");
    ASSERT_TRUE(session);
    EXPECT_EQ(session->head_seq, 1);
    EXPECT_EQ(session->last_seq, 1);
    EXPECT_EQ(Sessions().GetTurn("s1", 2).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, AppendToAMissingSessionIsNotFound) {
    auto r = Sessions().AppendTurn(MakeTurn("ghost"), 0);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, NegativeTurnNumbersAreInvalid) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    EXPECT_EQ(Sessions().AppendTurn(MakeTurn("s1"), -1).error().code, ErrorCode::kInvalid);
    EXPECT_EQ(Sessions().MoveHead("s1", 0, -1).error().code, ErrorCode::kInvalid);
    EXPECT_EQ(Sessions().LoadChain("s1", -1, 0).error().code, ErrorCode::kInvalid);
    EXPECT_EQ(Sessions().LatestSnapshot("s1", -1).error().code, ErrorCode::kInvalid);
}

TEST_P(StoreConformance, MissingTurnIsNotFound) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    EXPECT_EQ(Sessions().GetTurn("s1", 1).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Sessions().GetTurn("ghost", 1).error().code, ErrorCode::kNotFound);
}

// --- the turn tree ---

TEST_P(StoreConformance, UndoThenPlayStartsANewBranchFromTheEarlierTurn) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    ASSERT_EQ(AppendN(Sessions(), "s1", 3), 3);  // 1 <- 2 <- 3
    clock_.Set(std::chrono::system_clock::time_point(std::chrono::milliseconds(7777)));
    ASSERT_TRUE(Sessions().MoveHead("s1", 3, 1));  // undo twice
    auto session = Sessions().GetSession("s1");
    ASSERT_TRUE(session);
    EXPECT_EQ(session->head_seq, 1);
    EXPECT_EQ(session->last_seq, 3);
    EXPECT_EQ(session->updated_ms, 7777);

    auto fork = Sessions().AppendTurn(MakeTurn("s1"), 1);
    ASSERT_TRUE(fork);
    EXPECT_EQ(*fork, 4);  // numbers keep counting across branches
    auto forked = Sessions().GetTurn("s1", 4);
    ASSERT_TRUE(forked);
    EXPECT_EQ(forked->parent_seq, 1);

    auto new_branch = Sessions().LoadChain("s1", 4, 0);
    ASSERT_TRUE(new_branch);
    EXPECT_THAT(Seqs(*new_branch), ElementsAre(1, 4));
    auto old_branch = Sessions().LoadChain("s1", 3, 0);
    ASSERT_TRUE(old_branch);
    EXPECT_THAT(Seqs(*old_branch), ElementsAre(1, 2, 3));

    // The old branch is still there to go back to.
    ASSERT_TRUE(Sessions().MoveHead("s1", 4, 3));
    auto next = Sessions().AppendTurn(MakeTurn("s1"), 3);
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, 5);
    auto chain = Sessions().LoadChain("s1", 5, 0);
    ASSERT_TRUE(chain);
    EXPECT_THAT(Seqs(*chain), ElementsAre(1, 2, 3, 5));
}

TEST_P(StoreConformance, MoveHeadChecksTheExpectedHeadAndTheTarget) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    ASSERT_EQ(AppendN(Sessions(), "s1", 2), 2);
    auto stale = Sessions().MoveHead("s1", 1, 0);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
    auto no_target = Sessions().MoveHead("s1", 2, 9);
    ASSERT_FALSE(no_target);
    EXPECT_EQ(no_target.error().code, ErrorCode::kNotFound);
    auto no_session = Sessions().MoveHead("ghost", 0, 0);
    ASSERT_FALSE(no_session);
    EXPECT_EQ(no_session.error().code, ErrorCode::kNotFound);
    ASSERT_TRUE(Sessions().MoveHead("s1", 2, 0));  // back to the very beginning
    auto session = Sessions().GetSession("s1");
    ASSERT_TRUE(session);
    EXPECT_EQ(session->head_seq, 0);
    auto first = Sessions().AppendTurn(MakeTurn("s1"), 0);
    ASSERT_TRUE(first);
    EXPECT_EQ(*first, 3);
    auto chain = Sessions().LoadChain("s1", 3, 0);
    ASSERT_TRUE(chain);
    EXPECT_THAT(Seqs(*chain), ElementsAre(3));
}

TEST_P(StoreConformance, LoadChainStopsJustAfterTheGivenAncestor) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    ASSERT_EQ(AppendN(Sessions(), "s1", 5), 5);
    auto tail = Sessions().LoadChain("s1", 5, 2);
    ASSERT_TRUE(tail);
    EXPECT_THAT(Seqs(*tail), ElementsAre(3, 4, 5));
    EXPECT_EQ(tail->front().session_id, "s1");
    auto none = Sessions().LoadChain("s1", 5, 5);
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    auto from_start = Sessions().LoadChain("s1", 0, 0);
    ASSERT_TRUE(from_start);
    EXPECT_TRUE(from_start->empty());
}

TEST_P(StoreConformance, LoadChainRefusesAnAfterSeqOffThePath) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    ASSERT_EQ(AppendN(Sessions(), "s1", 3), 3);
    ASSERT_TRUE(Sessions().MoveHead("s1", 3, 1));
    ASSERT_TRUE(Sessions().AppendTurn(MakeTurn("s1"), 1));                          // 4, child of 1
    EXPECT_EQ(Sessions().LoadChain("s1", 4, 2).error().code, ErrorCode::kInvalid);  // sibling
    EXPECT_EQ(Sessions().LoadChain("s1", 2, 3).error().code, ErrorCode::kInvalid);  // later
    EXPECT_EQ(Sessions().LoadChain("s1", 9, 0).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Sessions().LoadChain("ghost", 0, 0).error().code, ErrorCode::kNotFound);
}

// --- snapshots ---

TEST_P(StoreConformance, LatestSnapshotIsTheNearestOnTheHeadsAncestry) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    ASSERT_EQ(AppendN(Sessions(), "s1", 4), 4);  // 1 <- 2 <- 3 <- 4
    ASSERT_TRUE(Sessions().PutSnapshot({"s1", 1, R"({"at":1})"}));
    ASSERT_TRUE(Sessions().PutSnapshot({"s1", 3, R"({"at":3})"}));
    ASSERT_TRUE(Sessions().MoveHead("s1", 4, 2));
    ASSERT_TRUE(Sessions().AppendTurn(MakeTurn("s1"), 2));  // 5, child of 2

    auto on_main = Sessions().LatestSnapshot("s1", 4);
    ASSERT_TRUE(on_main);
    ASSERT_TRUE(on_main->has_value());
    EXPECT_EQ(**on_main, (Snapshot{"s1", 3, R"({"at":3})"}));

    auto at_itself = Sessions().LatestSnapshot("s1", 3);
    ASSERT_TRUE(at_itself);
    ASSERT_TRUE(at_itself->has_value());
    EXPECT_EQ((*at_itself)->seq, 3);

    // Turn 3 is on another branch, so turn 5 sees the snapshot at 1.
    auto on_fork = Sessions().LatestSnapshot("s1", 5);
    ASSERT_TRUE(on_fork);
    ASSERT_TRUE(on_fork->has_value());
    EXPECT_EQ((*on_fork)->seq, 1);

    auto rest = Sessions().LoadChain("s1", 5, (*on_fork)->seq);
    ASSERT_TRUE(rest);
    EXPECT_THAT(Seqs(*rest), ElementsAre(2, 5));

    auto at_start = Sessions().LatestSnapshot("s1", 0);
    ASSERT_TRUE(at_start);
    EXPECT_FALSE(at_start->has_value());
}

TEST_P(StoreConformance, NoSnapshotOnTheAncestryMeansFoldFromTheStart) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    ASSERT_EQ(AppendN(Sessions(), "s1", 2), 2);
    auto none = Sessions().LatestSnapshot("s1", 2);
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
    EXPECT_EQ(Sessions().LatestSnapshot("s1", 3).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Sessions().LatestSnapshot("ghost", 0).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, PuttingASnapshotAgainReplacesIt) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    ASSERT_EQ(AppendN(Sessions(), "s1", 1), 1);
    ASSERT_TRUE(Sessions().PutSnapshot({"s1", 1, "{\"v\":1}"}));
    ASSERT_TRUE(Sessions().PutSnapshot({"s1", 1, "{\"v\":2}"}));
    auto got = Sessions().LatestSnapshot("s1", 1);
    ASSERT_TRUE(got);
    ASSERT_TRUE(got->has_value());
    EXPECT_EQ((*got)->state, "{\"v\":2}");
}

TEST_P(StoreConformance, SnapshotNeedsAnExistingTurn) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    EXPECT_EQ(Sessions().PutSnapshot({"s1", 0, "{}"}).error().code, ErrorCode::kInvalid);
    EXPECT_EQ(Sessions().PutSnapshot({"s1", 1, "{}"}).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Sessions().PutSnapshot({"ghost", 1, "{}"}).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, AppendCanStoreTheSnapshotAfterTheTurnAtomically) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    NewTurn t = MakeTurn("s1");
    t.snapshot = R"({"place":"harbour"})";
    auto seq = Sessions().AppendTurn(t, 0);
    ASSERT_TRUE(seq);
    auto snap = Sessions().LatestSnapshot("s1", *seq);
    ASSERT_TRUE(snap);
    ASSERT_TRUE(snap->has_value());
    EXPECT_EQ(**snap, (Snapshot{"s1", *seq, R"({"place":"harbour"})"}));
    // A refused append leaves no snapshot behind either.
    NewTurn stale = MakeTurn("s1");
    stale.snapshot = R"({"place":"nowhere"})";
    ASSERT_FALSE(Sessions().AppendTurn(stale, 0));
    auto still = Sessions().LatestSnapshot("s1", *seq);
    ASSERT_TRUE(still);
    EXPECT_EQ((*still)->state, R"({"place":"harbour"})");
}

TEST_P(StoreConformance, DeletingASessionDeletesItsTurnsAndSnapshots) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s2")));
    ASSERT_EQ(AppendN(Sessions(), "s1", 3), 3);
    ASSERT_EQ(AppendN(Sessions(), "s2", 1), 1);
    ASSERT_TRUE(Sessions().PutSnapshot({"s1", 2, "{}"}));
    ASSERT_TRUE(Sessions().DeleteSession("s1"));
    EXPECT_EQ(Sessions().GetSession("s1").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Sessions().GetTurn("s1", 1).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Sessions().LatestSnapshot("s1", 2).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Sessions().DeleteSession("s1").error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(Sessions().GetTurn("s2", 1));
    // The id can be used again, from a clean slate.
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    auto fresh = Sessions().AppendTurn(MakeTurn("s1"), 0);
    ASSERT_TRUE(fresh);
    EXPECT_EQ(*fresh, 1);
}

// --- concurrency ---

TEST_P(StoreConformance, ManyThreadsAppendingToTheirOwnSessionsAllSucceed) {
    constexpr int kThreads = 16;
    constexpr int kTurns = 25;
    for (int i = 0; i < kThreads; ++i) {
        ASSERT_TRUE(Sessions().CreateSession(MakeSession("s" + std::to_string(i))));
    }
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            std::string id = "s" + std::to_string(i);
            std::int64_t head = 0;
            for (int n = 0; n < kTurns; ++n) {
                auto seq = Sessions().AppendTurn(MakeTurn(id), head);
                if (!seq || *seq != head + 1) {
                    ++failures;
                    return;
                }
                head = *seq;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    for (int i = 0; i < kThreads; ++i) {
        std::string id = "s" + std::to_string(i);
        auto chain = Sessions().LoadChain(id, kTurns, 0);
        ASSERT_TRUE(chain);
        EXPECT_EQ(chain->size(), static_cast<std::size_t>(kTurns));
    }
}

TEST_P(StoreConformance, OfTwoAppendsAtTheSameHeadExactlyOneWinsEachRound) {
    constexpr int kRounds = 40;
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    std::barrier sync(2);
    std::atomic<std::int64_t> head{0};
    std::atomic<int> wins[2] = {0, 0};
    std::atomic<int> conflicts{0}, other_errors{0};
    auto player = [&](int me) {
        for (int round = 0; round < kRounds; ++round) {
            std::int64_t seen = head.load();
            sync.arrive_and_wait();  // both have read the same head
            auto r = Sessions().AppendTurn(MakeTurn("s1"), seen);
            if (r) {
                ++wins[me];
                head.store(*r);
            } else if (r.error().code == ErrorCode::kConflict) {
                ++conflicts;
            } else {
                ++other_errors;
            }
            sync.arrive_and_wait();  // the round is over for both
        }
    };
    std::thread a(player, 0), b(player, 1);
    a.join();
    b.join();
    EXPECT_EQ(wins[0] + wins[1], kRounds);
    EXPECT_EQ(conflicts.load(), kRounds);
    EXPECT_EQ(other_errors.load(), 0);
    auto session = Sessions().GetSession("s1");
    ASSERT_TRUE(session);
    EXPECT_EQ(session->head_seq, kRounds);
    EXPECT_EQ(session->last_seq, kRounds);
    auto chain = Sessions().LoadChain("s1", kRounds, 0);
    ASSERT_TRUE(chain);
    EXPECT_EQ(chain->size(), static_cast<std::size_t>(kRounds));
}

TEST_P(StoreConformance, ReadersRunWhileWritersWrite) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    std::atomic<bool> done{false};
    std::atomic<int> read_errors{0};
    std::thread reader([&] {
        std::int64_t last_head = 0;
        while (!done.load()) {
            auto s = Sessions().GetSession("s1");
            if (!s || s->head_seq < last_head) {
                ++read_errors;
                continue;
            }
            last_head = s->head_seq;
            auto chain = Sessions().LoadChain("s1", s->head_seq, 0);
            if (!chain || static_cast<std::int64_t>(chain->size()) != s->head_seq) ++read_errors;
        }
    });
    AppendN(Sessions(), "s1", 50);
    done.store(true);
    reader.join();
    EXPECT_EQ(read_errors.load(), 0);
}

// --- durability ---

TEST_P(StoreConformance, EverythingAcknowledgedSurvivesReopening) {
    ASSERT_TRUE(Sessions().CreateSession(MakeSession("s1")));
    ASSERT_EQ(AppendN(Sessions(), "s1", 3), 3);
    ASSERT_TRUE(Sessions().MoveHead("s1", 3, 2));
    ASSERT_TRUE(Sessions().PutSnapshot({"s1", 2, "{\"k\":2}"}));
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken("h1", "f1", "u1")));
    auto before_turn = Sessions().GetTurn("s1", 3);
    ASSERT_TRUE(before_turn);

    Reopen();

    auto session = Sessions().GetSession("s1");
    ASSERT_TRUE(session);
    EXPECT_EQ(session->head_seq, 2);
    EXPECT_EQ(session->last_seq, 3);
    auto turn = Sessions().GetTurn("s1", 3);
    ASSERT_TRUE(turn);
    EXPECT_EQ(*turn, *before_turn);
    auto snap = Sessions().LatestSnapshot("s1", 2);
    ASSERT_TRUE(snap);
    ASSERT_TRUE(snap->has_value());
    EXPECT_EQ((*snap)->state, "{\"k\":2}");
    auto user = Accounts().GetUser("u1");
    ASSERT_TRUE(user);
    EXPECT_EQ(*user, MakeUser("u1", "mira"));
    EXPECT_TRUE(Accounts().GetRefreshToken("h1"));
    // And play continues where it stopped.
    auto next = Sessions().AppendTurn(MakeTurn("s1"), 2);
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, 4);
}

// --- users ---

TEST_P(StoreConformance, UserReadsBackByIdAndByUsernameInAnyCase) {
    User u = MakeUser("u1", "Mira");
    u.roles = {"player", "editor"};
    ASSERT_TRUE(Accounts().CreateUser(u));
    auto by_id = Accounts().GetUser("u1");
    ASSERT_TRUE(by_id) << by_id.error().message;
    EXPECT_EQ(*by_id, u);
    auto by_name = Accounts().FindUserByUsername("mIRA");
    ASSERT_TRUE(by_name);
    EXPECT_EQ(by_name->id, "u1");
    EXPECT_EQ(by_name->username, "Mira");  // stored as given
    EXPECT_EQ(Accounts().FindUserByUsername("tomas").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Accounts().GetUser("u9").error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, UserWithoutEmailOrRolesReadsBackSo) {
    User u = MakeUser("u1", "mira");
    u.email.reset();
    u.roles.clear();
    u.wrapped_key.clear();
    ASSERT_TRUE(Accounts().CreateUser(u));
    auto got = Accounts().GetUser("u1");
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, u);
}

TEST_P(StoreConformance, UsernamesAreUniqueIgnoringCase) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "Mira")));
    auto same_name = Accounts().CreateUser(MakeUser("u2", "MIRA"));
    ASSERT_FALSE(same_name);
    EXPECT_EQ(same_name.error().code, ErrorCode::kConflict);
    auto same_id = Accounts().CreateUser(MakeUser("u1", "tomas"));
    ASSERT_FALSE(same_id);
    EXPECT_EQ(same_id.error().code, ErrorCode::kConflict);
    EXPECT_EQ(Accounts().CreateUser(MakeUser("", "x")).error().code, ErrorCode::kInvalid);
}

TEST_P(StoreConformance, RolesAreGrantedAndRevokedIdempotently) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    ASSERT_TRUE(Accounts().GrantRole("u1", "clinician"));
    ASSERT_TRUE(Accounts().GrantRole("u1", "clinician"));
    ASSERT_TRUE(Accounts().RevokeRole("u1", "player"));
    ASSERT_TRUE(Accounts().RevokeRole("u1", "admin"));
    auto u = Accounts().GetUser("u1");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->roles, (std::set<std::string>{"clinician"}));
    EXPECT_EQ(Accounts().GrantRole("u9", "admin").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Accounts().RevokeRole("u9", "admin").error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, PasswordHashCanBeReplaced) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    ASSERT_TRUE(Accounts().SetPasswordHash("u1", "$argon2id$new"));
    auto u = Accounts().GetUser("u1");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->password_hash, "$argon2id$new");
    EXPECT_EQ(Accounts().SetPasswordHash("u9", "x").error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, DeletingAUserDeletesEverythingTheyOwnButNotOthers) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u2", "tomas")));
    for (const char* owner : {"u1", "u2"}) {
        std::string o = owner;
        ASSERT_TRUE(Accounts().CreateCharacter({"c-" + o, o, "Ash", "they/them", {}, "{}", 1, 1}));
        ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken("h-" + o, "f-" + o, o)));
        ASSERT_TRUE(Accounts().AppendSafetyEvent({0, o, "", 1, "concern", ToBytes("x")}));
        ASSERT_TRUE(Accounts().PutSafetyPlan({o, ToBytes("call a friend"), 1}));
    }
    ASSERT_TRUE(Accounts().DeleteUser("u1"));
    EXPECT_EQ(Accounts().GetUser("u1").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Accounts().GetCharacter("c-u1").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Accounts().GetRefreshToken("h-u1").error().code, ErrorCode::kNotFound);
    auto events = Accounts().ListSafetyEvents("u1", 10);
    ASSERT_TRUE(events);
    EXPECT_TRUE(events->empty());
    EXPECT_EQ(Accounts().GetSafetyPlan("u1").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Accounts().DeleteUser("u1").error().code, ErrorCode::kNotFound);

    EXPECT_TRUE(Accounts().GetCharacter("c-u2"));
    EXPECT_TRUE(Accounts().GetRefreshToken("h-u2"));
    auto plan = Accounts().GetSafetyPlan("u2");
    ASSERT_TRUE(plan);
    EXPECT_TRUE(plan->has_value());
}

// --- refresh tokens ---

TEST_P(StoreConformance, RotationMarksTheOldTokenUsedAndIssuesASuccessorInItsFamily) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken("h1", "fam", "u1", 10'000)));
    auto next = Accounts().RotateRefreshToken("h1", "h2", 20'000, 5'000);
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_EQ(*next, (RefreshToken{"h2", "fam", "u1", 5'000, 20'000, false, false}));
    auto old = Accounts().GetRefreshToken("h1");
    ASSERT_TRUE(old);
    EXPECT_TRUE(old->used);
    EXPECT_FALSE(old->revoked);
    auto stored = Accounts().GetRefreshToken("h2");
    ASSERT_TRUE(stored);
    EXPECT_EQ(*stored, *next);
    auto third = Accounts().RotateRefreshToken("h2", "h3", 30'000, 6'000);
    ASSERT_TRUE(third);
    EXPECT_EQ(third->family_id, "fam");
}

TEST_P(StoreConformance, ReplayingAUsedTokenRevokesItsWholeFamily) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken("h1", "fam", "u1")));
    ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken("other", "fam2", "u1")));
    ASSERT_TRUE(Accounts().RotateRefreshToken("h1", "h2", 20'000, 5'000));
    auto replay = Accounts().RotateRefreshToken("h1", "h3", 20'000, 5'001);
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(Accounts().GetRefreshToken("h3").error().code, ErrorCode::kNotFound);
    auto successor = Accounts().GetRefreshToken("h2");
    ASSERT_TRUE(successor);
    EXPECT_TRUE(successor->revoked);
    auto legit = Accounts().RotateRefreshToken("h2", "h4", 20'000, 5'002);
    ASSERT_FALSE(legit);
    EXPECT_EQ(legit.error().code, ErrorCode::kUnauthenticated);
    auto unrelated = Accounts().GetRefreshToken("other");
    ASSERT_TRUE(unrelated);
    EXPECT_FALSE(unrelated->revoked);
}

TEST_P(StoreConformance, ExpiredRevokedAndUnknownTokensDoNotRotate) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken("old", "f1", "u1", 1'000)));
    ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken("out", "f2", "u1", 99'000)));
    ASSERT_TRUE(Accounts().RevokeRefreshFamily("f2"));
    for (const char* hash : {"old", "out", "unknown"}) {
        auto r = Accounts().RotateRefreshToken(hash, std::string("new-") + hash, 50'000, 1'000);
        ASSERT_FALSE(r) << hash;
        EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << hash;
        EXPECT_FALSE(Accounts().GetRefreshToken(std::string("new-") + hash)) << hash;
    }
    auto expired = Accounts().GetRefreshToken("old");
    ASSERT_TRUE(expired);
    EXPECT_FALSE(expired->used);
}

TEST_P(StoreConformance, LogoutEverywhereRevokesAllOfAUsersTokens) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u2", "tomas")));
    ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken("a", "f1", "u1")));
    ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken("b", "f2", "u1")));
    ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken("c", "f3", "u2")));
    ASSERT_TRUE(Accounts().RevokeUserRefreshTokens("u1"));
    EXPECT_TRUE(Accounts().GetRefreshToken("a")->revoked);
    EXPECT_TRUE(Accounts().GetRefreshToken("b")->revoked);
    EXPECT_FALSE(Accounts().GetRefreshToken("c")->revoked);
}

TEST_P(StoreConformance, TokenInsertChecksItsUserAndItsHash) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    EXPECT_EQ(Accounts().InsertRefreshToken(MakeToken("h", "f", "u9")).error().code,
              ErrorCode::kNotFound);
    ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken("h", "f", "u1")));
    EXPECT_EQ(Accounts().InsertRefreshToken(MakeToken("h", "f", "u1")).error().code,
              ErrorCode::kConflict);
}

TEST_P(StoreConformance, OfTwoConcurrentRotationsOfOneTokenExactlyOneSucceeds) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    constexpr int kRounds = 20;
    for (int round = 0; round < kRounds; ++round) {
        std::string base = "r" + std::to_string(round);
        ASSERT_TRUE(Accounts().InsertRefreshToken(MakeToken(base, "fam-" + base, "u1")));
        std::barrier sync(2);
        std::atomic<int> ok{0};
        auto rotate = [&](const char* suffix) {
            sync.arrive_and_wait();
            if (Accounts().RotateRefreshToken(base, base + suffix, 20'000, 5'000)) ++ok;
        };
        std::thread a(rotate, "-a"), b(rotate, "-b");
        a.join();
        b.join();
        EXPECT_EQ(ok.load(), 1) << base;
        // The loser presented a used token: the family, winner's successor included, is dead.
        auto original = Accounts().GetRefreshToken(base);
        ASSERT_TRUE(original);
        EXPECT_TRUE(original->revoked) << base;
    }
}

// --- characters ---

TEST_P(StoreConformance, CharactersAreCreatedListedUpdatedAndDeleted) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u2", "tomas")));
    Character ash{
        "c1", "u1", "Ash", "they/them", ToBytes("grew up by the sea"), R"({"goals":["sleep"]})",
        10,   10};
    Character bo{"c2", "u1", "Bo", "she/her", {}, "{}", 20, 20};
    Character cy{"c3", "u2", "Cy", "he/him", {}, "{}", 5, 5};
    for (const auto& c : {bo, ash, cy}) ASSERT_TRUE(Accounts().CreateCharacter(c));
    auto got = Accounts().GetCharacter("c1");
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, ash);
    auto mine = Accounts().ListCharacters("u1");
    ASSERT_TRUE(mine);
    EXPECT_EQ(*mine, (std::vector<Character>{ash, bo}));

    Character changed = ash;
    changed.owner_user_id = "u2";  // ignored: owners never change
    changed.created_ms = 999;      // ignored
    changed.name = "Ash Rowan";
    changed.personal = ToBytes("grew up inland");
    changed.profile = R"({"intensity":"gentle"})";
    changed.updated_ms = 30;
    ASSERT_TRUE(Accounts().UpdateCharacter(changed));
    auto updated = Accounts().GetCharacter("c1");
    ASSERT_TRUE(updated);
    EXPECT_EQ(updated->owner_user_id, "u1");
    EXPECT_EQ(updated->created_ms, 10);
    EXPECT_EQ(updated->name, "Ash Rowan");
    EXPECT_EQ(updated->personal, ToBytes("grew up inland"));
    EXPECT_EQ(updated->profile, R"({"intensity":"gentle"})");
    EXPECT_EQ(updated->updated_ms, 30);

    ASSERT_TRUE(Accounts().DeleteCharacter("c1"));
    EXPECT_EQ(Accounts().GetCharacter("c1").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Accounts().DeleteCharacter("c1").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Accounts().UpdateCharacter(changed).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformance, CharacterNeedsAnOwnerAndAFreshId) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    Character c{"c1", "u9", "Ash", "", {}, "{}", 1, 1};
    EXPECT_EQ(Accounts().CreateCharacter(c).error().code, ErrorCode::kNotFound);
    c.owner_user_id = "u1";
    ASSERT_TRUE(Accounts().CreateCharacter(c));
    EXPECT_EQ(Accounts().CreateCharacter(c).error().code, ErrorCode::kConflict);
}

// --- safety ---

TEST_P(StoreConformance, SafetyEventsListNewestFirst) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 3; ++i) {
        auto id = Accounts().AppendSafetyEvent(
            {0, "u1", "s1", 100 + i, i == 2 ? "crisis" : "concern", ToBytes(std::to_string(i))});
        ASSERT_TRUE(id);
        ids.push_back(*id);
    }
    EXPECT_LT(ids[0], ids[1]);
    EXPECT_LT(ids[1], ids[2]);
    auto two = Accounts().ListSafetyEvents("u1", 2);
    ASSERT_TRUE(two);
    ASSERT_EQ(two->size(), 2u);
    EXPECT_EQ((*two)[0], (SafetyEvent{ids[2], "u1", "s1", 102, "crisis", ToBytes("2")}));
    EXPECT_EQ((*two)[1].id, ids[1]);
    EXPECT_EQ(Accounts().AppendSafetyEvent({0, "u9", "", 1, "concern", {}}).error().code,
              ErrorCode::kNotFound);
}

TEST_P(StoreConformance, SafetyPlanIsPutReplacedAndDeleted) {
    ASSERT_TRUE(Accounts().CreateUser(MakeUser("u1", "mira")));
    auto none = Accounts().GetSafetyPlan("u1");
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
    ASSERT_TRUE(Accounts().PutSafetyPlan({"u1", ToBytes("walk, call Sam"), 10}));
    ASSERT_TRUE(Accounts().PutSafetyPlan({"u1", ToBytes("walk, call Sam, breathe"), 20}));
    auto plan = Accounts().GetSafetyPlan("u1");
    ASSERT_TRUE(plan);
    ASSERT_TRUE(plan->has_value());
    EXPECT_EQ(**plan, (SafetyPlan{"u1", ToBytes("walk, call Sam, breathe"), 20}));
    ASSERT_TRUE(Accounts().DeleteSafetyPlan("u1"));
    auto gone = Accounts().GetSafetyPlan("u1");
    ASSERT_TRUE(gone);
    EXPECT_FALSE(gone->has_value());
    EXPECT_EQ(Accounts().PutSafetyPlan({"u9", {}, 1}).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tta::store::testing
