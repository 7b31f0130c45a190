#include "tta/engine/engine.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "tta/core/rng.hpp"
#include "tta/input/normalize.hpp"
#include "tta/input/parser.hpp"
#include "tta/therapy/json.hpp"
#include "tta/world/effect.hpp"
#include "tta/world/simulator.hpp"

namespace tta::engine {
namespace json = boost::json;

namespace {

// Body format version of turn records; bump when the JSON changes shape.
constexpr int kBodyVersion = 1;

std::string NewSessionId() {
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx",
                  static_cast<unsigned long long>(RandomSeed()),
                  static_cast<unsigned long long>(RandomSeed()));
    return buf;
}

json::object ActionToJson(const world::Action& a) {
    json::object o;
    o["verb"] = world::VerbName(a.verb);
    if (!a.object.empty()) o["object"] = a.object;
    if (!a.target.empty()) o["target"] = a.target;
    if (!a.direction.empty()) o["direction"] = a.direction;
    if (!a.topic.empty()) o["topic"] = a.topic;
    if (a.choice != 0) o["choice"] = a.choice;
    if (!a.emotion.empty()) o["emotion"] = a.emotion;
    return o;
}

json::array Strings(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

std::vector<std::string> StringsFrom(const json::value* v) {
    std::vector<std::string> out;
    if (v == nullptr || !v->is_array()) return out;
    for (const auto& s : v->as_array()) {
        if (s.is_string()) out.emplace_back(s.as_string());
    }
    return out;
}

std::int64_t MicrosSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now() - start)
        .count();
}

input::Scope ScopeOf(const world::Pack& pack, const world::State& state) {
    input::Scope scope;
    for (int i : world::PeopleAt(state, state.player)) scope.people_here.push_back(pack.people[i].id);
    for (int i : world::ItemsAt(state, state.player)) scope.items_here.push_back(pack.items[i].id);
    for (int i : world::Inventory(state)) scope.inventory.push_back(pack.items[i].id);
    if (state.scene >= 0 && state.node >= 0) {
        const auto& node = pack.scenes[state.scene].nodes[state.node];
        for (int i : world::AvailableChoices(pack, state)) {
            const auto& label = node.choices[i].text;
            scope.choices.push_back(label.empty() ? "" : label.variants.front());
        }
    }
    return scope;
}

// The reply when the parser could not make sense of the input: what it did understand, and
// what is within reach, so the player always has something to try.
std::string NotUnderstoodText(const world::Pack& pack, const world::State& state,
                              const input::Interpretation& in) {
    std::string words;
    for (const auto& w : in.unknown_words) words += (words.empty() ? "" : " ") + w;
    std::string text;
    if (!in.understood.empty() && !words.empty()) {
        text = "I understood \"" + in.understood + "\", but not \"" + words + "\".";
    } else if (!in.understood.empty()) {
        text = "I understood \"" + in.understood + "\", but not what to " + in.understood + ".";
    } else {
        text = "I didn't understand that.";
    }
    std::vector<std::string> things;
    for (int i : world::ItemsAt(state, state.player)) things.push_back(pack.items[i].name);
    for (int i : world::Inventory(state)) things.push_back(pack.items[i].name);
    std::vector<std::string> people;
    for (int i : world::PeopleAt(state, state.player)) people.push_back(pack.people[i].name);
    std::vector<std::string> exits;
    for (const auto& exit : world::PlayerPlace(pack, state).exits) {
        if (world::ExitVisible(state, exit)) exits.push_back(exit.direction);
    }
    if (!things.empty()) text += " Things you could try: examine " + things.front() + ".";
    if (!people.empty()) text += " You could talk to " + narrative::JoinList(people) + ".";
    if (!exits.empty()) text += " Ways on: " + narrative::JoinList(exits) + ".";
    if (state.scene >= 0) text += " Or pick one of the numbered choices.";
    text += " Type help for more.";
    return text;
}

// Techniques suited to an in-story grounding offer when the safety gate notes concern.
bool IsGroundingTechnique(std::string_view technique) {
    return technique == "box_breathing" || technique == "grounding_54321" ||
           technique == "paced_breathing" || technique == "progressive_muscle_relaxation" ||
           technique == "self_compassion_break" || technique == "dbt_stop";
}

// Runs `more` after `into`: effects and events in order, the later state wins.
void Append(world::Outcome& into, world::Outcome more) {
    into.effects.insert(into.effects.end(), more.effects.begin(), more.effects.end());
    into.events.insert(into.events.end(), more.events.begin(), more.events.end());
    into.state = std::move(more.state);
    into.ended = into.ended || more.ended;
}

// After a crisis reply the player chooses when to go back: "continue", "back to the story".
bool IsContinue(std::string_view text) {
    const auto words = input::Normalize(text).words;
    std::string joined;
    for (const auto& w : words) joined += (joined.empty() ? "" : " ") + w;
    return joined == "continue" || joined == "go back" || joined == "back to the story" ||
           joined == "return to the story" || joined == "resume" || joined == "back";
}

