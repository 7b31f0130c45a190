#include "tta/engine/therapy_layer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "tta/input/normalize.hpp"
#include "tta/world/simulator.hpp"

namespace tta::engine {

namespace json = boost::json;

namespace {

// How many of the newest journal entries `journal` shows.
constexpr std::size_t kJournalShown = 5;
// Check-ins read back when a sitting is rebuilt; the planner looks at the latest.
constexpr std::size_t kCheckInsReread = 20;

std::string Concat(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += w;
    return out;
}

// Grounding for words of concern is offered at once, however many beats came before; the
// planner's filters (contraindications, declines, topics, intensity) still decide which.
therapy::PlannerPolicy GroundingPolicy(therapy::PlannerPolicy policy) {
    policy.fixed_beat_gap_turns = 0;
    policy.max_declines_per_session = std::numeric_limits<int>::max();
    policy.max_offers_per_session = std::numeric_limits<int>::max();
    return policy;
}

std::string SeverityAdvice(const therapy::MeasureScore& score) {
    if (score.severity >= therapy::Severity::kModerate) {
        return " If you have been feeling like this, it could help to talk it over with your "
               "doctor or a therapist; you deserve support with it.";
    }
    return " Thank you for answering.";
}

}  // namespace

const therapy::Catalogue& BuiltinCatalogue() {
    static const therapy::Catalogue catalogue = [] {
        auto loaded = therapy::LoadBuiltinCatalogue();
        if (!loaded) {
            std::fprintf(stderr, "tta: the built-in technique catalogue is invalid: %s\n",
                         loaded.error().message.c_str());
            std::abort();
        }
        return std::move(*loaded);
    }();
    return catalogue;
}

safety::Assessment Item9Assessment() {
    safety::Assessment a;
    a.level = safety::Level::kHigh;
    a.categories = {safety::Category::kSuicide, safety::Category::kSelfHarm};
    safety::Evidence e;
    e.rule = "measures.phq9_item9";
    e.level = safety::Level::kHigh;
    e.categories = a.categories;
    a.evidence.push_back(std::move(e));
    a.rules_version = "phq9";
    return a;
}

Result<std::vector<TurnFacts>> RecentTurns(store::SessionStore& store, std::string_view session_id,
                                           std::int64_t head_seq, int max_turns) {
    std::vector<TurnFacts> out;
    std::int64_t seq = head_seq;
    std::optional<std::int64_t> later_ms;
    while (seq > 0 && static_cast<int>(out.size()) < max_turns) {
        auto turn = store.GetTurn(session_id, seq);
        if (!turn) return turn.error();
        if (later_ms && *later_ms - turn->created_ms >= Sitting::kPauseMs) break;
        json::error_code ec;
        json::value body = json::parse(turn->body, ec);
        if (ec || !body.is_object()) break;  // a damaged turn: the sitting starts after it
        TurnFacts facts = FactsFromBody(turn->seq, turn->created_ms, body.as_object());
        if (facts.ended) break;  // an ending closed the sitting it belonged to
        out.push_back(std::move(facts));
        later_ms = turn->created_ms;
        seq = turn->parent_seq;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

TherapyLayer::TherapyLayer(const therapy::Catalogue& catalogue, const Clock& clock,
                           therapy::PlannerPolicy policy)
    : catalogue_(catalogue),
      clock_(clock),
      planner_(catalogue, policy),
      grounding_planner_(catalogue, GroundingPolicy(policy)) {}

void TherapyLayer::LoadProfile(SessionTherapy& st, std::string profile_json) const {
    st.profile_json = profile_json.empty() ? "{}" : std::move(profile_json);
    auto parsed = ParsePlayerProfile(catalogue_, st.profile_json);
    if (parsed) {
        st.profile = std::move(*parsed);
        st.profile_error.clear();
    } else {
        st.profile = PlayerProfile{};
        st.profile_error = parsed.error().message;
    }
}

std::string TherapyLayer::BeginSitting(SessionTherapy& st, const RecordContext& where,
                                       std::string place) {
    st.sitting.Begin(clock_.NowMillis(), std::move(place));
    st.dialog.reset();
    if (service_ == nullptr) return "";
    auto due = service_->DueQuestionnaires(where.user_id, st.profile.questionnaires);
    if (!due || due->empty()) return "";
    st.dialog = QuestionnaireOffered{*due};
    return QuestionnaireOffer(*due);
}

void TherapyLayer::RebuildSitting(SessionTherapy& st, const RecordContext& where,
                                  const world::Pack& pack, const std::vector<TurnFacts>& recent,
                                  std::string place) {
    const std::int64_t now = clock_.NowMillis();
    if (recent.empty() || now - recent.back().created_ms >= Sitting::kPauseMs) {
        st.sitting.Begin(now, std::move(place));
        return;
    }
    st.sitting.Begin(recent.front().created_ms, "");
    for (const TurnFacts& facts : recent) st.sitting.Add(pack, facts);
    st.sitting.EnsurePlace(std::move(place));
    if (service_ == nullptr) return;
    store::RecordQuery query;
    query.session_id = where.session_id;
    query.limit = kCheckInsReread;
    if (auto check_ins = service_->CheckIns(where.user_id, query)) {
        for (const auto& c : *check_ins) {
            if (c.at_ms >= st.sitting.started_ms()) st.sitting.AddCheckIn(c);
        }
    }
}

std::optional<SittingSummary> TherapyLayer::EndSitting(SessionTherapy& st,
                                                       const RecordContext& where,
                                                       std::string place) {
    st.dialog.reset();
    const std::int64_t now = clock_.NowMillis();
    const bool activity = st.sitting.Active() && st.sitting.HasActivity();
    const therapy::SessionRecord record = st.sitting.Record(where.session_id, now);
    st.sitting.Begin(now, std::move(place));
    if (!activity) return std::nullopt;
    SittingSummary out;
    out.summary = therapy::BuildSessionSummary(record);
    out.text = "This session: " + therapy::DescribeSession(out.summary, catalogue_);
    if (service_ != nullptr) {
        if (auto stored = service_->RecordSessionSummary(where, out.summary); !stored) {
            out.text += " (It could not be saved: " + stored.error().message + ".)";
        }
    }
    return out;
}

std::optional<TherapyAnswer> TherapyLayer::ContinueDialog(SessionTherapy& st,
                                                          const RecordContext& where,
                                                          std::string_view text) {
    if (!st.dialog) return std::nullopt;
    if (std::holds_alternative<CheckInPending>(*st.dialog)) {
        const auto mode = std::get<CheckInPending>(*st.dialog).mode;
        auto answer = ParseCheckInAnswer(text);
        if (answer) return AnswerCheckIn(st, where, *answer, mode);
        st.dialog.reset();
        if (IsNo(text) || IsStop(text)) return TherapyAnswer{"check_in", CheckInLetGo(), {}, {}};
        return std::nullopt;
    }
    if (auto* pending = std::get_if<QuestionnairePending>(&*st.dialog)) {
        return AnswerQuestion(st, where, *pending, text);
    }
    const auto offered = std::get<QuestionnaireOffered>(*st.dialog);
    st.dialog.reset();
    if (IsYes(text)) return StartQuestionnaire(st, offered.due);
    if (IsNo(text)) return TherapyAnswer{"questionnaire", QuestionnaireOfferDeclined(), {}, {}};
    return std::nullopt;
}

TherapyAnswer TherapyLayer::Unavailable(std::string kind, std::string_view what) const {
    return {std::move(kind),
            fmt::format("This game has nowhere to keep {}, so they are not available here.", what),
            {},
            {}};
}

TherapyAnswer TherapyLayer::AnswerCheckIn(SessionTherapy& st, const RecordContext& where,
                                          const CheckInAnswer& answer,
                                          therapy::CheckInMode mode) {
    st.dialog.reset();
    if (service_ == nullptr) return Unavailable("check_in", "check-ins");
    therapy::MoodCheckIn c;
    c.score = answer.score;
    c.feelings = answer.feelings;
    c.mode = mode;
    auto recorded = RecordCheckIn(st, where, std::move(c));
    if (!recorded) {
        if (recorded.error().code == ErrorCode::kInvalid) {
            st.dialog = CheckInPending{mode};  // one more try; anything else lets it go
            return {"check_in", CheckInRetry(recorded.error().message), {}, {}};
        }
        return {"check_in",
                "I couldn't save your check-in just now (" + recorded.error().message +
                    "). Back to the story.",
                {},
                {}};
    }
    return {"check_in", CheckInThanks(*recorded), {}, {}};
}

Result<therapy::MoodCheckIn> TherapyLayer::RecordCheckIn(SessionTherapy& st,
                                                         const RecordContext& where,
                                                         therapy::MoodCheckIn check_in) {
    if (service_ == nullptr) return Error::Unavailable("this game has nowhere to keep check-ins");
    auto recorded = service_->RecordCheckIn(where, std::move(check_in));
    if (recorded) st.sitting.AddCheckIn(*recorded);
    return recorded;
}

TherapyAnswer TherapyLayer::CheckIn(SessionTherapy& st, const RecordContext& where,
                                    std::string_view argument) {
    if (service_ == nullptr) return Unavailable("check_in", "check-ins");
    if (auto answer = ParseCheckInAnswer(argument)) {
        return AnswerCheckIn(st, where, *answer, therapy::CheckInMode::kOutOfCharacter);
    }
    st.dialog = CheckInPending{};
    return {"check_in", CheckInQuestion(catalogue_), {}, {}};
}

std::string TherapyLayer::AwaitInStoryCheckIn(SessionTherapy& st) {
    if (service_ == nullptr) return {};
    st.dialog = CheckInPending{therapy::CheckInMode::kInStory};
    return InStoryCheckInHint();
}

TherapyAnswer TherapyLayer::Journal(SessionTherapy& st, const RecordContext& where,
                                    std::string_view argument) {
    st.dialog.reset();
    if (service_ == nullptr) return Unavailable("journal", "journal entries");
    if (input::Normalize(argument).words.empty()) {
        store::RecordQuery query;
        query.limit = kJournalShown;
        auto entries = service_->Journal(where.user_id, query);
        if (!entries) {
            return {"journal",
                    "I couldn't open your journal just now (" + entries.error().message + ").",
                    {},
                    {}};
        }
        if (entries->empty()) {
            return {"journal",
                    "Your journal is empty. Write in it by typing journal and then your words, "
                    "for example: journal The harbour was quiet today.",
                    {},
                    {}};
        }
        std::string text = entries->size() == 1 ? "Your journal:"
                                                : "Your latest journal "
                                                  "entries, oldest first:";
        for (const JournalEntry& e : *entries) text += "\n- " + e.text;
        text += "\n\nType journal and then your words to add an entry.";
        return {"journal", std::move(text), {}, {}};
    }
    auto written = service_->WriteJournal(where, argument);
    if (!written) {
        return {"journal",
                "I couldn't write that in your journal just now (" + written.error().message + ").",
                {},
                {}};
    }
    return {"journal",
            "Written in your journal. It stays private; type journal to read your latest "
            "entries.",
            {},
            {}};
}

TherapyAnswer TherapyLayer::StartQuestionnaire(SessionTherapy& st,
                                               std::vector<therapy::MeasureId> queue) {
    const therapy::MeasureId first = queue.front();
    st.dialog = QuestionnairePending{std::move(queue), {}};
    return {"questionnaire",
            "(Stepping out of the story for a moment.)\n\n" + QuestionnaireIntro(first) + "\n\n" +
                QuestionText(first, 0),
            {},
            {}};
}

TherapyAnswer TherapyLayer::Questionnaire(SessionTherapy& st, std::string_view argument) {
    st.dialog.reset();
    const std::vector<std::string> words = input::Normalize(argument).words;
    const std::string schedule_name(Name(st.profile.questionnaires));
    if (words.empty()) return {"questionnaire", QuestionnaireMenu(schedule_name), {}, {}};
    if (words.front() == "schedule") {
        if (words.size() != 2) {
            return {"questionnaire",
                    "Your questionnaire schedule is " + schedule_name +
                        ". Type questionnaire schedule weekly, fortnightly or off to change it.",
                    {},
                    {}};
        }
        auto schedule = ParseQuestionnaireSchedule(words[1]);
        if (!schedule) {
            return {"questionnaire",
                    "The schedule can be weekly, fortnightly or off, for example: questionnaire "
                    "schedule weekly.",
                    {},
                    {}};
        }
        auto updated = WithQuestionnaireSchedule(st.profile_json, *schedule);
        if (!updated) {
            return {"questionnaire",
                    "I couldn't change your schedule: " + updated.error().message + ".",
                    {},
                    {}};
        }
        st.profile.questionnaires = *schedule;
        st.profile_json = *updated;
        std::string text =
            *schedule == QuestionnaireSchedule::kOff
                ? "Done: questionnaires will not be offered. Type questionnaire whenever you want "
                  "one."
                : fmt::format(
                      "Done: the PHQ-9 and GAD-7 will be offered {}, at the start of a "
                      "session, whenever one is due. You can always say no.",
                      *schedule == QuestionnaireSchedule::kWeekly ? "once a week"
                                                                  : "once a fortnight");
        return {"questionnaire", std::move(text), {}, *updated};
    }
    const std::string name = Concat(words);
    auto measure = therapy::ParseMeasureId(name);
    if (!measure) {
        return {"questionnaire",
                "I know two questionnaires, phq9 and gad7.\n\n" + QuestionnaireMenu(schedule_name),
                {},
                {}};
    }
    if (service_ == nullptr) return Unavailable("questionnaire", "questionnaire results");
    return StartQuestionnaire(st, {*measure});
}

TherapyAnswer TherapyLayer::AnswerQuestion(SessionTherapy& st, const RecordContext& where,
                                           QuestionnairePending& pending, std::string_view text) {
    const therapy::MeasureId measure = pending.queue.front();
    const std::size_t items = therapy::Definition(measure).items.size();
    if (IsStop(text)) {
        st.dialog.reset();
        return {"questionnaire", QuestionnaireStopped(), {}, {}};
    }
    const auto answer = ParseQuestionAnswer(text);
    if (!answer) {
        return {"questionnaire", QuestionReminder(measure, pending.answers.size()), {}, {}};
    }
    pending.answers.push_back(*answer);
    if (pending.answers.size() < items) {
        return {"questionnaire", QuestionText(measure, pending.answers.size()), {}, {}};
    }

    // Scored here first, so the safety response never waits on the store.
    const std::vector<int> answers = std::move(pending.answers);
    std::vector<therapy::MeasureId> rest(pending.queue.begin() + 1, pending.queue.end());
    auto score = therapy::Score(measure, answers);
    if (!score) {  // cannot happen: every answer was read as 0..3 and there are `items`
        st.dialog.reset();
        return {"questionnaire",
                "That questionnaire could not be scored: " + score.error().message,
                {},
                {}};
    }
    std::string saved;
    if (service_ != nullptr) {
        if (auto stored = service_->RecordMeasure(where, measure, answers); !stored) {
            saved = " (It could not be saved just now: " + stored.error().message + ".)";
        }
    }
    if (score->item9_flag) {
        st.dialog.reset();
        return {"questionnaire", Item9Preface(*score) + saved, Item9Assessment(), {}};
    }
    std::string said = ScoreText(*score) + SeverityAdvice(*score) + saved;
    if (rest.empty()) {
        st.dialog.reset();
        return {"questionnaire", said + "\n\nBack to the story.", {}, {}};
    }
    const therapy::MeasureId next = rest.front();
    st.dialog = QuestionnairePending{std::move(rest), {}};
    return {"questionnaire",
            said + "\n\nNext, " + QuestionnaireIntro(next) + "\n\n" + QuestionText(next, 0),
            {},
            {}};
}

TherapyAnswer TherapyLayer::Progress(SessionTherapy& st, const RecordContext& where,
                                     std::string_view world_line) {
    st.dialog.reset();
    std::string text = "Your progress\n\n" + std::string(world_line);
    if (service_ == nullptr) {
        text += "\n\nThis game has nowhere to keep check-ins, questionnaires or skills over time.";
    } else if (auto report = service_->Progress(where.user_id)) {
        text += "\n" + DescribeProgress(*report, catalogue_);
    } else {
        text += "\n\nYour records could not be read just now (" + report.error().message + ").";
    }
    if (st.sitting.Active() && st.sitting.HasActivity()) {
        const auto summary =
            therapy::BuildSessionSummary(st.sitting.Record(where.session_id, clock_.NowMillis()));
        text += "\nThis session so far: " + therapy::DescribeSession(summary, catalogue_);
    }
    return {"progress", std::move(text), {}, {}};
}

therapy::PlannerInput TherapyLayer::InputFor(const SessionTherapy& st, const world::Pack& pack,
                                             const TurnFacts& now) const {
    Sitting with_now = st.sitting;  // a few short lists: cheap next to a durable commit
    with_now.Add(pack, now);
    therapy::PlannerInput in;
    in.profile = st.profile.therapy;
    in.cues = with_now.Cues(catalogue_);
    in.check_ins = with_now.CheckIns();
    in.pacing = with_now.Pacing(now.turn);
    in.crisis = with_now.crisis();
    return in;
}

PlannedBeat TherapyLayer::Plan(const SessionTherapy& st, const world::Pack& pack,
                               const world::State& after, const TurnFacts& now) const {
    therapy::PlannerInput in = InputFor(st, pack, now);
    for (int index : world::OfferableScenes(pack, after)) {
        const world::Scene& scene = pack.scenes[static_cast<std::size_t>(index)];
        // Beats a world fixes in place are started by its rules (start(scene)); the planner
        // chooses among the rest, so none of its candidates is `fixed`.
        in.candidates.push_back({scene.id, scene.technique, false, {}});
    }
    return {planner_.Decide(in), static_cast<int>(in.candidates.size())};
}

PlannedBeat TherapyLayer::GroundingBeat(const SessionTherapy& st, const world::Pack& pack,
                                        const world::State& after, const TurnFacts& now,
                                        bool (*grounding)(std::string_view technique)) const {
    therapy::PlannerInput in = InputFor(st, pack, now);
    for (int index : world::OfferableScenes(pack, after)) {
        const world::Scene& scene = pack.scenes[static_cast<std::size_t>(index)];
        if (grounding(scene.technique)) {
            in.candidates.push_back({scene.id, scene.technique, true, {}});
        }
    }
    PlannedBeat out{grounding_planner_.Decide(in), static_cast<int>(in.candidates.size())};
    if (out.decision.offers()) {
        out.decision.reason = fmt::format(
            "offered {} (beat {}): words of concern at turn {}; a grounding moment in "
            "the story",
            out.decision.technique_id, *out.decision.beat_id, now.turn);
    }
    return out;
}

Status TherapyLayer::Committed(SessionTherapy& st, const RecordContext& where,
                               const world::Pack& pack, const TurnFacts& facts) {
    // Before a restarted engine rebuilds the sitting (RebuildSitting) it reads this turn from
    // the records with the rest.
    if (!st.sitting.Active()) return Ok();
    const std::vector<EndedBeat> ended = st.sitting.Add(pack, facts);
    if (service_ == nullptr) return Ok();
    Status result = Ok();
    for (const EndedBeat& beat : ended) {
        RecordContext at = where;
        at.turn = beat.turn;
        if (auto s = service_->RecordPractice(at, beat.technique, beat.scene, beat.outcome);
            !s && result) {
            result = s;
        }
    }
    // The timeline keeps what a clinician needs to see: every offer, and every refusal that
    // ruled a beat out for this player. Routine waits (a cooldown, no cue) stay in the turn.
    if (facts.planner && (!facts.planner->beat.empty() || facts.planner->skipped > 0)) {
        therapy::BeatDecision decision;
        if (!facts.planner->beat.empty()) decision.beat_id = facts.planner->beat;
        decision.technique_id = facts.planner->technique;
        decision.reason = facts.planner->reason;
        if (auto s = service_->RecordDecision(where, decision); !s && result) result = s;
    }
    return result;
}

}  // namespace tta::engine
