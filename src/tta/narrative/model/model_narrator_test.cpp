#include "tta/narrative/model/model_narrator.hpp"

#include <gtest/gtest.h>

#include "tta/narrative/model/scripted_transport.hpp"
#include "tta/narrative/model/test_world.hpp"

namespace tta::narrative::model {
namespace {

using std::chrono::seconds;

ProviderSpec Spec(const std::string& name) {
    ProviderSpec s;
    s.config.name = name;
    s.config.model = name + "-model";
    s.config.base_url = "http://" + name + "/v1";
    s.endpoint = *ParseBaseUrl(s.config.base_url);
    s.tasks = {Task::kNarration, Task::kDialogue};
    return s;
}

constexpr std::string_view kGoodOpening =
    "Waves fold onto the pale sand, Sam. Near the shore a brass lantern lies half buried, "
    "and the wind smells of salt.";

class ModelNarratorTest : public ::testing::Test {
  protected:
    void SetUp() override {
        pack_ = CovePack();
        ASSERT_NE(pack_, nullptr);
        Make({Spec("local")});
    }
    void Make(std::vector<ProviderSpec> specs, ModelNarratorOptions options = {}) {
        transport_ = std::make_shared<ScriptedTransport>();
        RouterOptions ro;
        ro.breaker = {.failure_threshold = 3, .open_for = seconds(30)};
        ro.backoff = {.base = std::chrono::milliseconds(1), .max = std::chrono::milliseconds(2)};
        ro.seed = 7;
        router_ =
            std::make_shared<ModelRouter>(std::move(specs), ro, *transport_, clock_, &registry_);
        narrator_ = std::make_unique<ModelNarrator>(transport_, router_, SafetyOutputCheck(),
                                                    options, &registry_);
    }
    Narration Open(NarrationContext context = {}) {
        Rng rng(1);
        opening_ = world::Begin(*pack_, world::Initial(*pack_), rng);
        if (context.session_id.empty()) context.session_id = "s1";
        return narrator_->Narrate(*pack_, opening_, player_, rng, context);
    }
    Narration Do(const world::Outcome& before, world::Action action,
                 NarrationContext context = {}) {
        Rng rng(2);
        last_ = world::Resolve(*pack_, before.state, action, rng);
        context.action = &action;
        if (context.session_id.empty()) context.session_id = "s1";
        return narrator_->Narrate(*pack_, last_, player_, rng, context);
    }
    Narration Authored(const world::Outcome& outcome, std::uint64_t seed) {
        Rng rng(seed);
        return AuthoredNarrator().Narrate(*pack_, outcome, player_, rng);
    }
    static world::Action Act(world::Verb verb, std::string object = "", std::string dir = "") {
        world::Action a;
        a.verb = verb;
        a.object = std::move(object);
        a.direction = std::move(dir);
        return a;
    }
    std::string Metric(std::string_view needle) {
        const std::string text = registry_.Expose();
        const auto at = text.find(needle);
        if (at == std::string::npos) return "";
        return text.substr(at, text.find('\n', at) - at);
    }

