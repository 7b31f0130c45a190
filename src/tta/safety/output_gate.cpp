#include "tta/safety/output_gate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "tta/core/utf8.hpp"
#include "tta/safety/embedded.hpp"
#include "tta/safety/normalize.hpp"
#include "tta/safety/yaml_support.hpp"

namespace tta::safety {
namespace {

using detail::YamlReader;

constexpr std::string_view kReasons[] = {"self_harm_method",      "self_harm_encouragement",
                                         "medication_dosing",     "eating_disorder_promotion",
                                         "substance_instructions", "slur"};

Status ReadCommon(const YamlReader& r, const detail::Lexicons& lex, const YAML::Node& n,
                  std::set<std::string>& ids, std::string& id, std::string& pattern,
                  std::vector<std::string>& examples) {
    auto i = r.String(n, "id");
    if (!i) return i.error();
    if (!detail::IsValidId(*i)) return r.Fail(n["id"], fmt::format("bad id '{}'", *i));
    if (!ids.insert(*i).second) return r.Fail(n["id"], fmt::format("duplicate id '{}'", *i));
    auto p = r.String(n, "pattern");
    if (!p) return p.error();
    auto expanded = lex.Expand(*p);
    if (!expanded) return r.Fail(n["pattern"], expanded.error().message);
    if (auto st = detail::CheckPattern(*expanded); !st) {
        return r.Fail(n["pattern"], st.error().message);
    }
    auto ex = r.StringList(n, "examples");
    if (!ex) return ex.error();
    if (ex->empty()) return r.Fail(n, fmt::format("'{}' needs at least one entry in 'examples'", *i));
    id = *i;
    pattern = std::move(*expanded);
    examples = std::move(*ex);
    return Ok();
}

}  // namespace

std::vector<std::string> OutputVerdict::Reasons() const {
    std::vector<std::string> out;
    for (const OutputFinding& f : findings) {
        if (std::find(out.begin(), out.end(), f.reason) == out.end()) out.push_back(f.reason);
    }
    return out;
}

Result<OutputRuleSet> ParseOutputRules(std::string_view yaml, std::string_view source) {
    const YamlReader r(source);
    auto doc_r = r.Parse(yaml);
    if (!doc_r) return doc_r.error();
    const YAML::Node doc = *doc_r;
    if (!doc.IsMap()) return r.Fail(1, "expected a mapping");
    if (auto st = r.OnlyKeys(doc, {"version", "fallback", "lexicons", "guards", "rules"}); !st) {
        return st.error();
    }
    OutputRuleSet set;
    set.source = std::string(source);
    auto version = r.String(doc, "version");
    if (!version) return version.error();
    auto fallback = r.String(doc, "fallback");
    if (!fallback) return fallback.error();
    if (fallback->empty()) return r.Fail(doc["fallback"], "'fallback' is empty");
    set.version = *version;
    set.fallback = *fallback;
    detail::Lexicons lex;
    if (auto st = lex.Read(r, doc["lexicons"]); !st) return st.error();
    std::set<std::string> ids;
    if (const YAML::Node guards = doc["guards"]) {
        if (!guards.IsSequence()) return r.Fail(guards, "'guards' must be a list");
        for (const YAML::Node& n : guards) {
            if (auto st = r.OnlyKeys(n, {"id", "pattern", "examples"}); !st) return st.error();
            OutputGuard g;
            g.line = r.Line(n);
            if (auto st = ReadCommon(r, lex, n, ids, g.id, g.pattern, g.examples); !st) {
                return st.error();
            }
            set.guards.push_back(std::move(g));
        }
    }
    const YAML::Node rules = doc["rules"];
    if (!rules || !rules.IsSequence() || rules.size() == 0) {
        return r.Fail(rules ? rules : doc, "'rules' must be a non-empty list");
    }
    for (const YAML::Node& n : rules) {
        if (auto st = r.OnlyKeys(n, {"id", "reason", "pattern", "examples", "not"}); !st) {
            return st.error();
        }
        OutputRule rule;
        rule.line = r.Line(n);
        if (auto st = ReadCommon(r, lex, n, ids, rule.id, rule.pattern, rule.examples); !st) {
            return st.error();
        }
        auto reason = r.String(n, "reason");
        if (!reason) return reason.error();
        if (std::find(std::begin(kReasons), std::end(kReasons), *reason) == std::end(kReasons)) {
            return r.Fail(n["reason"], fmt::format("unknown reason '{}'", *reason));
        }
        rule.reason = *reason;
        auto counter = r.StringList(n, "not");
        if (!counter) return counter.error();
        rule.counter_examples = std::move(*counter);
        set.rules.push_back(std::move(rule));
    }
    return set;
}

const OutputRuleSet& EmbeddedOutputRules() {
    static const OutputRuleSet rules = [] {
        auto r = ParseOutputRules(embedded::OutputRulesYaml(),
                                  "data/safety/output_rules.yaml (embedded)");
        if (!r) {
            fmt::print(stderr, "tta: embedded output rules are invalid: {}\n", r.error().message);
            std::abort();
        }
        return std::move(*r);
    }();
    return rules;
}

Result<OutputGate> OutputGate::Create(OutputRuleSet rules) {
    detail::PatternSet patterns;
    for (const OutputGuard& g : rules.guards) {
        auto r = patterns.Add(g.pattern, fmt::format("{}:{}: {}", rules.source, g.line, g.id));
        if (!r) return r.error();
    }
    for (const OutputRule& rule : rules.rules) {
        auto r = patterns.Add(rule.pattern, fmt::format("{}:{}: {}", rules.source, rule.line, rule.id));
        if (!r) return r.error();
    }
    if (auto st = patterns.Compile(); !st) return st.error();
    return OutputGate(std::move(rules), std::move(patterns));
}

const OutputGate& OutputGate::Embedded() {
    static const OutputGate gate = [] {
        auto g = Create(EmbeddedOutputRules());
        if (!g) {
            fmt::print(stderr, "tta: embedded output rules do not compile: {}\n",
                       g.error().message);
            std::abort();
        }
        return std::move(*g);
    }();
    return gate;
}

OutputVerdict OutputGate::Check(std::string_view input) const {
    OutputVerdict v;
    const std::string source = SanitizeUtf8(input);
    const NormalizedText norm = Normalize(source);
    const std::vector<detail::PatternHit> hits = patterns_.FindAll(norm.text);
    const int guard_count = static_cast<int>(rules_.guards.size());
    for (const detail::PatternHit& h : hits) {
        if (h.pattern < guard_count) continue;
        const bool guarded = std::any_of(hits.begin(), hits.end(), [&](const detail::PatternHit& g) {
            return g.pattern < guard_count && g.begin < h.end && h.begin < g.end;
        });
        if (guarded) continue;
        const OutputRule& rule = rules_.rules[h.pattern - guard_count];
        const auto [b, e] = norm.SourceSpan(h.begin, h.end);
        v.findings.push_back({rule.id, rule.reason, b, e, source.substr(b, e - b)});
    }
    std::sort(v.findings.begin(), v.findings.end(),
              [](const OutputFinding& a, const OutputFinding& b) { return a.begin < b.begin; });
    v.safe = v.findings.empty();
    return v;
}

}  // namespace tta::safety