json::object AssessmentJson(const safety::Assessment& a) {
    json::array categories;
    for (auto c : a.categories) categories.emplace_back(safety::CategoryName(c));
    json::array rules;
    for (const auto& e : a.evidence) rules.emplace_back(e.rule);
    return json::object{{"level", safety::LevelName(a.level)},
                        {"categories", std::move(categories)},
                        {"rules", std::move(rules)},
                        {"rules_version", a.rules_version}};
}

std::string ProgressText(const world::Pack& pack, const world::State& state) {
    int visited = 0;
    for (auto v : state.visited) visited += v != 0;
    std::string text = "You have taken " + std::to_string(world::Turns(pack, state)) +
                       " turns and found " + std::to_string(visited) + " of " +
                       std::to_string(pack.places.size()) + " places.";
    return text;
}

// The emotion cues of a turn as the therapy layer reads them.
std::vector<TurnFacts::Cue> CuesOf(const input::Interpretation& in) {
    std::vector<TurnFacts::Cue> cues;
    for (const auto& cue : in.emotions) {
        if (!cue.negated) cues.push_back({cue.label, cue.word});
    }
    return cues;
}

}  // namespace

struct Engine::Slot {
    std::mutex mu;
    bool loaded = false;
    store::Session session;
    std::shared_ptr<const LoadedWorld> world;
    world::State state;
    std::string text;  // the narrative of the head turn
    std::vector<std::string> choices;
    PlayerContext player;
    bool in_crisis = false;  // the last reply stepped out of the story
    SessionTherapy therapy;
    std::optional<SafetyPlanDraft> plan_draft;  // `safety plan edit` is under way
};

struct Engine::Metrics {
    explicit Metrics(metrics::Registry& r)
        : stage_family(r.AddHistogram("tta_engine_stage_seconds",
                                      "Time spent in each stage of a turn.", {"stage"})),
          turn_family(r.AddCounter("tta_engine_turns_total",
                                   "Player inputs answered, by the kind of reply.", {"kind"})),
          input_family(r.AddCounter("tta_safety_input_total",
                                    "Inputs classified by the safety gate, by level.", {"level"})),
          blocked_family(r.AddCounter(
              "tta_safety_output_blocked_total",
              "Narratives replaced because the output gate flagged them.", {"narrator"})),
          safety(stage_family.With({"safety"})),
          input(stage_family.With({"input"})),
          world(stage_family.With({"world"})),
          narrative(stage_family.With({"narrative"})),
          commit(stage_family.With({"commit"})),
          therapy_unrecorded(r.AddCounter("tta_engine_therapy_unrecorded_total",
                                          "Skill practices and planner decisions that could not "
                                          "be stored (their turn was).",
                                          {})
                                 .With({})) {}

    metrics::HistogramFamily& stage_family;
    metrics::CounterFamily& turn_family;
    metrics::CounterFamily& input_family;
    metrics::CounterFamily& blocked_family;
    metrics::Histogram& safety;
    metrics::Histogram& input;
    metrics::Histogram& world;
    metrics::Histogram& narrative;
    metrics::Histogram& commit;
    metrics::Counter& therapy_unrecorded;
};

Engine::Engine(const WorldCatalog& worlds, store::SessionStore& store, const Clock& clock,
               EngineOptions options)
    : worlds_(worlds),
      store_(store),
      clock_(clock),
      options_(options),
      narrator_(std::make_unique<narrative::AuthoredNarrator>()),
      therapy_(BuiltinCatalogue(), clock),
      input_gate_(safety::InputGate::Embedded()),
      output_gate_(safety::OutputGate::Embedded()),
      composer_(safety::ResponseComposer::Embedded()),
      metrics_(std::make_unique<Metrics>(options.metrics ? *options.metrics
                                                         : metrics::DefaultRegistry())) {}

Engine::~Engine() = default;

void Engine::SetNarrator(std::unique_ptr<narrative::NarrativeStage> narrator) {
    narrator_ = std::move(narrator);
}

void Engine::SetTherapyStore(store::TherapyStore* store) {
    therapy_service_ = store != nullptr ? std::make_unique<TherapyService>(
                                              *store, therapy_.catalogue(), clock_)
                                        : nullptr;
    therapy_.SetService(therapy_service_.get());
}

RecordContext Engine::ContextFor(const Slot& slot) const {
    RecordContext where;
    where.user_id = slot.session.owner_user_id;
    where.session_id = slot.session.id;
    if (slot.world) where.turn = static_cast<int>(world::Turns(*slot.world->pack, slot.state));
    return where;
}

PlayerContext Engine::PlayerFor(const store::Session& session) const {
    return player_resolver_ ? player_resolver_(session) : PlayerContext{};
}

