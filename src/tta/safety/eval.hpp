// tta::safety evaluation: scores the input gate against a labelled file of `level<TAB>text`
// lines (`#` comments), as `tta safety eval` prints it. A held-out file judges the rules;
// docs/safety.md records the figures.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/safety/input_gate.hpp"
#include "tta/safety/types.hpp"

namespace tta::safety {

struct LabelledLine {
    int line = 0;  // 1-based line in the file
    Level expected = Level::kNone;
    std::string text;
};

// Parses `level<TAB>text` lines; blank lines and lines starting with '#' are skipped. Errors
// read "source:line: message".
Result<std::vector<LabelledLine>> ParseLabelledLines(std::string_view content,
                                                     std::string_view source);

struct EvalMiss {
    LabelledLine line;
    Level predicted = Level::kNone;
};

struct EvalReport {
    // confusion[expected][predicted], indexed by Level.
    std::array<std::array<int, 4>, 4> confusion{};
    std::vector<EvalMiss> misses;  // every line whose predicted level differs

    int Total() const;
    int Correct() const;
    // Of lines labelled high or imminent, the share predicted high or imminent.
    double CrisisRecall() const;
    // Of lines labelled concern, high or imminent, the share predicted anything but none.
    double OverallRecall() const;
    // Of lines labelled none, the share predicted anything but none.
    double FalseAlarmRate() const;
    // Of lines labelled none or concern, the share predicted high or imminent: a crisis reply
    // where none was owed.
    double CrisisFalseAlarmRate() const;
};

EvalReport Evaluate(const InputGate& gate, const std::vector<LabelledLine>& lines);

// The human-readable report: matrix, rates with counts, and (when show_misses) each miss.
std::string FormatEvalReport(const EvalReport& report, bool show_misses);

}  // namespace tta::safety
