#include "tta/engine/therapy_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "tta/core/utf8.hpp"
#include "tta/therapy/json.hpp"

namespace tta::engine {

namespace json = boost::json;

namespace {

// The personal parts, as bytes for the store's `personal` columns. These two functions are
// where an encryption layer seals and opens them.
store::Bytes PersonalBytes(std::string_view text) { return store::ToBytes(text); }
std::string PersonalText(const store::Bytes& bytes) { return SanitizeUtf8(store::AsText(bytes)); }

std::string AnswersText(std::span<const int> answers) {
    std::string out;
    for (int a : answers) {
        if (!out.empty()) out += ',';
        out += std::to_string(a);
    }
    return out;
}

std::string Trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

Result<MeasureResult> MeasureFromRecord(const store::MeasureResultRecord& r) {
    auto id = therapy::ParseMeasureId(r.measure);
    if (!id) return id.error();
    auto answers = therapy::ParseAnswers(PersonalText(r.personal));
    if (!answers) return answers.error();
    auto score = therapy::Score(*id, *answers);
    if (!score) {
        return Error::Internal(fmt::format("stored {} result {} does not score: {}", r.measure,
                                           r.header.id, score.error().message));
    }
    return MeasureResult{r.header.id, r.header.session_id, r.header.created_ms, *score};
}

Result<therapy::SessionSummary> SummaryFromRecord(const store::SessionSummaryRecord& r) {
    json::error_code ec;
    json::value v = json::parse(r.summary, ec);
    if (ec || !v.is_object()) {
        return Error::Internal(fmt::format("session summary {} is not JSON", r.header.id));
    }
    const json::object& o = v.as_object();
    therapy::SessionSummary s;
    auto integer = [&](std::string_view key) -> std::int64_t {
        const json::value* x = o.if_contains(key);
        return x != nullptr && x->is_int64() ? x->as_int64() : 0;
    };
    auto optional = [&](std::string_view key) -> std::optional<int> {
        const json::value* x = o.if_contains(key);
        if (x == nullptr || !x->is_int64()) return std::nullopt;
        return static_cast<int>(x->as_int64());
    };
    s.session_id = r.header.session_id;
    s.turns = static_cast<int>(integer("turns"));
    s.duration_ms = integer("duration_ms");
    s.places_visited = static_cast<int>(integer("places_visited"));
    if (const json::value* t = o.if_contains("techniques"); t != nullptr && t->is_array()) {
        for (const json::value& item : t->as_array()) {
            if (!item.is_object()) continue;
            const json::object& skill = item.as_object();
            therapy::SkillSummary k;
            if (const json::value* id = skill.if_contains("technique"); id && id->is_string()) {
                k.technique_id = std::string(id->as_string());
            }
            auto field = [&](std::string_view key) -> std::int64_t {
                const json::value* x = skill.if_contains(key);
                return x != nullptr && x->is_int64() ? x->as_int64() : 0;
            };
            k.practised = static_cast<int>(field("practised"));
            k.completed = static_cast<int>(field("completed"));
            k.first_at_ms = field("first_at_ms");
            k.last_at_ms = field("last_at_ms");
            s.techniques.push_back(std::move(k));
        }
    }
    s.mood_before = optional("mood_before");
    s.mood_after = optional("mood_after");
    return s;
}

template <typename From, typename To, typename Convert>
Result<std::vector<To>> ConvertAll(const Result<std::vector<From>>& records, Convert convert) {
    if (!records) return records.error();
    std::vector<To> out;
    out.reserve(records->size());
    for (const From& r : *records) {
        auto converted = convert(r);
        if (!converted) return converted.error();
        out.push_back(std::move(*converted));
    }
    return out;
}

store::RecordQuery Newest(std::size_t limit) {
    store::RecordQuery q;
    q.limit = limit;
    return q;
}

std::string Points(const therapy::MeasureSeries& series) {
    std::vector<std::string> points;
    for (const auto& p : series.points) {
        points.push_back(fmt::format("{} ({})", p.total, therapy::Label(p.severity)));
    }
    // The last five tell the story; older ones stay in the timeline.
    if (points.size() > 5) points.erase(points.begin(), points.end() - 5);
    std::string out;
    for (const std::string& p : points) out += (out.empty() ? "" : ", then ") + p;
    return out;
}

}  // namespace

// Words the catalogue has since dropped are kept: a record says what the player chose.
Result<therapy::MoodCheckIn> CheckInFromRecord(const store::CheckInRecord& r) {
    therapy::MoodCheckIn c;
    c.turn = static_cast<int>(r.header.turn);
    c.at_ms = r.header.created_ms;
    c.score = r.score;
    auto mode = therapy::ParseCheckInMode(r.mode);
    if (!mode) return mode.error();
    c.mode = *mode;
    json::error_code ec;
    json::value words = json::parse(PersonalText(r.personal), ec);
    if (ec || !words.is_array()) {
        return Error::Internal(
            fmt::format("check-in {} has unreadable feeling words", r.header.id));
    }
    for (const json::value& w : words.as_array()) {
        if (w.is_string()) c.feelings.emplace_back(w.as_string());
    }
    return c;
}

TherapyService::TherapyService(store::TherapyStore& store, const therapy::Catalogue& catalogue,
                               const Clock& clock)
    : store_(store), catalogue_(catalogue), clock_(clock) {}

store::RecordHeader TherapyService::Header(const RecordContext& where) const {
    store::RecordHeader h;
    h.user_id = where.user_id;
    h.session_id = where.session_id;
    h.turn = where.turn;
    h.created_ms = clock_.NowMillis();
    return h;
}

Result<therapy::MoodCheckIn> TherapyService::RecordCheckIn(const RecordContext& where,
                                                           therapy::MoodCheckIn check_in) {
    check_in.turn = where.turn;
    check_in.at_ms = clock_.NowMillis();
    auto normalised = therapy::NormaliseCheckIn(catalogue_, std::move(check_in));
    if (!normalised) return normalised.error();
    store::CheckInRecord r;
    r.header = Header(where);
    r.header.created_ms = normalised->at_ms;
    r.score = normalised->score;
    r.mode = std::string(therapy::Name(normalised->mode));
    json::array words;
    for (const std::string& w : normalised->feelings) words.emplace_back(w);
    r.personal = PersonalBytes(json::serialize(words));
    if (auto id = store_.AppendCheckIn(r); !id) return id.error();
    return normalised;
}

Result<std::vector<therapy::MoodCheckIn>> TherapyService::CheckIns(
    std::string_view user_id, const store::RecordQuery& query) {
    return ConvertAll<store::CheckInRecord, therapy::MoodCheckIn>(
        store_.ListCheckIns(user_id, query), CheckInFromRecord);
}

Result<MeasureResult> TherapyService::RecordMeasure(const RecordContext& where,
                                                    therapy::MeasureId measure,
                                                    std::span<const int> answers) {
    auto score = therapy::Score(measure, answers);
    if (!score) return score.error();
    store::MeasureResultRecord r;
    r.header = Header(where);
    r.measure = std::string(therapy::Name(measure));
    r.total = score->total;
    r.severity = std::string(therapy::Name(score->severity));
    r.item9_flag = score->item9_flag;
    r.personal = PersonalBytes(AnswersText(answers));
    auto id = store_.AppendMeasureResult(r);
    if (!id) return id.error();
    return MeasureResult{*id, where.session_id, r.header.created_ms, std::move(*score)};
}

Result<std::vector<MeasureResult>> TherapyService::MeasureResults(std::string_view user_id,
                                                                  const store::RecordQuery& query) {
    return ConvertAll<store::MeasureResultRecord, MeasureResult>(
        store_.ListMeasureResults(user_id, query), MeasureFromRecord);
}

Result<std::optional<std::int64_t>> TherapyService::LastAnswered(std::string_view user_id,
                                                                 therapy::MeasureId measure) {
    // Pages back through the newest results until one of this questionnaire turns up.
    store::RecordQuery q = Newest(50);
    while (true) {
        auto page = store_.ListMeasureResults(user_id, q);
        if (!page) return page.error();
        for (auto it = page->rbegin(); it != page->rend(); ++it) {
            if (it->measure == therapy::Name(measure)) return std::optional(it->header.created_ms);
        }
        if (page->size() < q.limit) return std::optional<std::int64_t>();
        q.before_id = page->front().header.id;
    }
}

Result<std::vector<therapy::MeasureId>> TherapyService::DueQuestionnaires(
    std::string_view user_id, QuestionnaireSchedule schedule) {
    std::vector<therapy::MeasureId> due;
    if (schedule == QuestionnaireSchedule::kOff) return due;
    const std::int64_t now = clock_.NowMillis();
    for (auto id : {therapy::MeasureId::kPhq9, therapy::MeasureId::kGad7}) {
        auto last = LastAnswered(user_id, id);
        if (!last) return last.error();
        if (!*last || now - **last >= IntervalMs(schedule)) due.push_back(id);
    }
    return due;
}

Result<JournalEntry> TherapyService::WriteJournal(const RecordContext& where,
                                                  std::string_view text) {
    std::string entry = Trim(SanitizeUtf8(Utf8Prefix(text, kMaxJournalBytes)));
    if (entry.empty()) return Error::Invalid("a journal entry needs some words");
    store::JournalRecord r;
    r.header = Header(where);
    r.personal = PersonalBytes(entry);
    auto id = store_.AppendJournalEntry(r);
    if (!id) return id.error();
    return JournalEntry{*id, where.session_id, where.turn, r.header.created_ms, std::move(entry)};
}

Result<std::vector<JournalEntry>> TherapyService::Journal(std::string_view user_id,
                                                          const store::RecordQuery& query) {
    return ConvertAll<store::JournalRecord, JournalEntry>(
        store_.ListJournalEntries(user_id, query),
        [](const store::JournalRecord& r) -> Result<JournalEntry> {
            return JournalEntry{r.header.id, r.header.session_id, static_cast<int>(r.header.turn),
                                r.header.created_ms, PersonalText(r.personal)};
        });
}

Status TherapyService::RecordPractice(const RecordContext& where, std::string_view technique,
                                      std::string_view beat, std::string_view outcome) {
    store::PracticeRecord r;
    r.header = Header(where);
    r.technique = std::string(technique);
    r.beat = std::string(beat);
    r.outcome = std::string(outcome);
    if (auto id = store_.AppendPractice(r); !id) return id.error();
    return Ok();
}

Result<std::vector<Practice>> TherapyService::Practices(std::string_view user_id,
                                                        const store::RecordQuery& query) {
    return ConvertAll<store::PracticeRecord, Practice>(
        store_.ListPractices(user_id, query),
        [](const store::PracticeRecord& r) -> Result<Practice> {
            return Practice{r.header.id,
                            r.header.session_id,
                            static_cast<int>(r.header.turn),
                            r.header.created_ms,
                            r.technique,
                            r.beat,
                            r.outcome};
        });
}

Status TherapyService::RecordDecision(const RecordContext& where,
                                      const therapy::BeatDecision& decision) {
    store::PlannerRecord r;
    r.header = Header(where);
    r.beat = decision.beat_id.value_or("");
    r.technique = decision.offers() ? decision.technique_id : "";
    r.reason = decision.reason;
    if (auto id = store_.AppendPlannerDecision(r); !id) return id.error();
    return Ok();
}

Result<std::vector<store::PlannerRecord>> TherapyService::Decisions(
    std::string_view user_id, const store::RecordQuery& query) {
    return store_.ListPlannerDecisions(user_id, query);
}

Status TherapyService::RecordSessionSummary(const RecordContext& where,
                                            const therapy::SessionSummary& summary) {
    store::SessionSummaryRecord r;
    r.header = Header(where);
    r.summary = json::serialize(json::value_from(summary));
    if (auto id = store_.AppendSessionSummary(r); !id) return id.error();
    return Ok();
}

Result<std::vector<therapy::SessionSummary>> TherapyService::SessionSummaries(
    std::string_view user_id, const store::RecordQuery& query) {
    return ConvertAll<store::SessionSummaryRecord, therapy::SessionSummary>(
        store_.ListSessionSummaries(user_id, query), SummaryFromRecord);
}

Result<ProgressReport> TherapyService::Progress(std::string_view user_id) {
    ProgressReport report;
    auto practices = Practices(user_id, Newest(kProgressWindow));
    if (!practices) return practices.error();
    std::vector<therapy::SkillPractice> practised;
    for (const Practice& p : *practices) {
        if (p.outcome == "declined") {
            ++report.beats_declined;
            continue;
        }
        practised.push_back({p.technique, p.turn, p.at_ms, p.outcome == "completed"});
    }
    report.skills = therapy::SummariseSkills(practised);

    auto check_ins = CheckIns(user_id, Newest(kProgressWindow));
    if (!check_ins) return check_ins.error();
    report.mood = therapy::ComputeMoodTrend(*check_ins);

    auto results = MeasureResults(user_id, Newest(kProgressWindow));
    if (!results) return results.error();
    std::vector<therapy::MeasureRecord> records;
    for (const MeasureResult& r : *results) {
        records.push_back({r.score.measure, r.at_ms, r.score.answers});
    }
    auto series = therapy::MeasuresOverTime(records);
    if (!series) return series.error();
    report.measures = std::move(*series);

    auto summaries = SessionSummaries(user_id, Newest(1));
    if (!summaries) return summaries.error();
    if (!summaries->empty()) report.last_session = summaries->back();
    return report;
}

std::string DescribeProgress(const ProgressReport& report, const therapy::Catalogue& catalogue) {
    std::vector<std::string> lines;
    if (report.skills.empty()) {
        lines.push_back(
            "Skills practised: none yet. When someone in the story offers to try something with "
            "you, saying yes counts.");
    } else {
        std::string skills;
        for (const therapy::SkillSummary& s : report.skills) {
            const therapy::Technique* t = catalogue.FindTechnique(s.technique_id);
            const std::string name = t != nullptr ? t->name : s.technique_id;
            std::string part = s.practised == 1   ? "once"
                               : s.practised == 2 ? "twice"
                                                  : fmt::format("{} times", s.practised);
            if (s.completed == 0) {
                part += ", not finished yet";
            } else if (s.completed < s.practised) {
                part += fmt::format(", finished {}", s.completed);
            } else {
                part += ", finished";
            }
            skills += (skills.empty() ? "" : "; ") + name + " (" + part + ")";
        }
        lines.push_back("Skills practised: " + skills + ".");
    }

    if (!report.mood) {
        lines.push_back("Mood: no check-ins yet. Type check in whenever you like.");
    } else {
        const therapy::MoodTrend& m = *report.mood;
        if (m.count == 1) {
            lines.push_back(
                fmt::format("Mood: one check-in, at {} out of {}.", m.last, therapy::kMaxMood));
        } else {
            std::string direction = "about steady";
            if (m.slope_per_check_in >= 0.25) direction = "rising";
            if (m.slope_per_check_in <= -0.25) direction = "lower lately";
            lines.push_back(
                fmt::format("Mood: {} check-ins, from {} to {} out of {} (average {:.1f}, {}).",
                            m.count, m.first, m.last, therapy::kMaxMood, m.average, direction));
        }
    }

    if (report.measures.empty()) {
        lines.push_back("Questionnaires: none yet. Type questionnaire to see the two on offer.");
    } else {
        std::string measures;
        for (const therapy::MeasureSeries& s : report.measures) {
            std::string part = std::string(therapy::Definition(s.measure).title) + " " + Points(s);
            if (s.points.size() > 1 && s.change != 0) {
                part += fmt::format(" ({} {} than the first)", std::abs(s.change),
                                    s.change < 0 ? "lower" : "higher");
            }
            measures += (measures.empty() ? "" : ". ") + part;
        }
        lines.push_back("Questionnaires: " + measures +
                        ". Scores describe the last two weeks; they are not a diagnosis.");
    }
    std::string out;
    for (const std::string& l : lines) out += (out.empty() ? "" : "\n") + l;
    return out;
}

json::value ToJson(const JournalEntry& entry) {
    return json::object{{"id", entry.id},
                        {"session_id", entry.session_id},
                        {"turn", entry.turn},
                        {"at_ms", entry.at_ms},
                        {"text", entry.text}};
}

json::value ToJson(const MeasureResult& result) {
    json::value score = json::value_from(result.score);
    json::object& o = score.as_object();
    o["id"] = result.id;
    o["measure"] = therapy::Name(result.score.measure);
    o["session_id"] = result.session_id;
    o["at_ms"] = result.at_ms;
    json::array answers;
    for (int a : result.score.answers) answers.emplace_back(a);
    o["answers"] = std::move(answers);
    return score;
}

json::value ToJson(const Practice& practice) {
    return json::object{
        {"id", practice.id},          {"session_id", practice.session_id}, {"turn", practice.turn},
        {"at_ms", practice.at_ms},    {"technique", practice.technique},   {"beat", practice.beat},
        {"outcome", practice.outcome}};
}

json::value ToJson(const store::PlannerRecord& decision) {
    return json::object{
        {"id", decision.header.id},
        {"session_id", decision.header.session_id},
        {"turn", decision.header.turn},
        {"at_ms", decision.header.created_ms},
        {"beat", decision.beat.empty() ? json::value(nullptr) : json::value(decision.beat)},
        {"technique",
         decision.technique.empty() ? json::value(nullptr) : json::value(decision.technique)},
        {"reason", decision.reason}};
}

json::value ToJson(const ProgressReport& report) {
    return json::object{
        {"skills", json::value_from(report.skills)},
        {"beats_declined", report.beats_declined},
        {"mood", report.mood ? json::value_from(*report.mood) : json::value(nullptr)},
        {"measures", json::value_from(report.measures)},
        {"last_session",
         report.last_session ? json::value_from(*report.last_session) : json::value(nullptr)}};
}

}  // namespace tta::engine