std::shared_ptr<Engine::Slot> Engine::SlotFor(std::string_view session_id) {
    std::lock_guard lock(slots_mutex_);
    auto it = slots_.find(std::string(session_id));
    if (it != slots_.end()) return it->second;
    if (slots_.size() >= options_.max_cached_sessions) {
        // Evict idle slots; a busy one is held by its caller's shared_ptr and stays valid.
        for (auto i = slots_.begin(); i != slots_.end();) {
            i = i->second.use_count() == 1 ? slots_.erase(i) : std::next(i);
        }
    }
    auto slot = std::make_shared<Slot>();
    slots_.emplace(std::string(session_id), slot);
    return slot;
}

Status Engine::Load(Slot& slot, std::string_view session_id) {
    slot.loaded = false;
    auto session = store_.GetSession(session_id);
    if (!session) return session.error();
    auto loaded = worlds_.Find(session->world_id);
    if (!loaded) {
        return Error::Unavailable("this session's world '" + session->world_id +
                                  "' is not installed");
    }
    const world::Pack& pack = *loaded->pack;

    world::State state = world::Initial(pack);
    std::int64_t after = 0;
    if (session->head_seq > 0) {
        auto snapshot = store_.LatestSnapshot(session_id, session->head_seq);
        if (!snapshot) return snapshot.error();
        if (*snapshot) {
            json::error_code ec;
            auto parsed = json::parse((*snapshot)->state, ec);
            auto restored = ec ? Result<world::State>(Error::Internal("snapshot is not JSON"))
                               : world::StateFromJson(pack, parsed);
            if (restored) {
                state = std::move(*restored);
                after = (*snapshot)->seq;
            }  // an unreadable snapshot (older pack version) means folding from the start
        }
    }
    auto chain = store_.LoadChain(session_id, session->head_seq, after);
    if (!chain) return chain.error();
    std::string text;
    std::vector<std::string> choices;
    for (const auto& turn : *chain) {
        json::error_code ec;
        auto body = json::parse(turn.body, ec);
        if (ec || !body.is_object()) {
            return Error::Unavailable("turn " + std::to_string(turn.seq) + " of session " +
                                      std::string(session_id) + " is damaged");
        }
        const auto& o = body.as_object();
        if (const auto* effects = o.if_contains("effects")) {
            auto parsed = world::EffectsFromJson(*effects);
            if (!parsed) return parsed.error();
            for (const auto& effect : *parsed) {
                // Effects naming what a newer pack no longer has are skipped (see Apply).
                (void)world::Apply(pack, state, effect);
            }
        }
        const auto* kind = o.if_contains("kind");
        if (kind != nullptr && kind->is_string() && kind->as_string() == "crisis") continue;
        if (const auto* t = o.if_contains("text"); t && t->is_string()) {
            text = std::string(t->as_string());
        }
        choices = StringsFrom(o.if_contains("choices"));
    }
    if (session->head_seq > 0 && chain->empty()) {
        // The head is the snapshot's own turn: its text comes from the turn itself.
        auto head = store_.GetTurn(session_id, session->head_seq);
        if (!head) return head.error();
        json::error_code ec;
        auto body = json::parse(head->body, ec);
        if (!ec && body.is_object()) {
            if (const auto* t = body.as_object().if_contains("text"); t && t->is_string()) {
                text = std::string(t->as_string());
            }
            choices = StringsFrom(body.as_object().if_contains("choices"));
        }
    }
    slot.player = PlayerFor(*session);
    therapy_.LoadProfile(slot.therapy, slot.player.profile);
    slot.session = std::move(*session);
    slot.world = std::move(loaded);
    slot.state = std::move(state);
    slot.text = std::move(text);
    slot.choices = std::move(choices);
    slot.loaded = true;
    return Ok();
}

