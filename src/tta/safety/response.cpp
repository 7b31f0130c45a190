#include "tta/safety/response.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "tta/safety/embedded.hpp"
#include "tta/safety/yaml_support.hpp"

namespace tta::safety {
namespace {

using detail::YamlReader;

constexpr std::string_view kOpeningKeys[] = {
    "suicide", "self_harm",     "abuse",   "danger_from_others", "harm_to_others",
    "medical_emergency", "other_at_risk", "default"};
constexpr std::string_view kPlanKeys[] = {"warning_signs", "coping_strategies", "distractions",
                                          "people_to_ask", "professionals", "safe_environment",
                                          "reasons_for_living"};

std::string Replace(std::string text, std::string_view key, std::string_view value) {
    const std::string token = fmt::format("{{{}}}", key);
    for (std::size_t pos = text.find(token); pos != std::string::npos;
         pos = text.find(token, pos + value.size())) {
        text.replace(pos, token.size(), value);
    }
    return text;
}

// The helpline topics a crisis of these categories calls for, most relevant first.
std::vector<std::string_view> Topics(const Assessment& a) {
    std::vector<std::string_view> topics;
    auto add = [&](std::string_view t) {
        if (std::find(topics.begin(), topics.end(), t) == topics.end()) topics.push_back(t);
    };
    for (Category c : a.categories) {
        switch (c) {
            case Category::kAbuse:
            case Category::kDangerFromOthers:
                add("abuse");
                break;
            case Category::kSubstance:
                add("substance");
                break;
            case Category::kMedicalEmergency:
                add("medical");
                break;
            default:
                add("crisis");
                break;
        }
    }
    add("crisis");  // a crisis line is always offered
    return topics;
}

}  // namespace

std::string FormatHelpline(const Helpline& h) {
    std::string how;
    if (!h.phone.empty()) how = fmt::format("call {}", h.phone);
    if (!h.sms.empty()) {
        if (!how.empty()) how += " or ";
        how += h.sms_keyword.empty() ? fmt::format("text {}", h.sms)
                                     : fmt::format("text {} to {}", h.sms_keyword, h.sms);
    }
    std::string line = h.name;
    if (!how.empty()) line += ": " + how;
    if (!h.hours.empty()) line += fmt::format(" ({})", h.hours);
    if (!h.notes.empty()) line += fmt::format(", {}", h.notes);
    if (!h.url.empty()) line += fmt::format(" - {}", h.url);
    return line;
}

Result<ResponseComposer> ResponseComposer::Create(std::string_view yaml, std::string_view source,
                                                  const ResourceDirectory& resources) {
    const YamlReader r(source);
    auto doc_r = r.Parse(yaml);
    if (!doc_r) return doc_r.error();
    const YAML::Node doc = *doc_r;
    if (!doc.IsMap()) return r.Fail(1, "expected a mapping");
    if (auto st = r.OnlyKeys(doc, {"version", "language", "step_out", "openings", "urgent",
                                   "urgent_other", "resources_intro", "emergency_line",
                                   "plan_intro", "plan_sections", "closing", "grounding",
                                   "concern_support"});
        !st) {
        return st.error();
    }
    ResponseComposer c(resources);
    if (auto v = r.String(doc, "version"); !v) return v.error();
    for (auto [key, field] :
         {std::pair{"step_out", &c.step_out_}, std::pair{"urgent", &c.urgent_},
          std::pair{"urgent_other", &c.urgent_other_},
          std::pair{"resources_intro", &c.resources_intro_},
          std::pair{"emergency_line", &c.emergency_line_}, std::pair{"plan_intro", &c.plan_intro_},
          std::pair{"closing", &c.closing_}, std::pair{"concern_support", &c.concern_support_}}) {
        auto v = r.String(doc, key);
        if (!v) return v.error();
        *field = *v;
    }
    // A text map with every required key present.
    auto read_map = [&](const char* key, std::map<std::string, std::string, std::less<>>& target,
                        const auto& required) -> Status {
        const YAML::Node m = doc[key];
        if (!m || !m.IsMap()) return r.Fail(m ? m : doc, fmt::format("'{}' must be a mapping", key));
        for (const auto& kv : m) {
            if (!kv.second.IsScalar()) return r.Fail(kv.second, "expected text");
            target.emplace(kv.first.Scalar(), kv.second.Scalar());
        }
        for (std::string_view k : required) {
            if (!target.count(k)) return r.Fail(m, fmt::format("'{}' needs '{}'", key, k));
        }
        return Ok();
    };
    if (auto st = read_map("openings", c.openings_, kOpeningKeys); !st) return st.error();
    if (auto st = read_map("plan_sections", c.plan_sections_, kPlanKeys); !st) return st.error();
    const YAML::Node g = doc["grounding"];
    if (!g || !g.IsMap()) return r.Fail(g ? g : doc, "'grounding' must be a mapping");
    for (const auto& kv : g) {
        if (auto st = r.OnlyKeys(kv.second, {"technique", "cue"}); !st) return st.error();
        auto technique = r.String(kv.second, "technique");
        if (!technique) return technique.error();
        auto cue = r.String(kv.second, "cue");
        if (!cue) return cue.error();
        c.grounding_.emplace(kv.first.Scalar(), Grounding{*technique, *cue});
    }
    if (!c.grounding_.count("default")) return r.Fail(g, "'grounding' needs 'default'");
    return c;
}

const ResponseComposer& ResponseComposer::Embedded() {
    static const ResponseComposer composer = [] {
        auto c = Create(embedded::MessagesYaml(), "data/safety/messages.yaml (embedded)",
                        ResourceDirectory::Embedded());
        if (!c) {
            fmt::print(stderr, "tta: embedded crisis messages are invalid: {}\n",
                       c.error().message);
            std::abort();
        }
        return std::move(*c);
    }();
    return composer;
}

std::string ResponseComposer::Opening(const Assessment& a) const {
    // The most serious category decides the first words; categories come most serious first.
    for (Category c : a.categories) {
        if (auto it = openings_.find(CategoryName(c)); it != openings_.end()) return it->second;
    }
    return openings_.at("default");
}

std::string ResponseComposer::FormatPlan(const SafetyPlan& plan) const {
    std::string out = plan_intro_ + "\n";
    auto strings = [&](std::string_view key, const std::vector<std::string>& items) {
        if (items.empty()) return;
        out += fmt::format("\n{}:\n", plan_sections_.find(key)->second);
        for (const std::string& s : items) out += fmt::format("  - {}\n", s);
    };
    auto contacts = [&](std::string_view key, const std::vector<PlanContact>& items) {
        if (items.empty()) return;
        out += fmt::format("\n{}:\n", plan_sections_.find(key)->second);
        for (const PlanContact& c : items) {
            out += c.contact.empty() ? fmt::format("  - {}\n", c.name)
                                     : fmt::format("  - {}: {}\n", c.name, c.contact);
        }
    };
    strings("warning_signs", plan.warning_signs);
    strings("coping_strategies", plan.coping_strategies);
    contacts("distractions", plan.distractions);
    contacts("people_to_ask", plan.people_to_ask);
    contacts("professionals", plan.professionals);
    strings("safe_environment", plan.safe_environment);
    strings("reasons_for_living", plan.reasons_for_living);
    return out;
}

CrisisResponse ResponseComposer::Compose(const Assessment& a, const ComposeOptions& o) const {
    CrisisResponse r;
    r.level = a.level;
    const CountryResources& country = resources_->ForLocale(o.locale);
    r.country = country.code;
    r.emergency = country.emergency;

    const std::vector<std::string_view> topics = Topics(a);
    for (std::string_view t : topics) {
        for (const Helpline& h : country.helplines) {
            const bool already = std::any_of(r.resources.begin(), r.resources.end(),
                                             [&](const Helpline& x) { return x.name == h.name; });
            if (!already && h.HasTopic(t)) r.resources.push_back(h);
        }
    }
    if (a.level == Level::kNone) {
        r.resources.clear();
        return r;
    }

    if (a.level == Level::kConcern) {
        const Category first = a.categories.empty() ? Category::kDistress : a.categories.front();
        auto it = grounding_.find(CategoryName(first));
        if (it == grounding_.end()) it = grounding_.find("default");
        GroundingOffer g;
        g.technique = it->second.technique;
        g.narrator_cue = Replace(it->second.cue, "companion", o.companion);
        if (!r.resources.empty()) {
            g.support_line = Replace(concern_support_, "line", FormatHelpline(r.resources.front()));
        }
        r.grounding = std::move(g);
        return r;
    }

    r.step_out = true;
    const bool medical = a.Has(Category::kMedicalEmergency);
    const bool only_other = !a.categories.empty() && a.categories.front() == Category::kOtherAtRisk &&
                            !medical;
    std::string m = step_out_ + "\n\n" + Opening(a) + "\n";
    if (a.level == Level::kImminent || medical) {
        m += "\n" + Replace(only_other ? urgent_other_ : urgent_, "emergency", r.emergency) + "\n";
    }
    m += "\n" + resources_intro_ + "\n";
    for (const Helpline& h : r.resources) m += "  - " + FormatHelpline(h) + "\n";
    m += "  - " + Replace(emergency_line_, "emergency", r.emergency) + "\n";
    if (o.plan && !o.plan->Empty()) {
        m += "\n" + FormatPlan(*o.plan);
        r.plan_shown = true;
    }
    m += "\n" + Replace(closing_, "return_hint", o.return_hint) + "\n";
    r.message = std::move(m);
    return r;
}

std::string CrisisResponseToJson(const CrisisResponse& r) {
    namespace json = boost::json;
    json::object o;
    o["level"] = LevelName(r.level);
    o["step_out"] = r.step_out;
    o["message"] = r.message;
    o["country"] = r.country;
    o["emergency"] = r.emergency;
    json::array res;
    for (const Helpline& h : r.resources) {
        json::object x;
        x["name"] = h.name;
        x["phone"] = h.phone;
        x["sms"] = h.sms;
        x["sms_keyword"] = h.sms_keyword;
        x["url"] = h.url;
        x["hours"] = h.hours;
        x["text"] = FormatHelpline(h);
        res.push_back(std::move(x));
    }
    o["resources"] = std::move(res);
    if (r.grounding) {
        o["grounding"] = json::object{{"technique", r.grounding->technique},
                                      {"narrator_cue", r.grounding->narrator_cue},
                                      {"support_line", r.grounding->support_line}};
    } else {
        o["grounding"] = nullptr;
    }
    o["plan_shown"] = r.plan_shown;
    return json::serialize(o);
}

}  // namespace tta::safety
