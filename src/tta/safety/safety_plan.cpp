#include "tta/safety/safety_plan.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "tta/core/utf8.hpp"

namespace tta::safety {
namespace {

namespace json = boost::json;

constexpr const char* kStringSections[] = {"warning_signs", "coping_strategies",
                                           "safe_environment", "reasons_for_living"};
constexpr const char* kContactSections[] = {"distractions", "people_to_ask", "professionals"};

std::vector<std::string>* StringSection(SafetyPlan& p, std::string_view name) {
    if (name == "warning_signs") return &p.warning_signs;
    if (name == "coping_strategies") return &p.coping_strategies;
    if (name == "safe_environment") return &p.safe_environment;
    if (name == "reasons_for_living") return &p.reasons_for_living;
    return nullptr;
}
const std::vector<std::string>& StringSection(const SafetyPlan& p, std::string_view name) {
    return *StringSection(const_cast<SafetyPlan&>(p), name);
}

std::vector<PlanContact>* ContactSection(SafetyPlan& p, std::string_view name) {
    if (name == "distractions") return &p.distractions;
    if (name == "people_to_ask") return &p.people_to_ask;
    if (name == "professionals") return &p.professionals;
    return nullptr;
}
const std::vector<PlanContact>& ContactSection(const SafetyPlan& p, std::string_view name) {
    return *ContactSection(const_cast<SafetyPlan&>(p), name);
}

std::string Trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return "";
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

Status CheckText(std::string_view field, const std::string& text, std::size_t max,
                 bool may_be_empty) {
    if (!IsValidUtf8(text)) return Error::Invalid(fmt::format("{}: not valid UTF-8", field));
    if (text.size() > max) {
        return Error::Invalid(fmt::format("{}: longer than {} bytes", field, max));
    }
    if (!may_be_empty && Trim(text).empty()) return Error::Invalid(fmt::format("{}: empty", field));
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
            return Error::Invalid(fmt::format("{}: control characters", field));
        }
    }
    return Ok();
}

Result<std::string> AsString(const json::value& v, std::string_view field) {
    if (!v.is_string()) return Error::Invalid(fmt::format("{}: expected a string", field));
    return Trim(std::string_view(v.as_string()));
}

}  // namespace

bool SafetyPlan::Empty() const {
    return warning_signs.empty() && coping_strategies.empty() && distractions.empty() &&
           people_to_ask.empty() && professionals.empty() && safe_environment.empty() &&
           reasons_for_living.empty();
}

Status Validate(const SafetyPlan& plan) {
    for (const char* name : kStringSections) {
        const auto& items = StringSection(plan, name);
        if (items.size() > SafetyPlan::kMaxItems) {
            return Error::Invalid(fmt::format("{}: more than {} items", name, SafetyPlan::kMaxItems));
        }
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (auto st = CheckText(fmt::format("{}[{}]", name, i), items[i],
                                    SafetyPlan::kMaxTextBytes, false);
                !st) {
                return st;
            }
        }
    }
    for (const char* name : kContactSections) {
        const auto& items = ContactSection(plan, name);
        if (items.size() > SafetyPlan::kMaxItems) {
            return Error::Invalid(fmt::format("{}: more than {} items", name, SafetyPlan::kMaxItems));
        }
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (auto st = CheckText(fmt::format("{}[{}].name", name, i), items[i].name,
                                    SafetyPlan::kMaxNameBytes, false);
                !st) {
                return st;
            }
            if (auto st = CheckText(fmt::format("{}[{}].contact", name, i), items[i].contact,
                                    SafetyPlan::kMaxContactBytes, true);
                !st) {
                return st;
            }
        }
    }
    return Ok();
}

std::string SafetyPlanToJson(const SafetyPlan& plan) {
    json::object o;
    o["version"] = SafetyPlan::kVersion;
    for (const char* name : {"warning_signs", "coping_strategies"}) {
        json::array a;
        for (const std::string& s : StringSection(plan, name)) a.emplace_back(s);
        o[name] = std::move(a);
    }
    for (const char* name : kContactSections) {
        json::array a;
        for (const PlanContact& c : ContactSection(plan, name)) {
            a.emplace_back(json::object{{"name", c.name}, {"contact", c.contact}});
        }
        o[name] = std::move(a);
    }
    for (const char* name : {"safe_environment", "reasons_for_living"}) {
        json::array a;
        for (const std::string& s : StringSection(plan, name)) a.emplace_back(s);
        o[name] = std::move(a);
    }
    return json::serialize(o);
}

Result<SafetyPlan> SafetyPlanFromJson(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) return Error::Invalid(fmt::format("safety plan: not JSON: {}", ec.message()));
    if (!v.is_object()) return Error::Invalid("safety plan: expected an object");
    SafetyPlan plan;
    for (const auto& kv : v.as_object()) {
        const std::string_view key = kv.key();
        const json::value& val = kv.value();
        if (key == "version") {
            if (!val.is_int64() || val.as_int64() != SafetyPlan::kVersion) {
                return Error::Invalid(fmt::format("version: expected {}", SafetyPlan::kVersion));
            }
            continue;
        }
        if (auto* items = StringSection(plan, key)) {
            if (!val.is_array()) return Error::Invalid(fmt::format("{}: expected a list", key));
            for (std::size_t i = 0; i < val.as_array().size(); ++i) {
                auto s = AsString(val.as_array()[i], fmt::format("{}[{}]", key, i));
                if (!s) return s.error();
                items->push_back(std::move(*s));
            }
            continue;
        }
        if (auto* items = ContactSection(plan, key)) {
            if (!val.is_array()) return Error::Invalid(fmt::format("{}: expected a list", key));
            for (std::size_t i = 0; i < val.as_array().size(); ++i) {
                const json::value& item = val.as_array()[i];
                const std::string where = fmt::format("{}[{}]", key, i);
                if (!item.is_object()) {
                    return Error::Invalid(fmt::format("{}: expected {{\"name\", \"contact\"}}", where));
                }
                PlanContact c;
                for (const auto& f : item.as_object()) {
                    if (f.key() != "name" && f.key() != "contact") {
                        return Error::Invalid(fmt::format("{}: unknown field '{}'", where,
                                                          std::string_view(f.key())));
                    }
                    auto s = AsString(f.value(), fmt::format("{}.{}", where,
                                                             std::string_view(f.key())));
                    if (!s) return s.error();
                    (f.key() == "name" ? c.name : c.contact) = std::move(*s);
                }
                items->push_back(std::move(c));
            }
            continue;
        }
        return Error::Invalid(fmt::format("safety plan: unknown field '{}'", key));
    }
    if (auto st = Validate(plan); !st) return st.error();
    return plan;
}

}  // namespace tta::safety
