#include "tta/therapy/planner.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "tta/therapy/content.hpp"

namespace tta::therapy {

namespace {

// How strongly a signal says "this player needs help with this tag now". A cue the player
// just gave outweighs a check-in, which outweighs a standing goal.
constexpr int kCueWeight = 3;
constexpr int kCheckInWeight = 2;
constexpr int kGoalWeight = 1;
constexpr int kPreferredFrameworkBonus = 2;

struct Signal {
    std::string tag;
    int weight = 0;
    std::string says;  // "player said 'anxious' at turn 12"
};

template <typename T>
bool Contains(const std::vector<T>& list, const T& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool ContainsText(const std::vector<std::string>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

std::string Lower(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    s = s.substr(first, s.find_last_not_of(" \t") - first + 1);
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const std::string& p : parts) {
        if (!out.empty()) out += separator;
        out += p;
    }
    return out;
}

// The signals in play this turn, strongest first: cues (newest first), the latest check-in,
// then goals.
std::vector<Signal> CollectSignals(const Catalogue& catalogue, const PlannerPolicy& policy,
                                   const PlannerInput& in) {
    std::vector<Signal> signals;
    const int now = in.pacing.turn;

    std::vector<const EmotionCue*> cues;
    for (const EmotionCue& cue : in.cues) {
        if (cue.turn <= now && now - cue.turn <= policy.cue_window_turns) cues.push_back(&cue);
    }
    std::stable_sort(cues.begin(), cues.end(),
                     [](const EmotionCue* a, const EmotionCue* b) { return a->turn > b->turn; });
    for (const EmotionCue* cue : cues) {
        const std::string label = Lower(cue->label);
        for (const std::string& tag : catalogue.TagsForLabel(label)) {
            signals.push_back(
                {tag, kCueWeight, fmt::format("player said '{}' at turn {}", label, cue->turn)});
        }
    }

    const MoodCheckIn* latest = nullptr;
    for (const MoodCheckIn& c : in.check_ins) {
        if (c.turn > now || now - c.turn > policy.check_in_window_turns) continue;
        if (latest == nullptr || c.turn >= latest->turn) latest = &c;
    }
    if (latest != nullptr) {
        for (const std::string& word : latest->feelings) {
            const std::string label = Lower(word);
            for (const std::string& tag : catalogue.TagsForLabel(label)) {
                signals.push_back({tag, kCheckInWeight,
                                   fmt::format("checked in '{}' at turn {}", label, latest->turn)});
            }
        }
        if (latest->score <= policy.low_mood_score) {
            signals.push_back({"low_mood", kCheckInWeight,
                               fmt::format("mood {}/{} at turn {}", latest->score, kMaxMood,
                                           latest->turn)});
        }
    }

    for (const std::string& goal : in.profile.goals) {
        signals.push_back({goal, kGoalWeight, fmt::format("matches goal '{}'", goal)});
    }
    return signals;
}

// The first signal (strongest, newest) for tag that rules a technique out now; goals never do.
const Signal* CurrentSignalFor(const std::vector<Signal>& signals, std::string_view tag) {
    for (const Signal& s : signals) {
        if (s.weight > kGoalWeight && s.tag == tag) return &s;
    }
    return nullptr;
}

// Why a candidate cannot be offered to this player now, or nullopt when it can.
std::optional<std::string> Unsuitable(const Technique* t, const CandidateBeat& beat,
                                      const PlannerInput& in, const std::vector<Signal>& signals) {
    if (t == nullptr) return fmt::format("'{}' is not in the catalogue", beat.technique_id);
    if (ContainsText(in.pacing.declined_techniques, t->id)) {
        return std::string("declined earlier this session");
    }
    if (t->intensity > in.profile.max_intensity) {
        return fmt::format("{} is above the profile's {} intensity", Name(t->intensity),
                           Name(in.profile.max_intensity));
    }
    for (const auto* tags : {&beat.content_tags, &t->content_tags}) {
        for (const std::string& tag : *tags) {
            if (TouchedTopic(tag, in.profile.topics_to_avoid) != nullptr) {
                return fmt::format("touches '{}', a topic to avoid", tag);
            }
        }
    }
    for (const Contraindication& ci : t->when_not_to_use) {
        for (const std::string& condition : ci.conditions) {
            if (ContainsText(in.profile.conditions, condition)) {
                return fmt::format("not with {}", condition);
            }
        }
        for (const std::string& cue : ci.cues) {
            if (const Signal* s = CurrentSignalFor(signals, cue)) {
                return fmt::format("not during {} ({})", cue, s->says);
            }
        }
    }
    return std::nullopt;
}

struct Scored {
    const CandidateBeat* beat = nullptr;
    const Technique* technique = nullptr;
    int score = 0;
    bool current_need = false;  // a cue or check-in calls for it
    bool goal_match = false;
    bool preferred = false;
    std::vector<std::string> because;  // the matched signals, strongest first, no repeats
};

Scored ScoreCandidate(const CandidateBeat& beat, const Technique& t, const PlannerInput& in,
                      const std::vector<Signal>& signals) {
    Scored s;
    s.beat = &beat;
    s.technique = &t;
    std::vector<std::string> counted_tags;
    for (const Signal& signal : signals) {
        if (!t.HelpsWith(signal.tag)) continue;
        if (!ContainsText(counted_tags, signal.tag)) {
            // Each tag counts once, at its strongest signal (signals come strongest first).
            counted_tags.push_back(signal.tag);
            s.score += signal.weight;
        }
        s.current_need = s.current_need || signal.weight > kGoalWeight;
        s.goal_match = s.goal_match || signal.weight == kGoalWeight;
        if (!ContainsText(s.because, signal.says)) s.because.push_back(signal.says);
    }
    s.preferred = Contains(in.profile.preferred_frameworks, t.framework);
    if (s.preferred) s.score += kPreferredFrameworkBonus;
    // Variety: each earlier offer of the same technique this session counts against it.
    s.score -= static_cast<int>(std::count(in.pacing.offered_techniques.begin(),
                                           in.pacing.offered_techniques.end(), t.id));
    return s;
}

// The highest score wins; ties go to the beat the world listed first.
const Scored* Best(const std::vector<Scored>& scored, bool (*eligible)(const Scored&)) {
    const Scored* best = nullptr;
    for (const Scored& s : scored) {
        if (eligible(s) && (best == nullptr || s.score > best->score)) best = &s;
    }
    return best;
}

std::string GapText(const PacingState& pacing) {
    if (!pacing.turns_since_last_offer) return "first beat this session";
    const int gap = *pacing.turns_since_last_offer;
    return fmt::format("{} turn{} since last beat", gap, gap == 1 ? "" : "s");
}

BeatDecision Offer(const Scored& s, const std::string& opening, const PlannerInput& in) {
    std::vector<std::string> parts;
    if (!opening.empty()) parts.push_back(opening);
    for (const std::string& b : s.because) parts.push_back(b);
    if (s.preferred) {
        parts.push_back(fmt::format("profile prefers {}", Label(s.technique->framework)));
    }
    parts.push_back(GapText(in.pacing));
    BeatDecision d;
    d.beat_id = s.beat->id;
    d.technique_id = s.technique->id;
    d.reason =
        fmt::format("offered {} (beat {}): {}", s.technique->id, s.beat->id, Join(parts, "; "));
    return d;
}

BeatDecision None(std::string why, std::vector<std::string> skipped = {}) {
    BeatDecision d;
    d.reason = "no beat: " + std::move(why);
    d.skipped = std::move(skipped);
    return d;
}

}  // namespace

Status ValidateProfile(const Catalogue& catalogue, const TherapeuticProfile& profile) {
    for (const std::string& goal : profile.goals) {
        if (!catalogue.HasTag(goal)) {
            std::vector<std::string> ids;
            for (const Term& t : catalogue.tags) ids.push_back(t.id);
            return Error::Invalid(fmt::format("goal '{}' is not one of: {}", goal,
                                              Join(ids, ", ")));
        }
    }
    for (const std::string& condition : profile.conditions) {
        if (!catalogue.HasCondition(condition)) {
            std::vector<std::string> ids;
            for (const Term& t : catalogue.conditions) ids.push_back(t.id);
            return Error::Invalid(fmt::format("condition '{}' is not one of: {}", condition,
                                              Join(ids, ", ")));
        }
    }
    for (const std::string& topic : profile.topics_to_avoid) {
        if (topic.empty()) return Error::Invalid("a topic to avoid must not be empty");
    }
    return Ok();
}

BeatPlanner::BeatPlanner(const Catalogue& catalogue, PlannerPolicy policy)
    : catalogue_(catalogue), policy_(policy) {}

BeatDecision BeatPlanner::Decide(const PlannerInput& in) const {
    const PacingState& pacing = in.pacing;
    if (in.crisis) {
        return None("a crisis path is active; techniques wait until the player is safe");
    }
    if (pacing.offered > pacing.completed + pacing.declined) {
        return None("the beat offered earlier is still open");
    }
    if (pacing.declined >= policy_.max_declines_per_session) {
        return None(fmt::format(
            "the player declined {} beats this session; no more offers until the next session",
            pacing.declined));
    }
    if (pacing.offered >= policy_.max_offers_per_session) {
        return None(fmt::format("{} beats already offered this session", pacing.offered));
    }
    if (in.candidates.empty()) return None("no beats are available here");

    const std::vector<Signal> signals = CollectSignals(catalogue_, policy_, in);
    std::vector<std::string> skipped;
    std::vector<Scored> scored;
    for (const CandidateBeat& beat : in.candidates) {
        const Technique* t = catalogue_.FindTechnique(beat.technique_id);
        if (auto why = Unsuitable(t, beat, in, signals)) {
            skipped.push_back(fmt::format("{} ({}): {}", beat.id, beat.technique_id, *why));
            continue;
        }
        scored.push_back(ScoreCandidate(beat, *t, in, signals));
    }
    if (scored.empty()) {
        return None("nothing here suits the player now: " + Join(skipped, "; "), skipped);
    }

    const int gap = pacing.turns_since_last_offer.value_or(pacing.turns_this_session);
    const bool first_offer = !pacing.turns_since_last_offer.has_value();

    // Beats the author placed are part of the story: they need no cue and only a short gap.
    if (const Scored* fixed = Best(scored, [](const Scored& s) { return s.beat->fixed; })) {
        if (!first_offer && gap < policy_.fixed_beat_gap_turns) {
            return None(fmt::format("{}; a placed beat waits at least {} turns", GapText(pacing),
                                    policy_.fixed_beat_gap_turns),
                        skipped);
        }
        BeatDecision d = Offer(*fixed, "placed here by the world's author", in);
        d.skipped = std::move(skipped);
        return d;
    }

    const int cooldown = policy_.cooldown_turns + policy_.cooldown_per_decline * pacing.declined;
    if (!first_offer && gap < cooldown) {
        std::string wait = fmt::format("{}; waiting for {}", GapText(pacing), cooldown);
        if (pacing.declined > 0) {
            wait += fmt::format(" ({} plus {} for each of {} declined)", policy_.cooldown_turns,
                                policy_.cooldown_per_decline, pacing.declined);
        }
        return None(wait, skipped);
    }

    if (const Scored* best = Best(scored, [](const Scored& s) { return s.current_need; })) {
        BeatDecision d = Offer(*best, "", in);
        d.skipped = std::move(skipped);
        return d;
    }
    // No cue or check-in calls for anything; after a long quiet stretch, practise a goal.
    if (gap >= policy_.practice_after_turns) {
        if (const Scored* best = Best(scored, [](const Scored& s) { return s.goal_match; })) {
            BeatDecision d = Offer(*best, "no recent cue, practice after a quiet stretch", in);
            d.skipped = std::move(skipped);
            return d;
        }
    }
    return None("no recent cue, check-in or due practice calls for the beats here", skipped);
}

}  // namespace tta::therapy