Result<TurnReply> Engine::Commit(Slot& slot, std::string_view input, std::string kind,
                                 std::uint64_t seed, const world::Outcome& outcome,
                                 narrative::Narration narration, std::string safety_level,
                                 json::object body) {
    const world::Pack& pack = *slot.world->pack;
    const std::int64_t seq = slot.session.last_seq + 1;
    const bool story = kind != "crisis";

    body["v"] = kBodyVersion;
    body["kind"] = kind;
    body["turn"] = world::Turns(pack, outcome.state);  // numbers cues and beats for the planner
    body["effects"] = world::EffectsToJson(outcome.effects);
    json::array events;
    for (const auto& e : outcome.events) events.push_back(world::EventToJson(e));
    body["events"] = std::move(events);
    std::string text = narration.Text();
    body["text"] = text;
    body["choices"] = Strings(narration.choices);
    if (story) body["narrator"] = std::string(narrator_->Name());
    if (narration.provenance) {
        body["provenance"] = narrative::ProvenanceToJson(*narration.provenance);
    }

    store::NewTurn turn;
    turn.session_id = slot.session.id;
    turn.created_ms = clock_.NowMillis();
    turn.seed = seed;
    turn.safety_level = safety_level;
    turn.body = json::serialize(body);
    turn.personal = store::ToBytes(input);
    if (options_.snapshot_every > 0 && seq % options_.snapshot_every == 0) {
        turn.snapshot = json::serialize(world::StateToJson(pack, outcome.state));
    }
    Result<std::int64_t> appended = Error::Internal("not appended");
    {
        metrics::ScopedTimer timer(metrics_->commit);
        appended = store_.AppendTurn(turn, slot.session.head_seq);
    }
    if (!appended) {
        slot.loaded = false;  // someone else moved the session on: reload next time
        return appended.error();
    }
    slot.session.head_seq = *appended;
    slot.session.last_seq = *appended;
    slot.state = outcome.state;
    if (story) {
        slot.text = text;
        slot.choices = narration.choices;
    }

    TurnReply reply;
    reply.session_id = slot.session.id;
    reply.seq = *appended;
    reply.kind = std::move(kind);
    reply.text = std::move(text);
    reply.choices = std::move(narration.choices);
    reply.safety_level = std::move(safety_level);
    reply.ended = outcome.state.ending >= 0;
    if (reply.ended) reply.ending = pack.endings[outcome.state.ending].id;
    reply.recorded = true;
    if (reply.ended && slot.session.status != store::SessionStatus::kEnded) {
        if (store_.SetSessionStatus(slot.session.id, store::SessionStatus::kEnded)) {
            slot.session.status = store::SessionStatus::kEnded;
        }
    }
    const TurnFacts facts = FactsFromBody(*appended, turn.created_ms, body);
    if (!therapy_.Committed(slot.therapy, ContextFor(slot), pack, facts)) {
        metrics_->therapy_unrecorded.Inc();
    }
    if (facts.ended) CloseSitting(slot, reply);  // reaching an ending closes the sitting
    metrics_->turn_family.With({reply.kind}).Inc();
    return reply;
}

void Engine::CloseSitting(Slot& slot, TurnReply& reply) {
    const std::string place =
        slot.world ? world::PlayerPlace(*slot.world->pack, slot.state).id : std::string();
    if (auto summary = therapy_.EndSitting(slot.therapy, ContextFor(slot), place)) {
        reply.session_summary = std::move(summary->summary);
        reply.summary_text = std::move(summary->text);
    }
}

Result<TurnReply> Engine::TherapyReply(Slot& slot, std::string_view input, TherapyAnswer answer,
                                       const safety::Assessment& assessment) {
    if (answer.profile_json) {
        Status saved = profile_saver_
                           ? profile_saver_(slot.session, *answer.profile_json)
                           : Status(Error::Unavailable("there is nowhere to save the profile"));
        if (saved) {
            slot.player.profile = *answer.profile_json;
        } else {
            answer.text += " (It applies to this session only: " + saved.error().message + ".)";
        }
    }
    if (answer.crisis) return Crisis(slot, input, *answer.crisis, answer.text);
    if (assessment.level == safety::Level::kConcern) {
        // Words of concern inside an out-of-story answer get the quiet pointer to support.
        safety::ComposeOptions options;
        options.locale = slot.player.locale.empty() ? options_.default_locale : slot.player.locale;
        const auto response = composer_.Compose(assessment, options);
        if (response.grounding) answer.text += "\n\n" + response.grounding->support_line;
        ReportSafety(slot, assessment, slot.session.head_seq, false, false);
    }
    TurnReply reply;
    reply.session_id = slot.session.id;
    reply.seq = slot.session.head_seq;
    reply.kind = std::move(answer.kind);
    reply.text = std::move(answer.text);
    reply.choices = slot.choices;
    reply.safety_level = std::string(safety::LevelName(assessment.level));
    reply.ended = slot.state.ending >= 0;
    if (reply.ended) reply.ending = slot.world->pack->endings[slot.state.ending].id;
    metrics_->turn_family.With({reply.kind}).Inc();
    return reply;
}

void Engine::ReportSafety(const Slot& slot, const safety::Assessment& assessment,
                          std::int64_t seq, bool stepped_out, bool plan_shown) {
    if (safety_sink_ == nullptr) return;
    safety::SafetyEvent event = safety::MakeSafetyEvent(
        assessment, slot.session.id, slot.session.owner_user_id,
        static_cast<std::uint64_t>(seq), clock_.Now());
    event.locale = slot.player.locale.empty() ? options_.default_locale : slot.player.locale;
    event.stepped_out = stepped_out;
    event.plan_shown = plan_shown;
    (void)safety_sink_->Record(event);  // a sink queues; its failures are its own to count
}

