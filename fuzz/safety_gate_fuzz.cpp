// Arbitrary bytes never crash the safety gates, and what they report always points at bytes
// that exist: run with the `fuzz` preset, corpus in fuzz/corpus/safety/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tta/core/utf8.hpp"
#include "tta/safety/input_gate.hpp"
#include "tta/safety/normalize.hpp"
#include "tta/safety/output_gate.hpp"
#include "tta/safety/safety_plan.hpp"

namespace {

void Check(bool ok) {
    if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::string sanitized = tta::SanitizeUtf8(input);

    const tta::safety::NormalizedText norm = tta::safety::Normalize(sanitized);
    Check(norm.begin.size() == norm.text.size() && norm.end.size() == norm.text.size());
    for (std::size_t i = 0; i < norm.text.size(); ++i) {
        Check(norm.begin[i] < norm.end[i] && norm.end[i] <= sanitized.size());
    }

    const tta::safety::Assessment a = tta::safety::InputGate::Embedded().Classify(input);
    Check(a.evidence.empty() == (a.level == tta::safety::Level::kNone));
    for (const tta::safety::Evidence& e : a.evidence) {
        Check(e.begin < e.end && e.end <= sanitized.size());
        Check(sanitized.compare(e.begin, e.end - e.begin, e.text) == 0);
        Check(e.level <= a.level);
    }
    Check(tta::IsValidUtf8(tta::safety::AssessmentToJson(a)));

    const tta::safety::OutputVerdict v = tta::safety::OutputGate::Embedded().Check(input);
    Check(v.safe == v.findings.empty());
    for (const tta::safety::OutputFinding& f : v.findings) {
        Check(f.begin < f.end && f.end <= sanitized.size());
        Check(sanitized.compare(f.begin, f.end - f.begin, f.text) == 0);
    }

    // Safety plans arrive as JSON from players: a parse either fails cleanly or round-trips.
    if (auto plan = tta::safety::SafetyPlanFromJson(input)) {
        auto again = tta::safety::SafetyPlanFromJson(tta::safety::SafetyPlanToJson(*plan));
        Check(again && *again == *plan);
    }
    return 0;
}
