#include "tta/engine/sitting.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace tta::engine {

namespace json = boost::json;

namespace {

std::string StringAt(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

const json::array* ArrayAt(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

}  // namespace

TurnFacts FactsFromBody(std::int64_t seq, std::int64_t created_ms, const json::object& body) {
    TurnFacts f;
    f.seq = seq;
    f.created_ms = created_ms;
    f.kind = StringAt(body, "kind");
    if (const json::value* t = body.if_contains("turn"); t != nullptr && t->is_int64()) {
        f.turn = static_cast<int>(t->as_int64());
    }
    if (const json::array* effects = ArrayAt(body, "effects")) {
        for (const json::value& v : *effects) {
            if (!v.is_object()) continue;
            const json::object& e = v.as_object();
            const std::string kind = StringAt(e, "kind");
            if (kind == "scene_started") {
                f.scenes.push_back({StringAt(e, "subject"), ""});
            } else if (kind == "scene_ended") {
                f.scenes.push_back({StringAt(e, "subject"), StringAt(e, "target")});
            } else if (kind == "ending_reached") {
                f.ended = true;
            }
        }
    }
    if (const json::array* events = ArrayAt(body, "events")) {
        for (const json::value& v : *events) {
            if (!v.is_object()) continue;
            const json::object& e = v.as_object();
            if (StringAt(e, "kind") == "arrived") f.arrived.push_back(StringAt(e, "subject"));
        }
    }
    if (const json::value* p = body.if_contains("planner"); p != nullptr && p->is_object()) {
        const json::object& o = p->as_object();
        TurnFacts::Planner planner;
        planner.beat = StringAt(o, "beat");
        planner.technique = StringAt(o, "technique");
        planner.reason = StringAt(o, "reason");
        if (const json::value* n = o.if_contains("candidates"); n != nullptr && n->is_int64()) {
            planner.candidates = static_cast<int>(n->as_int64());
        }
        if (const json::array* skipped = ArrayAt(o, "skipped")) {
            planner.skipped = static_cast<int>(skipped->size());
        }
        f.planner = std::move(planner);
    }
    if (const json::array* emotions = ArrayAt(body, "emotions")) {
        for (const json::value& v : *emotions) {
            if (!v.is_object()) continue;
            const json::object& e = v.as_object();
            const json::value* negated = e.if_contains("negated");
            if (negated != nullptr && negated->is_bool() && negated->as_bool()) continue;
            f.cues.push_back({StringAt(e, "label"), StringAt(e, "word")});
        }
    }
    return f;
}

TurnFacts FactsOfTurn(const std::vector<world::Effect>& effects, int turn,
                      std::vector<TurnFacts::Cue> cues) {
    TurnFacts f;
    f.kind = "story";
    f.turn = turn;
    for (const world::Effect& e : effects) {
        if (e.kind == world::EffectKind::kSceneStarted) f.scenes.push_back({e.subject, ""});
        if (e.kind == world::EffectKind::kSceneEnded) f.scenes.push_back({e.subject, e.target});
        if (e.kind == world::EffectKind::kEndingReached) f.ended = true;
    }
    f.cues = std::move(cues);
    return f;
}

std::string PlannerCueLabel(const therapy::Catalogue& catalogue, const TurnFacts::Cue& cue) {
    if (!cue.word.empty() && catalogue.FindFeeling(cue.word) != nullptr) return cue.word;
    // "panic", "panicking": the input stage files these under anxious, but panic is what rules
    // breath holding out, so it must reach the planner.
    if (cue.word.rfind("panic", 0) == 0 && catalogue.FindFeeling("panicky") != nullptr) {
        return "panicky";
    }
    if (catalogue.FindFeeling(cue.label) != nullptr || catalogue.HasTag(cue.label)) {
        return cue.label;
    }
    if (cue.label == "afraid") return "scared";
    if (cue.label == "happy") return "content";
    return cue.label;
}

void Sitting::Begin(std::int64_t at_ms, std::string place) {
    *this = Sitting();
    active_ = true;
    started_ms_ = at_ms;
    last_ms_ = at_ms;
    if (!place.empty()) places_.push_back(std::move(place));
}

std::vector<EndedBeat> Sitting::Add(const world::Pack& pack, const TurnFacts& facts) {
    std::vector<EndedBeat> ended;
    last_ms_ = std::max(last_ms_, facts.created_ms);
    if (facts.kind == "crisis") {
        crisis_ = true;
        return ended;
    }
    if (facts.kind == "story") ++story_turns_;
    for (const std::string& place : facts.arrived) places_.push_back(place);
    for (const auto& change : facts.scenes) {
        const world::Scene* scene = pack.FindScene(change.scene);
        if (scene == nullptr || scene->technique.empty()) continue;
        if (change.outcome.empty()) {
            offers_.push_back({facts.turn, scene->technique});
        } else {
            EndedBeat beat{change.scene, scene->technique, change.outcome, facts.turn,
                           facts.created_ms};
            ended_.push_back(beat);
            ended.push_back(std::move(beat));
        }
    }
    for (const auto& cue : facts.cues) cues_.push_back({cue, facts.turn});
    if (cues_.size() > kCuesKept) cues_.erase(cues_.begin(), cues_.end() - kCuesKept);
    return ended;
}

void Sitting::AddCheckIn(const therapy::MoodCheckIn& check_in) {
    check_ins_.push_back(check_in);
    last_ms_ = std::max(last_ms_, check_in.at_ms);
}

void Sitting::EnsurePlace(std::string place) {
    if (places_.empty() && !place.empty()) places_.push_back(std::move(place));
}

therapy::PacingState Sitting::Pacing(int turn) const {
    therapy::PacingState p;
    p.turn = turn;
    p.turns_this_session = story_turns_;
    if (!offers_.empty()) p.turns_since_last_offer = std::max(0, turn - offers_.back().turn);
    for (const Offer& o : offers_) p.offered_techniques.push_back(o.technique);
    for (const EndedBeat& b : ended_) {
        ++p.offered;
        if (b.outcome == "declined") {
            ++p.declined;
            p.declined_techniques.push_back(b.technique);
        } else {
            ++p.completed;  // finished, or stopped part way: either way it was taken up
        }
    }
    return p;
}

std::vector<therapy::EmotionCue> Sitting::Cues(const therapy::Catalogue& catalogue) const {
    std::vector<therapy::EmotionCue> out;
    for (const SeenCue& c : cues_) out.push_back({PlannerCueLabel(catalogue, c.cue), c.turn});
    return out;
}

therapy::SessionRecord Sitting::Record(const std::string& session_id, std::int64_t now_ms) const {
    therapy::SessionRecord r;
    r.session_id = session_id;
    r.turns = story_turns_;
    r.started_at_ms = started_ms_;
    r.ended_at_ms = now_ms;
    r.places_visited = places_;
    for (const EndedBeat& b : ended_) {
        if (b.outcome == "declined") continue;
        r.practices.push_back({b.technique, b.turn, b.at_ms, b.outcome == "completed"});
    }
    r.check_ins = check_ins_;
    return r;
}

}  // namespace tta::engine