// Steps out of the story. Nothing here waits on a model or the network, and the reply is
// given even when the store cannot record it (principle 1 outranks principle 4 here: the
// player in danger is answered first).
Result<TurnReply> Engine::Crisis(Slot& slot, std::string_view input,
                                 const safety::Assessment& assessment, std::string_view preface) {
    safety::ComposeOptions options;
    options.locale = slot.player.locale.empty() ? options_.default_locale : slot.player.locale;
    std::optional<safety::SafetyPlan> plan;
    if (plan_lookup_ && slot.loaded) plan = plan_lookup_(slot.session);
    options.plan = plan ? &*plan : nullptr;
    safety::CrisisResponse response = composer_.Compose(assessment, options);
    if (!preface.empty()) response.message = std::string(preface) + "\n\n" + response.message;
    slot.therapy.dialog.reset();
    slot.therapy.sitting.MarkCrisis();  // no technique is offered for the rest of the sitting

    TurnReply reply;
    reply.session_id = slot.session.id;
    reply.seq = slot.session.head_seq;
    reply.kind = "crisis";
    reply.text = response.message;
    reply.safety_level = std::string(safety::LevelName(assessment.level));
    if (slot.loaded) {
        world::Outcome unchanged;
        unchanged.state = slot.state;
        narrative::Narration narration;
        narration.paragraphs.push_back(response.message);
        json::object body;
        body["safety"] = AssessmentJson(assessment);
        json::error_code ec;
        body["crisis"] = json::parse(safety::CrisisResponseToJson(response), ec);
        auto committed = Commit(slot, input, "crisis", 0, unchanged, std::move(narration),
                                reply.safety_level, std::move(body));
        if (committed) {
            reply = std::move(*committed);
        } else {
            metrics_->turn_family.With({"crisis_unrecorded"}).Inc();
        }
    }
    slot.in_crisis = true;
    reply.crisis = std::move(response);
    ReportSafety(slot, assessment, reply.seq, true, reply.crisis->plan_shown);
    return reply;
}

Result<TurnReply> Engine::Start(const NewSession& spec) {
    auto loaded = worlds_.Find(spec.world_id);
    if (!loaded) return Error::NotFound("no world '" + spec.world_id + "'");
    const world::Pack& pack = *loaded->pack;

    store::Session session;
    session.id = spec.id.empty() ? NewSessionId() : spec.id;
    session.owner_user_id = spec.owner_user_id;
    session.character_id = spec.character_id;
    session.world_id = pack.meta.id;
    session.world_version = std::to_string(pack.meta.version);
    session.seed = spec.seed.value_or(RandomSeed());
    session.created_ms = clock_.NowMillis();
    session.updated_ms = session.created_ms;
    session.title = spec.title.empty() ? pack.meta.title : spec.title;
    if (auto created = store_.CreateSession(session); !created) return created.error();

    auto slot = SlotFor(session.id);
    std::lock_guard lock(slot->mu);
    slot->session = session;
    slot->world = loaded;
    slot->state = world::Initial(pack);
    slot->player = PlayerFor(session);
    therapy_.LoadProfile(slot->therapy, slot->player.profile);
    slot->loaded = true;
    // The opening turn says where the player arrives, so the sitting starts with no place.
    const std::string offer = therapy_.BeginSitting(slot->therapy, ContextFor(*slot), "");

    const std::uint64_t seed = Rng::Mix(session.seed, 1);
    Rng rng(seed);
    const auto started = std::chrono::steady_clock::now();
    world::Outcome outcome = world::Begin(pack, slot->state, rng);
    const auto world_us = MicrosSince(started);
    auto narration = narrator_->Narrate(pack, outcome, slot->player.player, rng,
                                        {.session_id = session.id});
    json::object extra;
    extra["timings_us"] = json::object{{"world", world_us}, {"total", MicrosSince(started)}};
    auto reply = Commit(*slot, "", "begin", seed, outcome, std::move(narration), "none",
                        std::move(extra));
    if (reply && !offer.empty()) reply->text += "\n\n" + offer;
    return reply;
}

