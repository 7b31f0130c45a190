#include "tta/therapy/json.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace tta::therapy {

namespace json = boost::json;

namespace {

json::array Strings(const std::vector<std::string>& list) {
    json::array out;
    for (const std::string& s : list) out.emplace_back(s);
    return out;
}

json::array Terms(const std::vector<Term>& terms) {
    json::array out;
    for (const Term& t : terms) {
        out.push_back(json::object{{"id", t.id}, {"description", t.description}});
    }
    return out;
}

json::value OptionalInt(const std::optional<int>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

// Reads one JSON object key by key; Finish() rejects keys nobody asked for.
class ObjectReader {
public:
    static Result<ObjectReader> Open(const json::value& jv, std::string what) {
        if (!jv.is_object()) return Error::Invalid(fmt::format("{} should be a JSON object", what));
        return ObjectReader(jv.as_object(), std::move(what));
    }

    Result<std::int64_t> Int(std::string_view key, std::int64_t min, std::int64_t max) {
        auto v = Get(key);
        if (!v) return v.error();
        const json::value& jv = **v;
        std::int64_t n = 0;
        if (jv.is_int64()) {
            n = jv.get_int64();
        } else if (jv.is_uint64() &&
                   jv.get_uint64() <= static_cast<std::uint64_t>(
                                          std::numeric_limits<std::int64_t>::max())) {
            n = static_cast<std::int64_t>(jv.get_uint64());
        } else {
            return Error::Invalid(fmt::format("'{}' of {} should be a whole number", key, what_));
        }
        if (n < min || n > max) {
            return Error::Invalid(fmt::format("'{}' of {} should be between {} and {}, not {}", key,
                                              what_, min, max, n));
        }
        return n;
    }

    Result<std::string> String(std::string_view key) {
        auto v = Get(key);
        if (!v) return v.error();
        if (!(*v)->is_string()) {
            return Error::Invalid(fmt::format("'{}' of {} should be a string", key, what_));
        }
        return std::string((*v)->get_string());
    }

    Result<bool> Bool(std::string_view key) {
        auto v = Get(key);
        if (!v) return v.error();
        if (!(*v)->is_bool()) {
            return Error::Invalid(fmt::format("'{}' of {} should be true or false", key, what_));
        }
        return (*v)->get_bool();
    }

    Result<std::vector<std::string>> StringList(std::string_view key) {
        auto v = Get(key);
        if (!v) return v.error();
        std::vector<std::string> out;
        if ((*v)->is_array()) {
            for (const json::value& item : (*v)->get_array()) {
                if (!item.is_string()) break;
                out.emplace_back(item.get_string());
            }
            if (out.size() == (*v)->get_array().size()) return out;
        }
        return Error::Invalid(fmt::format("'{}' of {} should be a list of strings", key, what_));
    }

    Result<std::vector<int>> IntList(std::string_view key) {
        auto v = Get(key);
        if (!v) return v.error();
        std::vector<int> out;
        if ((*v)->is_array()) {
            for (const json::value& item : (*v)->get_array()) {
                if (!item.is_int64() || item.get_int64() < std::numeric_limits<int>::min() ||
                    item.get_int64() > std::numeric_limits<int>::max()) {
                    break;
                }
                out.push_back(static_cast<int>(item.get_int64()));
            }
            if (out.size() == (*v)->get_array().size()) return out;
        }
        return Error::Invalid(
            fmt::format("'{}' of {} should be a list of whole numbers", key, what_));
    }

    Status Finish() const {
        for (const auto& entry : *obj_) {
            if (std::find(used_.begin(), used_.end(), entry.key()) == used_.end()) {
                return Error::Invalid(fmt::format("{} has an unknown key '{}'", what_,
                                                  std::string_view(entry.key())));
            }
        }
        return Ok();
    }

private:
    ObjectReader(const json::object& obj, std::string what) : obj_(&obj), what_(std::move(what)) {}

    Result<const json::value*> Get(std::string_view key) {
        used_.push_back(key);
        const json::value* v = obj_->if_contains(key);
        if (v == nullptr) return Error::Invalid(fmt::format("{} is missing '{}'", what_, key));
        return v;
    }

    const json::object* obj_;
    std::string what_;
    std::vector<std::string_view> used_;
};

}  // namespace

void tag_invoke(const json::value_from_tag&, json::value& jv, const Technique& t) {
    json::array cautions;
    for (const Contraindication& c : t.when_not_to_use) {
        cautions.push_back(json::object{
            {"text", c.text}, {"cues", Strings(c.cues)}, {"conditions", Strings(c.conditions)}});
    }
    json::array bindings;
    for (const Binding& b : t.bindings) {
        bindings.push_back(json::object{{"role", Name(b.role)}, {"hint", b.hint}});
    }
    jv = json::object{
        {"id", t.id},
        {"name", t.name},
        {"framework", Name(t.framework)},
        {"summary", t.summary},
        {"intensity", Name(t.intensity)},
        {"duration_minutes", json::object{{"min", t.min_minutes}, {"max", t.max_minutes}}},
        {"helps_with", Strings(t.helps_with)},
        {"content_tags", Strings(t.content_tags)},
        {"steps", Strings(t.steps)},
        {"when_not_to_use", std::move(cautions)},
        {"evidence",
         json::object{{"note", t.evidence.note}, {"references", Strings(t.evidence.references)}}},
        {"bindings", std::move(bindings)},
    };
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const Catalogue& c) {
    json::array feelings;
    for (const Feeling& f : c.feelings) {
        feelings.push_back(json::object{
            {"word", f.word}, {"valence", Name(f.valence)}, {"tags", Strings(f.tags)}});
    }
    json::array distortions;
    for (const Distortion& d : c.distortions) {
        distortions.push_back(json::object{{"id", d.id},
                                           {"name", d.name},
                                           {"description", d.description},
                                           {"example", d.example},
                                           {"question", d.question}});
    }
    jv = json::object{
        {"version", c.version},
        {"tags", Terms(c.tags)},
        {"conditions", Terms(c.conditions)},
        {"feelings", std::move(feelings)},
        {"cognitive_distortions", std::move(distortions)},
        {"techniques", json::value_from(c.techniques)},
    };
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const MeasureDefinition& d) {
    json::array items;
    for (std::string_view item : d.items) items.emplace_back(item);
    json::array options;
    for (const ResponseOption& o : d.options) {
        options.push_back(json::object{{"value", o.value}, {"text", o.text}});
    }
    json::array bands;
    for (const SeverityBand& b : d.bands) {
        bands.push_back(json::object{
            {"min", b.min_total}, {"max", b.max_total}, {"severity", Name(b.severity)}});
    }
    jv = json::object{{"id", Name(d.id)},
                      {"title", d.title},
                      {"stem", d.stem},
                      {"items", std::move(items)},
                      {"options", std::move(options)},
                      {"bands", std::move(bands)},
                      {"reference", d.reference}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const MeasureScore& s) {
    json::object out{{"total", s.total}, {"severity", Name(s.severity)}};
    if (s.measure == MeasureId::kPhq9) out["item9_flag"] = s.item9_flag;
    jv = std::move(out);
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const MoodCheckIn& c) {
    jv = json::object{{"turn", c.turn},
                      {"at_ms", c.at_ms},
                      {"score", c.score},
                      {"feelings", Strings(c.feelings)},
                      {"mode", Name(c.mode)}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const BeatDecision& d) {
    jv = json::object{
        {"beat", d.beat_id ? json::value(*d.beat_id) : json::value(nullptr)},
        {"technique", d.offers() ? json::value(d.technique_id) : json::value(nullptr)},
        {"reason", d.reason},
        {"skipped", Strings(d.skipped)},
    };
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const SkillPractice& p) {
    jv = json::object{{"technique", p.technique_id},
                      {"turn", p.turn},
                      {"at_ms", p.at_ms},
                      {"completed", p.completed}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const SkillSummary& s) {
    jv = json::object{{"technique", s.technique_id},
                      {"practised", s.practised},
                      {"completed", s.completed},
                      {"first_at_ms", s.first_at_ms},
                      {"last_at_ms", s.last_at_ms}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const MoodTrend& t) {
    jv = json::object{{"count", t.count},
                      {"first", t.first},
                      {"last", t.last},
                      {"average", t.average},
                      {"lowest", t.lowest},
                      {"highest", t.highest},
                      {"slope_per_check_in", t.slope_per_check_in},
                      {"first_at_ms", t.first_at_ms},
                      {"last_at_ms", t.last_at_ms}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const MeasureRecord& r) {
    json::array answers;
    for (int a : r.answers) answers.emplace_back(a);
    jv = json::object{
        {"measure", Name(r.measure)}, {"at_ms", r.at_ms}, {"answers", std::move(answers)}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const MeasureSeries& s) {
    json::array points;
    for (const MeasurePoint& p : s.points) {
        json::object point{{"at_ms", p.at_ms}, {"total", p.total}, {"severity", Name(p.severity)}};
        if (s.measure == MeasureId::kPhq9) point["item9_flag"] = p.item9_flag;
        points.push_back(std::move(point));
    }
    jv = json::object{{"measure", Name(s.measure)},
                      {"points", std::move(points)},
                      {"first_total", s.first_total},
                      {"last_total", s.last_total},
                      {"change", s.change}};
}

void tag_invoke(const json::value_from_tag&, json::value& jv, const SessionSummary& s) {
    jv = json::object{{"session_id", s.session_id},
                      {"turns", s.turns},
                      {"duration_ms", s.duration_ms},
                      {"places_visited", s.places_visited},
                      {"techniques", json::value_from(s.techniques)},
                      {"mood_before", OptionalInt(s.mood_before)},
                      {"mood_after", OptionalInt(s.mood_after)}};
}

Result<MoodCheckIn> MoodCheckInFromJson(const Catalogue& catalogue, const json::value& jv) {
    auto r = ObjectReader::Open(jv, "a check-in");
    if (!r) return r.error();
    MoodCheckIn c;
    auto turn = r->Int("turn", 0, std::numeric_limits<int>::max());
    if (!turn) return turn.error();
    c.turn = static_cast<int>(*turn);
    auto at = r->Int("at_ms", 0, std::numeric_limits<std::int64_t>::max());
    if (!at) return at.error();
    c.at_ms = *at;
    auto score = r->Int("score", std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    if (!score) return score.error();
    c.score = static_cast<int>(*score);
    auto feelings = r->StringList("feelings");
    if (!feelings) return feelings.error();
    c.feelings = std::move(*feelings);
    auto mode_name = r->String("mode");
    if (!mode_name) return mode_name.error();
    auto mode = ParseCheckInMode(*mode_name);
    if (!mode) return mode.error();
    c.mode = *mode;
    if (auto s = r->Finish(); !s) return s.error();
    return NormaliseCheckIn(catalogue, std::move(c));
}

Result<SkillPractice> SkillPracticeFromJson(const Catalogue& catalogue, const json::value& jv) {
    auto r = ObjectReader::Open(jv, "a skill practice");
    if (!r) return r.error();
    SkillPractice p;
    auto technique = r->String("technique");
    if (!technique) return technique.error();
    if (catalogue.FindTechnique(*technique) == nullptr) {
        return Error::Invalid(fmt::format("'{}' is not a technique in the catalogue", *technique));
    }
    p.technique_id = std::move(*technique);
    auto turn = r->Int("turn", 0, std::numeric_limits<int>::max());
    if (!turn) return turn.error();
    p.turn = static_cast<int>(*turn);
    auto at = r->Int("at_ms", 0, std::numeric_limits<std::int64_t>::max());
    if (!at) return at.error();
    p.at_ms = *at;
    auto completed = r->Bool("completed");
    if (!completed) return completed.error();
    p.completed = *completed;
    if (auto s = r->Finish(); !s) return s.error();
    return p;
}

Result<MeasureRecord> MeasureRecordFromJson(const json::value& jv) {
    auto r = ObjectReader::Open(jv, "a questionnaire record");
    if (!r) return r.error();
    MeasureRecord m;
    auto name = r->String("measure");
    if (!name) return name.error();
    auto id = ParseMeasureId(*name);
    if (!id) return id.error();
    m.measure = *id;
    auto at = r->Int("at_ms", 0, std::numeric_limits<std::int64_t>::max());
    if (!at) return at.error();
    m.at_ms = *at;
    auto answers = r->IntList("answers");
    if (!answers) return answers.error();
    if (auto score = Score(m.measure, *answers); !score) return score.error();
    m.answers = std::move(*answers);
    if (auto s = r->Finish(); !s) return s.error();
    return m;
}

}  // namespace tta::therapy
