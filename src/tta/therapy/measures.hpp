// tta::therapy measures: the PHQ-9 (depression) and GAD-7 (anxiety) questionnaires with their
// standard wording, 0-3 answers, totals and severity bands, and the PHQ-9 item 9 flag that
// starts the safety response. Sources: Kroenke, Spitzer & Williams (2001), "The PHQ-9:
// validity of a brief depression severity measure", J Gen Intern Med 16(9):606-613; Spitzer,
// Kroenke, Williams & Löwe (2006), "A brief measure for assessing generalized anxiety
// disorder: the GAD-7", Arch Intern Med 166(10):1092-1097. Both are free to reproduce.
// Scores describe symptoms over two weeks; they are not a diagnosis.
#pragma once

#include "tta/core/error.hpp"

#include <span>
#include <string_view>
#include <vector>

namespace tta::therapy {

enum class MeasureId { kPhq9, kGad7 };
enum class Severity { kMinimal, kMild, kModerate, kModeratelySevere, kSevere };

// "phq9" / "gad7": the names used on the command line, in JSON and in stored records.
std::string_view Name(MeasureId id);
Result<MeasureId> ParseMeasureId(std::string_view name);
// "minimal", "mild", "moderate", "moderately_severe", "severe".
std::string_view Name(Severity s);
// For people: "moderately severe".
std::string_view Label(Severity s);

struct ResponseOption {
    int value;
    std::string_view text;
};

struct SeverityBand {
    int min_total;
    int max_total;
    Severity severity;
};

struct MeasureDefinition {
    MeasureId id;
    std::string_view title;  // "PHQ-9"
    std::string_view stem;   // the question every item answers
    std::span<const std::string_view> items;
    std::span<const ResponseOption> options;  // 0..3, the same for every item
    std::span<const SeverityBand> bands;      // cover 0..max_total without gaps
    std::string_view reference;
    int MaxTotal() const { return static_cast<int>(items.size()) * 3; }
};

const MeasureDefinition& Definition(MeasureId id);

struct MeasureScore {
    MeasureId measure = MeasureId::kPhq9;
    std::vector<int> answers;
    int total = 0;
    Severity severity = Severity::kMinimal;
    // PHQ-9 only: item 9 ("thoughts that you would be better off dead, or of hurting yourself")
    // was answered above 0. The engine starts the safety response whenever this is true,
    // whatever the total.
    bool item9_flag = false;
};

// Scores a full set of answers. Fails with an Invalid error naming the problem when the number
// of answers is wrong or an answer is outside 0..3; nothing is ever guessed or filled in.
Result<MeasureScore> Score(MeasureId id, std::span<const int> answers);
// The band a total falls in; total must lie in 0..MaxTotal().
Result<Severity> SeverityFor(MeasureId id, int total);
// Parses answers written as "0,1,2,3" (spaces around commas are allowed).
Result<std::vector<int>> ParseAnswers(std::string_view text);

}  // namespace tta::therapy