Result<TurnReply> Engine::Play(std::string_view session_id, std::string_view text,
                               const PlayOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    auto slot = SlotFor(session_id);
    std::lock_guard lock(slot->mu);

    // The safety gate runs first and needs nothing: not the store, not the world.
    safety::Assessment assessment;
    {
        metrics::ScopedTimer timer(metrics_->safety);
        assessment = input_gate_.Classify(text);
    }
    metrics_->input_family.With({safety::LevelName(assessment.level)}).Inc();
    const auto safety_us = MicrosSince(started);
    Status loaded = Ok();
    if (!slot->loaded) loaded = Load(*slot, session_id);
    if (!loaded) slot->session.id = std::string(session_id);  // for the reply; reloaded later
    if (safety::IsCrisis(assessment.level)) return Crisis(*slot, text, assessment);
    if (!loaded) return loaded.error();

    const world::Pack& pack = *slot->world->pack;
    const world::State& state = slot->state;
    auto answer = [&](std::string kind, std::string reply_text) {
        TurnReply reply;
        reply.session_id = slot->session.id;
        reply.seq = slot->session.head_seq;
        reply.kind = std::move(kind);
        reply.text = std::move(reply_text);
        reply.choices = slot->choices;
        reply.ended = state.ending >= 0;
        if (reply.ended) reply.ending = pack.endings[state.ending].id;
        metrics_->turn_family.With({reply.kind}).Inc();
        return reply;
    };
    const bool returning = std::exchange(slot->in_crisis, false);
    if (returning && IsContinue(text)) return answer("resume", slot->text);

    // The therapeutic sitting: rebuilt from the turn records when this engine has not seen the
    // session yet (a restart), renewed after a long pause (the old one's summary is stored).
    const std::string place = world::PlayerPlace(pack, state).id;
    if (!slot->therapy.sitting.Active()) {
        auto recent = RecentTurns(store_, session_id, slot->session.head_seq,
                                  TherapyLayer::kMaxRebuildTurns);
        therapy_.RebuildSitting(slot->therapy, ContextFor(*slot), pack,
                                recent ? *recent : std::vector<TurnFacts>{}, place);
    } else if (slot->therapy.sitting.PausedAt(clock_.NowMillis())) {
        (void)therapy_.EndSitting(slot->therapy, ContextFor(*slot), place);
    }
    // An out-of-character conversation (safety plan, check-in, questionnaire) takes the input
    // first; the safety gate has already seen it.
    if (slot->plan_draft) return answer("safety_plan", ContinueSafetyPlan(*slot, text));
    if (slot->therapy.dialog) {
        if (auto reply = therapy_.ContinueDialog(slot->therapy, ContextFor(*slot), text)) {
            return TherapyReply(*slot, text, std::move(*reply), assessment);
        }
    }

    const auto input_start = std::chrono::steady_clock::now();
    input::Interpretation in;
    {
        metrics::ScopedTimer timer(metrics_->input);
        in = input::Interpret(text, slot->world->lexicon, ScopeOf(pack, state));
    }
    const auto input_us = MicrosSince(input_start);

    switch (in.kind) {
        case input::Interpretation::Kind::kEmpty:
            return answer("empty", "Take your time. Type what you would like to do, or help "
                                   "for ideas.");
        case input::Interpretation::Kind::kNotUnderstood:
            if (assessment.level == safety::Level::kNone) {
                return answer("not_understood", NotUnderstoodText(pack, state, in));
            }
            // Words of concern are answered in the story even when they are not a command.
            in.kind = input::Interpretation::Kind::kAction;
            in.action = world::Action{};
            in.action.verb = world::Verb::kReflect;
            break;
        case input::Interpretation::Kind::kMeta:
            switch (in.meta) {
                case input::Meta::kUndo:
                    return UndoLocked(*slot, session_id);
                case input::Meta::kHelp: {
                    std::string help(input::HelpText());
                    if (state.scene >= 0) {
                        help += "\n\nRight now you can pick a choice by its number.";
                    }
                    return answer("help", help);
                }
                case input::Meta::kQuit: {
                    TurnReply reply =
                        answer("quit", "Your story is saved. Come back whenever you like.");
                    CloseSitting(*slot, reply);
                    return reply;
                }
                case input::Meta::kProgress:
                    return TherapyReply(*slot, text,
                                        therapy_.Progress(slot->therapy, ContextFor(*slot),
                                                          ProgressText(pack, state)),
                                        assessment);
                case input::Meta::kJournal:
                    return TherapyReply(
                        *slot, text,
                        therapy_.Journal(slot->therapy, ContextFor(*slot), in.argument),
                        assessment);
                case input::Meta::kCheckIn:
                    return TherapyReply(
                        *slot, text,
                        therapy_.CheckIn(slot->therapy, ContextFor(*slot), in.argument),
                        assessment);
                case input::Meta::kSafetyPlan:
                    return answer("safety_plan", SafetyPlanCommand(*slot, in.argument));
                case input::Meta::kQuestionnaire:
                    return TherapyReply(*slot, text,
                                        therapy_.Questionnaire(slot->therapy, in.argument),
                                        assessment);
                case input::Meta::kNone:
                    break;
            }
            break;
        case input::Interpretation::Kind::kAction:
            break;
    }
    if (state.ending >= 0) {
        return answer("ended", "This story has reached its end. Type undo to step back, or "
                               "begin a new story.");
    }

    const std::uint64_t seed = Rng::Mix(slot->session.seed, slot->session.last_seq + 1);
    Rng rng(seed);
    const auto world_start = std::chrono::steady_clock::now();
    world::Outcome outcome;
    {
        metrics::ScopedTimer timer(metrics_->world);
        outcome = world::Resolve(pack, state, in.action, rng);
    }
    const TurnFacts now = FactsOfTurn(
        outcome.effects, static_cast<int>(world::Turns(pack, outcome.state)), CuesOf(in));
    std::optional<PlannedBeat> planned;
    // Concern: a person or place in the story offers a grounding moment, if one is free and
    // suits the player now.
    std::string concern_note;
    if (assessment.level == safety::Level::kConcern && outcome.state.scene < 0 &&
        outcome.state.ending < 0) {
        planned =
            therapy_.GroundingBeat(slot->therapy, pack, outcome.state, now, IsGroundingTechnique);
        if (planned->decision.offers()) {
            Append(outcome,
                   world::StartScene(pack, outcome.state, *planned->decision.beat_id, rng));
        } else {
            safety::ComposeOptions options;
            options.locale =
                slot->player.locale.empty() ? options_.default_locale : slot->player.locale;
            options.companion = "A quiet voice inside you";
            auto response = composer_.Compose(assessment, options);
            if (response.grounding) {
                concern_note = response.grounding->narrator_cue + "\n\n" +
                               response.grounding->support_line;
            }
        }
    }
    // Someone in the story asked how the player is (check_in()): the next input may answer
    // with a number, so no scene (whose choices are numbers too) is opened this turn.
    const bool asks_check_in =
        outcome.state.scene < 0 && outcome.state.ending < 0 &&
        std::any_of(outcome.events.begin(), outcome.events.end(), [](const world::Event& e) {
            return e.kind == world::EventKind::kCheckIn;
        });
    // The beat planner: with no scene open after the world stage (a world's own beats, started
    // by its rules, have had their turn) it may open a technique scene suited to this player.
    if (assessment.level == safety::Level::kNone && outcome.state.scene < 0 &&
        outcome.state.ending < 0 && !asks_check_in) {
        planned = therapy_.Plan(slot->therapy, pack, outcome.state, now);
        if (planned->decision.offers()) {
            Append(outcome,
                   world::StartScene(pack, outcome.state, *planned->decision.beat_id, rng));
        }
    }
    std::optional<narrative::Beat> beat;
    if (planned && planned->decision.offers()) {
        beat = narrative::Beat{planned->decision.technique_id, *planned->decision.beat_id,
                               planned->decision.reason};
    }
    const auto world_us = MicrosSince(world_start);
    const auto narrative_start = std::chrono::steady_clock::now();
    narrative::Narration narration;
    {
        metrics::ScopedTimer timer(metrics_->narrative);
        narration = narrator_->Narrate(
            pack, outcome, slot->player.player, rng,
            {.session_id = slot->session.id,
             .action = &in.action,
             .previous_text = slot->text,
             .beat = std::move(beat),
             .cancel = options.cancel,
             .sink = options.draft});
    }
    if (!in.corrections.empty()) {
        std::string note = "(Reading ";
        for (std::size_t i = 0; i < in.corrections.size(); ++i) {
            note += (i ? ", " : "") + in.corrections[i];
        }
        narration.paragraphs.insert(narration.paragraphs.begin(), note + ".)");
    }
    if (!concern_note.empty()) narration.paragraphs.push_back(concern_note);
    if (asks_check_in && assessment.level == safety::Level::kNone) {
        const std::string hint = therapy_.AwaitInStoryCheckIn(slot->therapy);
        if (!hint.empty()) narration.paragraphs.push_back(hint);
    }

    json::object body;
    // Nothing reaches the player unchecked, authored text included.
    const safety::OutputVerdict verdict = output_gate_.Check(narration.Text());
    if (!verdict.safe) {
        metrics_->blocked_family.With({narrator_->Name()}).Inc();
        narration.paragraphs = {output_gate_.FallbackLine()};
        body["output_gate"] = Strings(verdict.Reasons());
    }
    const auto narrative_us = MicrosSince(narrative_start);

    body["action"] = ActionToJson(in.action);
    json::array emotions;
    for (const auto& cue : in.emotions) {
        emotions.push_back(
            json::object{{"label", cue.label}, {"word", cue.word}, {"negated", cue.negated}});
    }
    body["emotions"] = std::move(emotions);
    if (planned) {
        json::value decision = json::value_from(planned->decision);
        decision.as_object()["candidates"] = planned->candidates;
        body["planner"] = std::move(decision);
    }
    if (assessment.level != safety::Level::kNone) body["safety"] = AssessmentJson(assessment);
    body["timings_us"] = json::object{{"safety", safety_us},
                                      {"input", input_us},
                                      {"world", world_us},
                                      {"narrative", narrative_us},
                                      {"total", MicrosSince(started)}};
    auto reply = Commit(*slot, in.text, "story", seed, outcome, std::move(narration),
                        std::string(safety::LevelName(assessment.level)), std::move(body));
    if (reply && assessment.level == safety::Level::kConcern) {
        ReportSafety(*slot, assessment, reply->seq, false, false);
    }
    return reply;
}

