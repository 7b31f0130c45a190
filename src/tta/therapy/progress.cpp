#include "tta/therapy/progress.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tta::therapy {

namespace {

std::vector<const MoodCheckIn*> ByTime(std::span<const MoodCheckIn> check_ins) {
    std::vector<const MoodCheckIn*> sorted;
    for (const MoodCheckIn& c : check_ins) sorted.push_back(&c);
    std::stable_sort(sorted.begin(), sorted.end(), [](const MoodCheckIn* a, const MoodCheckIn* b) {
        return a->at_ms != b->at_ms ? a->at_ms < b->at_ms : a->turn < b->turn;
    });
    return sorted;
}

std::string Times(int n) {
    if (n == 1) return "once";
    if (n == 2) return "twice";
    return fmt::format("{} times", n);
}

// "Box breathing (finished)", "Worry time (started)", "Box breathing (3 times, finished 2)".
std::string DescribeSkill(const SkillSummary& s, const Catalogue& catalogue) {
    const Technique* t = catalogue.FindTechnique(s.technique_id);
    const std::string name = t != nullptr ? t->name : s.technique_id;
    if (s.practised == 1) return fmt::format("{} ({})", name, s.completed ? "finished" : "started");
    if (s.completed == s.practised) {
        return fmt::format("{} ({}, finished)", name, Times(s.practised));
    }
    return fmt::format("{} ({}, finished {})", name, Times(s.practised),
                       s.completed == 0 ? "none yet" : Times(s.completed));
}

std::string JoinAnd(const std::vector<std::string>& parts) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
        out += parts[i];
    }
    return out;
}

}  // namespace

std::vector<SkillSummary> SummariseSkills(std::span<const SkillPractice> practices) {
    std::vector<const SkillPractice*> sorted;
    for (const SkillPractice& p : practices) sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const SkillPractice* a, const SkillPractice* b) {
                         return a->at_ms != b->at_ms ? a->at_ms < b->at_ms : a->turn < b->turn;
                     });
    std::vector<SkillSummary> out;
    for (const SkillPractice* p : sorted) {
        auto it = std::find_if(out.begin(), out.end(), [&](const SkillSummary& s) {
            return s.technique_id == p->technique_id;
        });
        if (it == out.end()) {
            out.push_back({p->technique_id, 0, 0, p->at_ms, p->at_ms});
            it = std::prev(out.end());
        }
        it->practised += 1;
        it->completed += p->completed ? 1 : 0;
        it->last_at_ms = p->at_ms;
    }
    return out;
}

std::optional<MoodTrend> ComputeMoodTrend(std::span<const MoodCheckIn> check_ins) {
    if (check_ins.empty()) return std::nullopt;
    const std::vector<const MoodCheckIn*> sorted = ByTime(check_ins);
    MoodTrend t;
    t.count = static_cast<int>(sorted.size());
    t.first = sorted.front()->score;
    t.last = sorted.back()->score;
    t.first_at_ms = sorted.front()->at_ms;
    t.last_at_ms = sorted.back()->at_ms;
    t.lowest = t.highest = t.first;
    double sum = 0;
    for (const MoodCheckIn* c : sorted) {
        sum += c->score;
        t.lowest = std::min(t.lowest, c->score);
        t.highest = std::max(t.highest, c->score);
    }
    t.average = sum / t.count;
    // Least squares over x = 0, 1, ..., n-1.
    const double mean_x = (t.count - 1) / 2.0;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < t.count; ++i) {
        sxy += (i - mean_x) * (sorted[i]->score - t.average);
        sxx += (i - mean_x) * (i - mean_x);
    }
    t.slope_per_check_in = sxx > 0 ? sxy / sxx : 0;
    return t;
}

Result<std::vector<MeasureSeries>> MeasuresOverTime(std::span<const MeasureRecord> records) {
    std::vector<MeasureSeries> out;
    for (MeasureId id : {MeasureId::kPhq9, MeasureId::kGad7}) {
        std::vector<const MeasureRecord*> mine;
        for (const MeasureRecord& r : records) {
            if (r.measure == id) mine.push_back(&r);
        }
        if (mine.empty()) continue;
        std::stable_sort(mine.begin(), mine.end(), [](const MeasureRecord* a,
                                                      const MeasureRecord* b) {
            return a->at_ms < b->at_ms;
        });
        MeasureSeries series;
        series.measure = id;
        for (const MeasureRecord* r : mine) {
            auto score = Score(id, r->answers);
            if (!score) {
                return Error::Internal(fmt::format("stored {} record at {} does not score: {}",
                                                   Name(id), r->at_ms, score.error().message));
            }
            series.points.push_back({r->at_ms, score->total, score->severity, score->item9_flag});
        }
        series.first_total = series.points.front().total;
        series.last_total = series.points.back().total;
        series.change = series.last_total - series.first_total;
        out.push_back(std::move(series));
    }
    return out;
}

SessionSummary BuildSessionSummary(const SessionRecord& session) {
    SessionSummary s;
    s.session_id = session.session_id;
    s.turns = session.turns;
    s.duration_ms = std::max<std::int64_t>(0, session.ended_at_ms - session.started_at_ms);
    std::vector<std::string> places = session.places_visited;
    std::sort(places.begin(), places.end());
    s.places_visited =
        static_cast<int>(std::unique(places.begin(), places.end()) - places.begin());
    s.techniques = SummariseSkills(session.practices);
    const std::vector<const MoodCheckIn*> check_ins = ByTime(session.check_ins);
    if (!check_ins.empty()) s.mood_before = check_ins.front()->score;
    if (check_ins.size() >= 2) s.mood_after = check_ins.back()->score;
    return s;
}

std::string DescribeSession(const SessionSummary& summary, const Catalogue& catalogue) {
    std::vector<std::string> sentences;
    sentences.push_back(fmt::format("You visited {} place{} in {} turn{}.",
                                    summary.places_visited,
                                    summary.places_visited == 1 ? "" : "s", summary.turns,
                                    summary.turns == 1 ? "" : "s"));
    if (!summary.techniques.empty()) {
        std::vector<std::string> skills;
        for (const SkillSummary& s : summary.techniques) {
            skills.push_back(DescribeSkill(s, catalogue));
        }
        sentences.push_back(fmt::format("You practised {}.", JoinAnd(skills)));
    }
    if (summary.mood_before && summary.mood_after) {
        sentences.push_back(fmt::format("Your mood went from {} to {} out of {}.",
                                        *summary.mood_before, *summary.mood_after, kMaxMood));
        if (*summary.mood_after < *summary.mood_before) {
            sentences.push_back(
                "Some sessions are harder than others. Thank you for checking in honestly.");
        }
    } else if (summary.mood_before) {
        sentences.push_back(
            fmt::format("You checked in at {} out of {}.", *summary.mood_before, kMaxMood));
    }
    std::string out;
    for (const std::string& s : sentences) {
        if (!out.empty()) out += ' ';
        out += s;
    }
    return out;
}

}  // namespace tta::therapy
