#include "tta/safety/rules.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "tta/safety/embedded.hpp"
#include "tta/safety/yaml_support.hpp"

namespace tta::safety {
namespace {

using detail::YamlReader;

Result<std::vector<Category>> ReadCategories(const YamlReader& r, const YAML::Node& node,
                                             const char* key) {
    auto names = r.StringList(node, key);
    if (!names) return names.error();
    std::vector<Category> out;
    for (const std::string& n : *names) {
        auto c = ParseCategory(n);
        if (!c) return r.Fail(node[key], fmt::format("unknown category '{}'", n));
        out.push_back(*c);
    }
    return out;
}

Result<Level> ReadLevel(const YamlReader& r, const YAML::Node& node, const char* key) {
    auto name = r.String(node, key);
    if (!name) return name.error();
    auto level = ParseLevel(*name);
    if (!level) {
        return r.Fail(node[key],
                      fmt::format("unknown level '{}' (none, concern, high, imminent)", *name));
    }
    return *level;
}

// Reads id + pattern (expanded, compiled) common to rules, guards and cues.
Status ReadIdAndPattern(const YamlReader& r, const detail::Lexicons& lex, const YAML::Node& node,
                        std::set<std::string>& ids, std::string& id, std::string& pattern) {
    auto i = r.String(node, "id");
    if (!i) return i.error();
    if (!detail::IsValidId(*i)) {
        return r.Fail(node["id"], fmt::format("bad id '{}': use dotted lower-case words", *i));
    }
    if (!ids.insert(*i).second) return r.Fail(node["id"], fmt::format("duplicate id '{}'", *i));
    auto p = r.String(node, "pattern");
    if (!p) return p.error();
    auto expanded = lex.Expand(*p);
    if (!expanded) return r.Fail(node["pattern"], expanded.error().message);
    if (auto st = detail::CheckPattern(*expanded); !st) {
        return r.Fail(node["pattern"], st.error().message);
    }
    id = *i;
    pattern = std::move(*expanded);
    return Ok();
}

Status ReadExamples(const YamlReader& r, const YAML::Node& node, const std::string& id,
                    std::vector<std::string>& examples) {
    auto ex = r.StringList(node, "examples");
    if (!ex) return ex.error();
    if (ex->empty()) {
        return r.Fail(node, fmt::format("'{}' needs at least one entry in 'examples'", id));
    }
    examples = std::move(*ex);
    return Ok();
}

Result<CueKind> ParseCueKind(const YamlReader& r, const YAML::Node& node) {
    auto k = r.String(node, "kind");
    if (!k) return k.error();
    if (*k == "imminence") return CueKind::kImminence;
    if (*k == "means") return CueKind::kMeans;
    if (*k == "plan") return CueKind::kPlan;
    if (*k == "recovery") return CueKind::kRecovery;
    if (*k == "recency") return CueKind::kRecency;
    if (*k == "joke") return CueKind::kJoke;
    return r.Fail(node["kind"],
                  fmt::format("unknown cue kind '{}' (imminence, means, plan, recovery, recency, joke)", *k));
}

}  // namespace

Result<RuleSet> ParseRules(std::string_view yaml, std::string_view source) {
    const YamlReader r(source);
    auto doc_r = r.Parse(yaml);
    if (!doc_r) return doc_r.error();
    const YAML::Node doc = *doc_r;
    if (!doc.IsMap()) return r.Fail(1, "expected a mapping with version, lexicons, ... rules");
    if (auto st = r.OnlyKeys(doc, {"version", "lexicons", "negation", "cues", "guards", "rules"});
        !st) {
        return st.error();
    }

    RuleSet set;
    set.source = std::string(source);
    auto version = r.String(doc, "version");
    if (!version) return version.error();
    if (version->empty()) return r.Fail(doc["version"], "'version' is empty");
    set.version = *version;

    detail::Lexicons lex;
    if (auto st = lex.Read(r, doc["lexicons"]); !st) return st.error();

    if (const YAML::Node neg = doc["negation"]) {
        if (auto st = r.OnlyKeys(neg, {"window", "words", "blockers", "history"}); !st) {
            return st.error();
        }
        auto window = r.Int(neg, "window", 5);
        if (!window) return window.error();
        if (*window < 1 || *window > 12) return r.Fail(neg["window"], "'window' must be 1..12");
        set.negation_window = *window;
        auto words = r.StringList(neg, "words");
        if (!words) return words.error();
        auto blockers = r.StringList(neg, "blockers");
        if (!blockers) return blockers.error();
        set.negation_words = std::move(*words);
        set.negation_blockers = std::move(*blockers);
        auto history = r.StringList(neg, "history");
        if (!history) return history.error();
        set.history_words = std::move(*history);
    }

    std::set<std::string> ids;
    if (const YAML::Node cues = doc["cues"]) {
        if (!cues.IsSequence()) return r.Fail(cues, "'cues' must be a list");
        for (const YAML::Node& n : cues) {
            if (auto st = r.OnlyKeys(n, {"id", "kind", "pattern", "examples"}); !st) {
                return st.error();
            }
            Cue c;
            c.line = r.Line(n);
            if (auto st = ReadIdAndPattern(r, lex, n, ids, c.id, c.pattern); !st) return st.error();
            auto kind = ParseCueKind(r, n);
            if (!kind) return kind.error();
            c.kind = *kind;
            if (auto st = ReadExamples(r, n, c.id, c.examples); !st) return st.error();
            set.cues.push_back(std::move(c));
        }
    }

    if (const YAML::Node guards = doc["guards"]) {
        if (!guards.IsSequence()) return r.Fail(guards, "'guards' must be a list");
        for (const YAML::Node& n : guards) {
            if (auto st = r.OnlyKeys(n, {"id", "pattern", "cap", "scope", "applies_to", "rules",
                                     "unless", "examples"}); !st) {
                return st.error();
            }
            Guard g;
            g.line = r.Line(n);
            if (auto st = ReadIdAndPattern(r, lex, n, ids, g.id, g.pattern); !st) return st.error();
            auto cap = ReadLevel(r, n, "cap");
            if (!cap) return cap.error();
            if (*cap >= Level::kHigh) return r.Fail(n["cap"], "a guard caps at none or concern");
            g.cap = *cap;
            auto cats = ReadCategories(r, n, "applies_to");
            if (!cats) return cats.error();
            g.applies_to = std::move(*cats);
            auto scope = r.String(n, "scope", "overlap");
            if (!scope) return scope.error();
            if (*scope != "overlap" && *scope != "sentence") {
                return r.Fail(n["scope"], "'scope' is overlap or sentence");
            }
            g.sentence_scope = *scope == "sentence";
            auto rule_ids = r.StringList(n, "rules");
            if (!rule_ids) return rule_ids.error();
            g.rules = std::move(*rule_ids);
            auto unless = r.String(n, "unless", "");
            if (!unless) return unless.error();
            if (!unless->empty()) {
                auto expanded = lex.Expand(*unless);
                if (!expanded) return r.Fail(n["unless"], expanded.error().message);
                if (auto st = detail::CheckPattern(*expanded); !st) {
                    return r.Fail(n["unless"], st.error().message);
                }
                g.unless = std::move(*expanded);
            }
            if (auto st = ReadExamples(r, n, g.id, g.examples); !st) return st.error();
            set.guards.push_back(std::move(g));
        }
    }

    const YAML::Node rules = doc["rules"];
    if (!rules || !rules.IsSequence() || rules.size() == 0) {
        return r.Fail(rules ? rules : doc, "'rules' must be a non-empty list");
    }
    for (const YAML::Node& n : rules) {
        if (auto st = r.OnlyKeys(n, {"id", "categories", "level", "pattern", "escalate",
                                     "negatable", "past", "joke", "needs_imminence", "needs_means", "examples",
                                     "not"});
            !st) {
            return st.error();
        }
        Rule rule;
        rule.line = r.Line(n);
        if (auto st = ReadIdAndPattern(r, lex, n, ids, rule.id, rule.pattern); !st) {
            return st.error();
        }
        auto cats = ReadCategories(r, n, "categories");
        if (!cats) return cats.error();
        if (cats->empty()) return r.Fail(n, fmt::format("'{}' needs 'categories'", rule.id));
        rule.categories = std::move(*cats);
        auto level = ReadLevel(r, n, "level");
        if (!level) return level.error();
        if (*level == Level::kNone) return r.Fail(n["level"], "a rule's level is above none");
        rule.level = *level;
        auto escalate = r.Bool(n, "escalate", false);
        auto negatable = r.Bool(n, "negatable", false);
        auto past = r.Bool(n, "past", false);
        auto joke = r.Bool(n, "joke", false);
        auto needs = r.Bool(n, "needs_imminence", false);
        auto needs_means = r.Bool(n, "needs_means", false);
        for (auto* b : {&escalate, &negatable, &past, &joke, &needs, &needs_means}) {
            if (!*b) return b->error();
        }
        rule.escalate = *escalate;
        rule.negatable = *negatable;
        rule.past = *past;
        rule.joke = *joke;
        rule.needs_imminence = *needs;
        rule.needs_means = *needs_means;
        if (auto st = ReadExamples(r, n, rule.id, rule.examples); !st) return st.error();
        auto counter = r.StringList(n, "not");
        if (!counter) return counter.error();
        rule.counter_examples = std::move(*counter);
        set.rules.push_back(std::move(rule));
    }
    return set;
}

Result<RuleSet> LoadRulesFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::NotFound(fmt::format("{}: cannot open", path));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ParseRules(ss.str(), path);
}

const RuleSet& EmbeddedRules() {
    static const RuleSet rules = [] {
        auto r = ParseRules(embedded::RulesYaml(), "data/safety/rules.yaml (embedded)");
        if (!r) {
            // The build embeds a file the unit tests parse; reaching this is a broken build.
            fmt::print(stderr, "tta: embedded safety rules are invalid: {}\n", r.error().message);
            std::abort();
        }
        return std::move(*r);
    }();
    return rules;
}

}  // namespace tta::safety