std::string Engine::SafetyPlanCommand(Slot& slot, std::string_view argument) {
    slot.therapy.dialog.reset();
    std::optional<safety::SafetyPlan> plan;
    if (plan_lookup_) plan = plan_lookup_(slot.session);
    const auto words = input::Normalize(argument).words;
    const bool edit = std::any_of(words.begin(), words.end(), [](const std::string& w) {
        return w == "edit" || w == "write" || w == "change" || w == "update" || w == "make";
    });
    if (!edit) {
        if (!plan || plan->Empty()) return NoSafetyPlanYet();
        return composer_.FormatPlan(*plan) + "\nType safety plan edit to change it.";
    }
    if (!plan_saver_) {
        return "This game has nowhere to keep a safety plan, so it cannot be written here.";
    }
    slot.plan_draft = SafetyPlanDraft{plan.value_or(safety::SafetyPlan{}), 0};
    return SafetyPlanPrompt(*slot.plan_draft, /*first=*/true);
}

std::string Engine::ContinueSafetyPlan(Slot& slot, std::string_view text) {
    SafetyPlanDraft& draft = *slot.plan_draft;
    const SafetyPlanStep step = AnswerSafetyPlan(draft, text);
    switch (step.kind) {
        case SafetyPlanStep::Kind::kStopped:
            slot.plan_draft.reset();
            return SafetyPlanStopped();
        case SafetyPlanStep::Kind::kAsk:
            return (step.text.empty() ? "" : step.text + "\n\n") + SafetyPlanPrompt(draft, false);
        case SafetyPlanStep::Kind::kDone:
            break;
    }
    const safety::SafetyPlan plan = std::move(draft.plan);
    slot.plan_draft.reset();
    if (Status saved = plan_saver_(slot.session, plan); !saved) {
        return SafetyPlanNotKept(saved.error().message);
    }
    if (plan.Empty()) return "Your safety plan is empty now. Back to the story.";
    return "Saved. This is your safety plan; type safety plan to see it again.\n\n" +
           composer_.FormatPlan(plan) + "\nBack to the story.";
}

