#include "tta/therapy/measures.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>

namespace tta::therapy {

namespace {

// Wording as published with the instruments (Pfizer PHQ screeners, phqscreeners.com).
constexpr std::array<std::string_view, 9> kPhq9Items{
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself \u2014 or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite \u2014 "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
};

constexpr std::array<std::string_view, 7> kGad7Items{
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid, as if something awful might happen",
};

constexpr std::array<ResponseOption, 4> kOptions{{
    {0, "Not at all"},
    {1, "Several days"},
    {2, "More than half the days"},
    {3, "Nearly every day"},
}};

// Kroenke et al. (2001), table 3: cut points 5, 10, 15 and 20.
constexpr std::array<SeverityBand, 5> kPhq9Bands{{
    {0, 4, Severity::kMinimal},
    {5, 9, Severity::kMild},
    {10, 14, Severity::kModerate},
    {15, 19, Severity::kModeratelySevere},
    {20, 27, Severity::kSevere},
}};

// Spitzer et al. (2006): cut points 5, 10 and 15.
constexpr std::array<SeverityBand, 4> kGad7Bands{{
    {0, 4, Severity::kMinimal},
    {5, 9, Severity::kMild},
    {10, 14, Severity::kModerate},
    {15, 21, Severity::kSevere},
}};

constexpr MeasureDefinition kPhq9{
    MeasureId::kPhq9,
    "PHQ-9",
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    kPhq9Items,
    kOptions,
    kPhq9Bands,
    "Kroenke K, Spitzer RL, Williams JBW (2001). The PHQ-9: validity of a brief depression "
    "severity measure. Journal of General Internal Medicine 16(9):606-613.",
};

constexpr MeasureDefinition kGad7{
    MeasureId::kGad7,
    "GAD-7",
    "Over the last 2 weeks, how often have you been bothered by the following problems?",
    kGad7Items,
    kOptions,
    kGad7Bands,
    "Spitzer RL, Kroenke K, Williams JBW, L\u00f6we B (2006). A brief measure for assessing "
    "generalized anxiety disorder: the GAD-7. Archives of Internal Medicine 166(10):1092-1097.",
};

// PHQ-9 item 9 is the ninth item, index 8.
constexpr std::size_t kPhq9SelfHarmItem = 8;

}  // namespace

std::string_view Name(MeasureId id) {
    switch (id) {
        case MeasureId::kPhq9: return "phq9";
        case MeasureId::kGad7: return "gad7";
    }
    return "unknown";
}

Result<MeasureId> ParseMeasureId(std::string_view name) {
    if (name == "phq9") return MeasureId::kPhq9;
    if (name == "gad7") return MeasureId::kGad7;
    return Error::Invalid(fmt::format("unknown measure '{}' (expected phq9 or gad7)", name));
}

std::string_view Name(Severity s) {
    switch (s) {
        case Severity::kMinimal: return "minimal";
        case Severity::kMild: return "mild";
        case Severity::kModerate: return "moderate";
        case Severity::kModeratelySevere: return "moderately_severe";
        case Severity::kSevere: return "severe";
    }
    return "unknown";
}

std::string_view Label(Severity s) {
    if (s == Severity::kModeratelySevere) return "moderately severe";
    return Name(s);
}

const MeasureDefinition& Definition(MeasureId id) {
    return id == MeasureId::kPhq9 ? kPhq9 : kGad7;
}

Result<Severity> SeverityFor(MeasureId id, int total) {
    const MeasureDefinition& def = Definition(id);
    for (const SeverityBand& band : def.bands) {
        if (total >= band.min_total && total <= band.max_total) return band.severity;
    }
    return Error::Invalid(fmt::format("a {} total must be between 0 and {}, not {}", def.title,
                                      def.MaxTotal(), total));
}

Result<MeasureScore> Score(MeasureId id, std::span<const int> answers) {
    const MeasureDefinition& def = Definition(id);
    if (answers.size() != def.items.size()) {
        return Error::Invalid(fmt::format("{} needs {} answers, one per question, but got {}",
                                          def.title, def.items.size(), answers.size()));
    }
    MeasureScore score;
    score.measure = id;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        if (answers[i] < 0 || answers[i] > 3) {
            return Error::Invalid(fmt::format(
                "{} answer {} is {}; each answer must be 0, 1, 2 or 3 (0 = not at all, "
                "3 = nearly every day)",
                def.title, i + 1, answers[i]));
        }
        score.total += answers[i];
    }
    score.answers.assign(answers.begin(), answers.end());
    auto severity = SeverityFor(id, score.total);
    if (!severity) return severity.error();
    score.severity = *severity;
    score.item9_flag = id == MeasureId::kPhq9 && answers[kPhq9SelfHarmItem] > 0;
    return score;
}

Result<std::vector<int>> ParseAnswers(std::string_view text) {
    if (text.find_first_not_of(" \t") == std::string_view::npos) {
        return Error::Invalid("no answers given; write them as numbers separated by commas, e.g. "
                              "0,1,2,3");
    }
    std::vector<int> answers;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        std::string_view part = text.substr(start, comma == std::string_view::npos
                                                       ? std::string_view::npos
                                                       : comma - start);
        const auto first = part.find_first_not_of(" \t");
        const auto last = part.find_last_not_of(" \t");
        part = first == std::string_view::npos ? std::string_view{}
                                               : part.substr(first, last - first + 1);
        int value = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (part.empty() || ec != std::errc{} || end != part.data() + part.size()) {
            return Error::Invalid(fmt::format(
                "answer {} is '{}'; write the answers as numbers separated by commas, e.g. "
                "0,1,2,3",
                answers.size() + 1, part));
        }
        answers.push_back(value);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return answers;
}

}  // namespace tta::therapy