    std::shared_ptr<const world::Pack> pack_;
    ManualClock clock_;
    metrics::Registry registry_;
    std::shared_ptr<ScriptedTransport> transport_;
    std::shared_ptr<ModelRouter> router_;
    std::unique_ptr<ModelNarrator> narrator_;
    PlayerInfo player_ = MakePlayer("Sam", "she/her");
    world::Outcome opening_;
    world::Outcome last_;
};

TEST_F(ModelNarratorTest, ValidatedProseIsShownWithWaysOnAndProvenance) {
    transport_->Script("local", {Says(std::string(kGoodOpening))});
    const Narration n = Open();
    ASSERT_EQ(n.paragraphs.size(), 2u);
    EXPECT_EQ(n.paragraphs[0], kGoodOpening);
    EXPECT_EQ(n.paragraphs[1], "Exits: north (the net hut) and east (the tide pools).");
    ASSERT_TRUE(n.provenance);
    const Provenance& p = *n.provenance;
    EXPECT_EQ(p.narrator, "model");
    EXPECT_TRUE(p.validated);
    EXPECT_FALSE(p.fell_back);
    EXPECT_EQ(p.provider, "local");
    EXPECT_EQ(p.model, "local-model");
    EXPECT_EQ(p.attempts, 1);
    EXPECT_EQ(p.prompt_tokens, 50);
    EXPECT_EQ(p.completion_tokens, 20);
    EXPECT_EQ(p.prompt_hash.size(), 16u);
    EXPECT_GE(p.first_token_ms, 0);
    EXPECT_EQ(Metric("tta_narrative_model_turns_total{narrator=\"model\""),
              "tta_narrative_model_turns_total{narrator=\"model\",reason=\"\"} 1");
}

TEST_F(ModelNarratorTest, WhatTheProseLeavesOutIsAddedFromTheWorld) {
    transport_->Script("local", {Says("Waves fold onto the pale sand, and gulls wheel overhead.")});
    const Narration n = Open();
    ASSERT_EQ(n.paragraphs.size(), 3u);
    EXPECT_EQ(n.paragraphs[1], "You can see a brass lantern here.");
    EXPECT_EQ(n.paragraphs[2], "Exits: north (the net hut) and east (the tide pools).");
}

TEST_F(ModelNarratorTest, WithNoProviderItIsTheAuthoredNarrator) {
    Make({});
    const Narration n = Open();
    EXPECT_EQ(n.Text(), Authored(opening_, 1).Text());
    ASSERT_TRUE(n.provenance);
    EXPECT_EQ(n.provenance->narrator, "authored");
    EXPECT_EQ(n.provenance->reason, "no_provider");
    EXPECT_EQ(n.provenance->attempts, 0);
}

TEST_F(ModelNarratorTest, MechanicalRepliesStayAuthoredWithoutAsking) {
    (void)Open();
    const int calls = transport_->Calls("local");
    const Narration n = Do(opening_, Act(world::Verb::kGo, "", "west"));
    EXPECT_EQ(transport_->Calls("local"), calls);
    EXPECT_EQ(n.provenance->reason, "authored_turn");
    EXPECT_FALSE(n.provenance->fell_back);
}

TEST_F(ModelNarratorTest, ReviewedSceneTextIsShownAsWritten) {
    (void)Open();
    Rng rng(5);
    const auto in_hut =
        world::Resolve(*pack_, opening_.state, Act(world::Verb::kGo, "", "north"), rng);
    const int calls = transport_->Calls("local");
    const Narration n = Do(in_hut, Act(world::Verb::kTalk, "ada"));
    EXPECT_EQ(transport_->Calls("local"), calls);
    EXPECT_NE(n.Text().find("Ada puts down the net."), std::string::npos) << n.Text();
    EXPECT_EQ(n.choices, (std::vector<std::string>{"Breathe with her", "Not now"}));
}

TEST_F(ModelNarratorTest, AnUnsafeDraftIsRegeneratedOnceWithANote) {
    transport_->Script("local", {Says("The sea is calm. A lethal dose of paracetamol is not much."),
                                 Says(std::string(kGoodOpening))});
    const Narration n = Open();
    EXPECT_EQ(n.paragraphs[0], kGoodOpening);
    EXPECT_EQ(n.provenance->attempts, 2);
    const auto requests = transport_->Requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_NE(requests[1].messages[1].content.find("previous draft could not be used"),
              std::string::npos);
    EXPECT_EQ(requests[1].messages[1].content.find("paracetamol"), std::string::npos);
    EXPECT_NE(Metric("tta_narrative_model_checks_failed_total{check=\"output_gate\"}"), "");
    EXPECT_NE(Metric("tta_model_rejections_total{provider=\"local\",check=\"output_gate\"} 1"), "");
}

TEST_F(ModelNarratorTest, TwoIncoherentDraftsFallBackToAuthoredText) {
    transport_->SetFallback("local", Says("Captain Rook waves from the old lighthouse."));
    const Narration n = Open();
    EXPECT_EQ(n.Text(), Authored(opening_, 1).Text());
    EXPECT_EQ(n.provenance->narrator, "authored");
    EXPECT_TRUE(n.provenance->fell_back);
    EXPECT_EQ(n.provenance->reason, "out_of_scope");
    EXPECT_EQ(n.provenance->attempts, 2);
    EXPECT_EQ(n.provenance->provider, "local");
}

TEST_F(ModelNarratorTest, InventedNamesAreRefused) {
    transport_->SetFallback("local", Says("The sand is cold. An old man called Rook nods."));
    EXPECT_EQ(Open().provenance->reason, "invented_name");
}

TEST_F(ModelNarratorTest, TextThatContradictsTheEffectsIsRefused) {
    transport_->SetFallback("local", Says("You pick up the brass lantern and hold it high."));
    EXPECT_EQ(Open().provenance->reason, "contradiction");
}

TEST_F(ModelNarratorTest, LengthBoundsAreKept) {
    ModelNarratorOptions options;
    options.min_chars = 30;
    options.max_chars = 200;
    Make({Spec("local")}, options);
    transport_->SetFallback("local", Says("Sand."));
    EXPECT_EQ(Open().provenance->reason, "length");
    transport_->SetFallback("local", Says(std::string(300, 'a') + "."));
    EXPECT_EQ(Open().provenance->reason, "length");
}

TEST_F(ModelNarratorTest, AFailingProviderFallsBackWithoutRegenerating) {
    transport_->SetFallback("local", Fails(Failure::kStatus, 503));
    const Narration n = Open();
    EXPECT_EQ(n.Text(), Authored(opening_, 1).Text());
    EXPECT_EQ(n.provenance->reason, "status");
    EXPECT_TRUE(n.provenance->fell_back);
    EXPECT_EQ(transport_->Calls("local"), 2);  // one retry by the router, no regeneration
}

TEST_F(ModelNarratorTest, ValidatedSentencesStreamAndAFailureMidStreamRestarts) {
    Scripted broken;
    broken.pieces = {"Waves fold onto the sand. ", "The wind "};
    broken.failure = Failure::kTruncated;
    transport_->Script("local", {broken});
    std::vector<NarrationChunk> chunks;
    NarrationContext context;
    context.sink = [&](const NarrationChunk& c) { chunks.push_back(c); };
    const Narration n = Open(context);
    ASSERT_EQ(chunks.size(), 2u);
    EXPECT_EQ(chunks[0].kind, NarrationChunk::Kind::kText);
    EXPECT_EQ(chunks[0].text, "Waves fold onto the sand. ");
    EXPECT_EQ(chunks[1].kind, NarrationChunk::Kind::kRestart);
    EXPECT_EQ(n.Text(), Authored(opening_, 1).Text());
    EXPECT_EQ(n.provenance->reason, "mid_stream");
}

TEST_F(ModelNarratorTest, StreamedChunksAddUpToTheProse) {
    Scripted s;
    s.pieces = {"Waves fold onto the pale ", "sand, Sam. Near the shore a brass lan",
                "tern lies half buried, and the wind smells of salt."};
    transport_->Script("local", {s});
    std::string streamed;
    NarrationContext context;
    context.sink = [&](const NarrationChunk& c) {
        ASSERT_EQ(c.kind, NarrationChunk::Kind::kText);
        streamed += c.text;
    };
    const Narration n = Open(context);
    EXPECT_EQ(streamed, kGoodOpening);
    EXPECT_EQ(n.paragraphs[0], kGoodOpening);
}

TEST_F(ModelNarratorTest, AnUnsafeSentenceStopsTheStreamBeforeItIsShown) {
    Scripted s;
    s.pieces = {"The sea is calm. ", "Take all of the sleeping pills at once. ", "More text."};
    transport_->Script("local", {s, Says(std::string(kGoodOpening))});
    std::vector<NarrationChunk> chunks;
    NarrationContext context;
    context.sink = [&](const NarrationChunk& c) { chunks.push_back(c); };
    const Narration n = Open(context);
    for (const auto& c : chunks) EXPECT_EQ(c.text.find("pills"), std::string::npos);
    EXPECT_EQ(n.paragraphs[0], kGoodOpening);
    EXPECT_EQ(chunks.front().text, "The sea is calm. ");
    EXPECT_EQ(chunks[1].kind, NarrationChunk::Kind::kRestart);  // the regeneration starts over
}

TEST_F(ModelNarratorTest, ACancelledTurnIsAuthored) {
    resilience::CancelSource source;
    source.Cancel();
    NarrationContext context;
    context.cancel = source.Token();
    const Narration n = Open(context);
    EXPECT_EQ(n.provenance->reason, "cancelled");
    EXPECT_EQ(transport_->Calls("local"), 0);
}

TEST_F(ModelNarratorTest, EarlierTurnsAreShownAndAnUndoResetsThem) {
    transport_->Script("local", {Says(std::string(kGoodOpening))});
    const Narration first = Open();
    NarrationContext context;
    context.previous_text = first.Text();
    (void)Do(opening_, Act(world::Verb::kTake, "lantern"), context);
    auto requests = transport_->Requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_NE(requests[1].messages[1].content.find("STORY SO FAR"), std::string::npos);
    EXPECT_NE(requests[1].messages[1].content.find("half buried"), std::string::npos);

    NarrationContext undone;
    undone.previous_text = "You step back to the quiet beach.";
    (void)Do(opening_, Act(world::Verb::kLook), undone);
    requests = transport_->Requests();
    const std::string& prompt = requests.back().messages[1].content;
    EXPECT_NE(prompt.find("You step back to the quiet beach."), std::string::npos);
    EXPECT_EQ(prompt.find("half buried"), std::string::npos);
}

TEST_F(ModelNarratorTest, TheChosenBeatReachesThePrompt) {
    NarrationContext context;
    context.beat = Beat{"box_breathing", "breathe", "the player seems tense"};
    (void)Open(context);
    EXPECT_NE(transport_->Requests().at(0).messages[1].content.find(
                  "BEAT: the story offers a box_breathing moment (the player seems tense)"),
              std::string::npos);
}

TEST_F(ModelNarratorTest, ProvenanceBecomesJson) {
    transport_->Script("local", {Says(std::string(kGoodOpening))});
    const auto json = ProvenanceToJson(*Open().provenance);
    EXPECT_EQ(json.at("narrator").as_string(), "model");
    EXPECT_EQ(json.at("provider").as_string(), "local");
    EXPECT_TRUE(json.at("validated").as_bool());
    EXPECT_EQ(json.at("prompt_tokens").as_int64(), 50);
    EXPECT_TRUE(json.contains("prompt_hash"));
    EXPECT_TRUE(json.contains("latency_ms"));
}

world::Event Event(world::EventKind kind) {
    world::Event e;
    e.kind = kind;
    return e;
}

TEST(TaskForTurn, DialogueTalkAndPlainNarration) {
    world::Outcome o;
    o.events.push_back(Event(world::EventKind::kArrived));
    EXPECT_EQ(TaskForTurn(o), Task::kNarration);
    o.events.push_back(Event(world::EventKind::kGreeting));
    EXPECT_EQ(TaskForTurn(o), Task::kDialogue);
    o.events.push_back(Event(world::EventKind::kSceneNode));
    EXPECT_EQ(TaskForTurn(o), std::nullopt);
    world::Outcome plain;
    plain.events.push_back(Event(world::EventKind::kNoExit));
    EXPECT_EQ(TaskForTurn(plain), std::nullopt);
}

}  // namespace
}  // namespace tta::narrative::model