Result<TurnReply> Engine::Undo(std::string_view session_id) {
    auto slot = SlotFor(session_id);
    std::lock_guard lock(slot->mu);
    if (!slot->loaded) {
        if (auto loaded = Load(*slot, session_id); !loaded) return loaded.error();
    }
    return UndoLocked(*slot, session_id);
}

Result<TurnReply> Engine::UndoLocked(Slot& s, std::string_view session_id) {
    Slot* slot = &s;
    const std::int64_t head = slot->session.head_seq;
    auto turn = store_.GetTurn(session_id, head);
    if (!turn) return turn.error();
    if (turn->parent_seq == 0) {
        TurnReply reply;
        reply.session_id = slot->session.id;
        reply.seq = head;
        reply.kind = "undo";
        reply.text = "There is nothing to undo yet: this is where your story begins.";
        reply.choices = slot->choices;
        return reply;
    }
    if (auto moved = store_.MoveHead(session_id, head, turn->parent_seq); !moved) {
        slot->loaded = false;
        return moved.error();
    }
    if (slot->session.status == store::SessionStatus::kEnded) {
        (void)store_.SetSessionStatus(session_id, store::SessionStatus::kActive);
    }
    if (auto loaded = Load(*slot, session_id); !loaded) return loaded.error();
    TurnReply reply;
    reply.session_id = slot->session.id;
    reply.seq = slot->session.head_seq;
    reply.kind = "undo";
    reply.text = "You step back to a moment ago.\n\n" + slot->text;
    reply.choices = slot->choices;
    reply.recorded = true;
    return reply;
}

Result<TurnReply> Engine::Resume(std::string_view session_id) {
    auto slot = SlotFor(session_id);
    std::lock_guard lock(slot->mu);
    if (!slot->loaded) {
        if (auto loaded = Load(*slot, session_id); !loaded) return loaded.error();
    }
    TurnReply reply;
    reply.session_id = slot->session.id;
    reply.seq = slot->session.head_seq;
    reply.kind = "resume";
    reply.text = slot->text;
    reply.choices = slot->choices;
    reply.ended = slot->state.ending >= 0;
    if (reply.ended) reply.ending = slot->world->pack->endings[slot->state.ending].id;
    if (!slot->therapy.sitting.Active()) {
        const std::string offer = therapy_.BeginSitting(
            slot->therapy, ContextFor(*slot),
            world::PlayerPlace(*slot->world->pack, slot->state).id);
        if (!offer.empty()) reply.text += "\n\n" + offer;
    }
    return reply;
}

Result<therapy::MoodCheckIn> Engine::RecordCheckIn(std::string_view session_id,
                                                   therapy::MoodCheckIn check_in) {
    auto slot = SlotFor(session_id);
    std::lock_guard lock(slot->mu);
    if (!slot->loaded) {
        if (auto loaded = Load(*slot, session_id); !loaded) return loaded.error();
    }
    return therapy_.RecordCheckIn(slot->therapy, ContextFor(*slot), std::move(check_in));
}

Result<std::optional<therapy::SessionSummary>> Engine::SittingSoFar(
    std::string_view session_id) {
    auto slot = SlotFor(session_id);
    std::lock_guard lock(slot->mu);
    if (!slot->loaded) {
        if (auto loaded = Load(*slot, session_id); !loaded) return loaded.error();
    }
    const Sitting& sitting = slot->therapy.sitting;
    if (!sitting.Active() || !sitting.HasActivity()) {
        return std::optional<therapy::SessionSummary>();
    }
    return std::optional(
        therapy::BuildSessionSummary(sitting.Record(slot->session.id, clock_.NowMillis())));
}

Result<world::State> Engine::CurrentState(std::string_view session_id) {
    auto slot = SlotFor(session_id);
    std::lock_guard lock(slot->mu);
    if (!slot->loaded) {
        if (auto loaded = Load(*slot, session_id); !loaded) return loaded.error();
    }
    return slot->state;
}

}  // namespace tta::engine
