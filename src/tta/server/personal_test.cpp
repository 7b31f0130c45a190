// Personal text sealed on its way to the store and opened on its way back, per user.
#include "tta/server/personal.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "tta/store/sqlite/sqlite_store.hpp"

namespace tta::server {
namespace {

namespace fs = std::filesystem;

bool Contains(const store::Bytes& bytes, std::string_view text) {
    return std::search(bytes.begin(), bytes.end(), text.begin(), text.end()) != bytes.end();
}

class PersonalTest : public ::testing::Test {
  protected:
    PersonalTest()
        : dir_(fs::temp_directory_path() /
               ("tta_personal_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name())),
          master_(auth::MasterKey::Generate()) {
        fs::remove_all(dir_);
        store::sqlite::SqliteOptions options;
        options.data_dir = dir_;
        options.sync = store::sqlite::Sync::kNormal;
        store_ = std::move(*store::sqlite::SqliteStore::Open(options));
        keys_ = std::make_unique<PersonalKeys>(*store_, master_);
        sessions_ = std::make_unique<SealedSessionStore>(*store_, *keys_);
        accounts_ = std::make_unique<SealedAccountStore>(*store_, *keys_);
        therapy_ = std::make_unique<SealedTherapyStore>(*store_, *keys_);
    }
    ~PersonalTest() override {
        therapy_.reset();
        accounts_.reset();
        sessions_.reset();
        keys_.reset();
        store_.reset();
        fs::remove_all(dir_);
    }

    void AddUser(const std::string& id, bool with_key) {
        store::User u;
        u.id = id;
        u.username = id;
        u.roles = {"player"};
        if (with_key) u.wrapped_key = master_.WrapDataKey(auth::DataKey::Random(), id);
        ASSERT_TRUE(store_->CreateUser(u));
    }
    void AddSession(const std::string& id, const std::string& owner) {
        store::Session s;
        s.id = id;
        s.owner_user_id = owner;
        s.world_id = "tiny";
        ASSERT_TRUE(sessions_->CreateSession(s));
    }
    std::int64_t AppendTurn(const std::string& session, std::string_view personal,
                            std::int64_t head) {
        store::NewTurn t;
        t.session_id = session;
        t.body = "{}";
        t.safety_level = "none";
        t.personal = store::ToBytes(personal);
        auto seq = sessions_->AppendTurn(t, head);
        EXPECT_TRUE(seq) << seq.error().message;
        return seq ? *seq : 0;
    }

    fs::path dir_;
    auth::MasterKey master_;
    std::unique_ptr<store::sqlite::SqliteStore> store_;
    std::unique_ptr<PersonalKeys> keys_;
    std::unique_ptr<SealedSessionStore> sessions_;
    std::unique_ptr<SealedAccountStore> accounts_;
    std::unique_ptr<SealedTherapyStore> therapy_;
};

TEST_F(PersonalTest, TurnInputsAreSealedForTheOwnerAndOpenOnTheWayBack) {
    AddUser("mira", true);
    AddSession("s1", "mira");
    const std::int64_t one = AppendTurn("s1", "I left the letter under the blue teapot", 0);
    AppendTurn("s1", "", one);

    auto raw = store_->GetTurn("s1", one);
    ASSERT_TRUE(raw);
    EXPECT_FALSE(Contains(raw->personal, "blue teapot"));
    EXPECT_EQ(raw->personal.front(), 0x01);
    EXPECT_TRUE(store_->GetTurn("s1", one + 1)->personal.empty());  // nothing said, nothing kept

    auto opened = sessions_->GetTurn("s1", one);
    ASSERT_TRUE(opened);
    EXPECT_EQ(store::AsText(opened->personal), "I left the letter under the blue teapot");
    auto chain = sessions_->LoadChain("s1", one + 1, 0);
    ASSERT_TRUE(chain);
    ASSERT_EQ(chain->size(), 2u);
    EXPECT_EQ(store::AsText((*chain)[0].personal), "I left the letter under the blue teapot");
}

TEST_F(PersonalTest, DeletingTheUserMakesTheirTextUnreadable) {
    AddUser("mira", true);
    AddSession("s1", "mira");
    const std::int64_t seq = AppendTurn("s1", "the name of my sister", 0);
    ASSERT_EQ(store::AsText(sessions_->GetTurn("s1", seq)->personal), "the name of my sister");

    ASSERT_TRUE(accounts_->DeleteUser("mira"));
    auto turn = sessions_->GetTurn("s1", seq);  // the session outlives its owner here
    ASSERT_TRUE(turn);
    EXPECT_TRUE(turn->personal.empty());
    EXPECT_FALSE(Contains(store_->GetTurn("s1", seq)->personal, "sister"));
    // A fresh process (no cached key) cannot read it either.
    PersonalKeys fresh(*store_, master_);
    auto raw = store_->GetTurn("s1", seq);
    EXPECT_FALSE(fresh.Open("mira", raw->personal, "turn:s1"));
}

TEST_F(PersonalTest, ASealedValueOpensOnlyWhereItWasWritten) {
    AddUser("mira", true);
    AddUser("ollie", true);
    auto sealed = keys_->Seal("mira", "a quiet secret", "character:a");
    ASSERT_TRUE(sealed);
    EXPECT_EQ(*keys_->Open("mira", *sealed, "character:a"), "a quiet secret");
    EXPECT_FALSE(keys_->Open("mira", *sealed, "character:b"));  // another row
    EXPECT_FALSE(keys_->Open("ollie", *sealed, "character:a"));  // another person's key
    EXPECT_EQ(keys_->OpenOrEmpty("ollie", *sealed, "character:a"), "");
    EXPECT_EQ(keys_->Open("nobody", *sealed, "character:a").error().code, ErrorCode::kNotFound);
}

TEST_F(PersonalTest, TextOfUsersWithoutADataKeyIsKeptAsGiven) {
    AddUser("local", false);
    AddSession("offline", "local");
    const std::int64_t seq = AppendTurn("offline", "look at the sea", 0);
    EXPECT_EQ(store::AsText(store_->GetTurn("offline", seq)->personal), "look at the sea");
    EXPECT_EQ(store::AsText(sessions_->GetTurn("offline", seq)->personal), "look at the sea");
    // Text that looks like the sealed form is escaped, and reads back unchanged.
    for (std::string tricky : {std::string("\x01hello"), std::string("\0x", 2)}) {
        auto kept = keys_->Seal("local", tricky, "c");
        ASSERT_TRUE(kept);
        EXPECT_EQ(*keys_->Open("local", *kept, "c"), tricky);
    }
    // Sessions without an owner (offline play before accounts) pass through.
    AddSession("ownerless", "");
    const std::int64_t n = AppendTurn("ownerless", "wait", 0);
    EXPECT_EQ(store::AsText(sessions_->GetTurn("ownerless", n)->personal), "wait");
}

TEST_F(PersonalTest, CharactersSafetyRecordsAndTherapyRecordsAreSealed) {
    AddUser("mira", true);
    store::Character c;
    c.id = "c1";
    c.owner_user_id = "mira";
    c.name = "Mira";
    c.pronouns = "she/her";
    c.personal = store::ToBytes(R"({"background":"grew up above a bakery"})");
    ASSERT_TRUE(accounts_->CreateCharacter(c));
    EXPECT_FALSE(Contains(store_->GetCharacter("c1")->personal, "bakery"));
    EXPECT_EQ(accounts_->GetCharacter("c1")->personal, c.personal);
    EXPECT_EQ(accounts_->ListCharacters("mira")->front().personal, c.personal);
    c.personal = store::ToBytes(R"({"background":"moved to the coast"})");
    c.owner_user_id = "someone else";  // ignored: the stored owner's key seals it
    ASSERT_TRUE(accounts_->UpdateCharacter(c));
    EXPECT_FALSE(Contains(store_->GetCharacter("c1")->personal, "coast"));
    EXPECT_EQ(store::AsText(accounts_->GetCharacter("c1")->personal),
              R"({"background":"moved to the coast"})");

    store::SafetyEvent event;
    event.user_id = "mira";
    event.level = "crisis";
    event.personal = store::ToBytes("rules that fired");
    ASSERT_TRUE(accounts_->AppendSafetyEvent(event));
    EXPECT_FALSE(Contains(store_->ListSafetyEvents("mira", 5)->front().personal, "fired"));
    EXPECT_EQ(store::AsText(accounts_->ListSafetyEvents("mira", 5)->front().personal),
              "rules that fired");

    store::SafetyPlan plan;
    plan.user_id = "mira";
    plan.personal = store::ToBytes("call my brother Teodor");
    ASSERT_TRUE(accounts_->PutSafetyPlan(plan));
    EXPECT_FALSE(Contains((*store_->GetSafetyPlan("mira"))->personal, "Teodor"));
    EXPECT_EQ(store::AsText((*accounts_->GetSafetyPlan("mira"))->personal),
              "call my brother Teodor");

    store::JournalRecord entry;
    entry.header.user_id = "mira";
    entry.personal = store::ToBytes("today the harbour felt kind");
    ASSERT_TRUE(therapy_->AppendJournalEntry(entry));
    store::CheckInRecord check_in;
    check_in.header.user_id = "mira";
    check_in.score = 6;
    check_in.mode = "out_of_character";
    check_in.personal = store::ToBytes("tired, hopeful");
    ASSERT_TRUE(therapy_->AppendCheckIn(check_in));
    store::MeasureResultRecord measure;
    measure.header.user_id = "mira";
    measure.measure = "gad7";
    measure.severity = "mild";
    measure.total = 6;
    measure.personal = store::ToBytes("[1,1,1,1,1,1,0]");
    ASSERT_TRUE(therapy_->AppendMeasureResult(measure));

    EXPECT_FALSE(Contains(store_->ListJournalEntries("mira", {})->front().personal, "harbour"));
    EXPECT_FALSE(Contains(store_->ListCheckIns("mira", {})->front().personal, "hopeful"));
    EXPECT_FALSE(Contains(store_->ListMeasureResults("mira", {})->front().personal, "1,1"));
    EXPECT_EQ(store::AsText(therapy_->ListJournalEntries("mira", {})->front().personal),
              "today the harbour felt kind");
    EXPECT_EQ(store::AsText(therapy_->ListCheckIns("mira", {})->front().personal),
              "tired, hopeful");
    EXPECT_EQ(store::AsText(therapy_->ListMeasureResults("mira", {})->front().personal),
              "[1,1,1,1,1,1,0]");
}

}  // namespace
}  // namespace tta::server
