#include "tta/safety/eval.hpp"

#include <fmt/format.h>

namespace tta::safety {
namespace {

double Ratio(int num, int den) { return den == 0 ? 0.0 : static_cast<double>(num) / den; }

int Sum(const EvalReport& r, std::initializer_list<Level> expected,
        std::initializer_list<Level> predicted) {
    int n = 0;
    for (Level e : expected) {
        for (Level p : predicted) n += r.confusion[static_cast<int>(e)][static_cast<int>(p)];
    }
    return n;
}

constexpr std::initializer_list<Level> kAll = {Level::kNone, Level::kConcern, Level::kHigh,
                                               Level::kImminent};
constexpr std::initializer_list<Level> kCrisis = {Level::kHigh, Level::kImminent};
constexpr std::initializer_list<Level> kFlagged = {Level::kConcern, Level::kHigh,
                                                   Level::kImminent};

}  // namespace

Result<std::vector<LabelledLine>> ParseLabelledLines(std::string_view content,
                                                     std::string_view source) {
    std::vector<LabelledLine> out;
    int n = 0;
    while (!content.empty()) {
        ++n;
        const auto nl = content.find('\n');
        std::string_view line = content.substr(0, nl);
        content = nl == std::string_view::npos ? std::string_view() : content.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        const auto tab = line.find('\t');
        if (tab == std::string_view::npos) {
            return Error::Invalid(fmt::format("{}:{}: expected level<TAB>text", source, n));
        }
        const auto level = ParseLevel(line.substr(0, tab));
        if (!level) {
            return Error::Invalid(fmt::format("{}:{}: unknown level '{}'", source, n,
                                              line.substr(0, tab)));
        }
        out.push_back({n, *level, std::string(line.substr(tab + 1))});
    }
    return out;
}

int EvalReport::Total() const { return Sum(*this, kAll, kAll); }

int EvalReport::Correct() const {
    int n = 0;
    for (int i = 0; i < 4; ++i) n += confusion[i][i];
    return n;
}

double EvalReport::CrisisRecall() const {
    return Ratio(Sum(*this, kCrisis, kCrisis), Sum(*this, kCrisis, kAll));
}

double EvalReport::OverallRecall() const {
    return Ratio(Sum(*this, kFlagged, kFlagged), Sum(*this, kFlagged, kAll));
}

double EvalReport::FalseAlarmRate() const {
    return Ratio(Sum(*this, {Level::kNone}, kFlagged), Sum(*this, {Level::kNone}, kAll));
}

double EvalReport::CrisisFalseAlarmRate() const {
    return Ratio(Sum(*this, {Level::kNone, Level::kConcern}, kCrisis),
                 Sum(*this, {Level::kNone, Level::kConcern}, kAll));
}

EvalReport Evaluate(const InputGate& gate, const std::vector<LabelledLine>& lines) {
    EvalReport r;
    for (const LabelledLine& l : lines) {
        const Level got = gate.Classify(l.text).level;
        ++r.confusion[static_cast<int>(l.expected)][static_cast<int>(got)];
        if (got != l.expected) r.misses.push_back({l, got});
    }
    return r;
}

std::string FormatEvalReport(const EvalReport& r, bool show_misses) {
    std::string s = "expected \\ predicted   none  concern     high imminent\n";
    for (Level e : kAll) {
        s += fmt::format("{:<21}", LevelName(e));
        for (Level p : kAll) {
            s += fmt::format("{:>8} ", r.confusion[static_cast<int>(e)][static_cast<int>(p)]);
        }
        s += '\n';
    }
    auto line = [&](std::string_view name, double v, int num, int den) {
        s += fmt::format("{:<40}{:>7.1f}%  ({}/{})\n", name, 100.0 * v, num, den);
    };
    line("exact level", Ratio(r.Correct(), r.Total()), r.Correct(), r.Total());
    line("recall high+imminent (as high|imminent)", r.CrisisRecall(), Sum(r, kCrisis, kCrisis),
         Sum(r, kCrisis, kAll));
    line("overall crisis recall (flagged at all)", r.OverallRecall(), Sum(r, kFlagged, kFlagged),
         Sum(r, kFlagged, kAll));
    line("false alarms on none lines", r.FalseAlarmRate(), Sum(r, {Level::kNone}, kFlagged),
         Sum(r, {Level::kNone}, kAll));
    line("crisis replies not owed (none|concern)", r.CrisisFalseAlarmRate(),
         Sum(r, {Level::kNone, Level::kConcern}, kCrisis),
         Sum(r, {Level::kNone, Level::kConcern}, kAll));
    if (show_misses && !r.misses.empty()) {
        s += "\nmisses (line: expected -> predicted: text)\n";
        for (const EvalMiss& m : r.misses) {
            s += fmt::format("{}: {} -> {}: {}\n", m.line.line, LevelName(m.line.expected),
                             LevelName(m.predicted), m.line.text);
        }
    }
    return s;
}

}  // namespace tta::safety
