#include "tta/safety/resources.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tta/safety/embedded.hpp"
#include "tta/safety/yaml_support.hpp"

namespace tta::safety {
namespace {

using detail::YamlReader;

constexpr std::string_view kTopics[] = {"crisis", "abuse", "children", "substance", "medical"};

bool IsUpperAlpha2(std::string_view s) {
    return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

std::string Upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

Result<Helpline> ReadHelpline(const YamlReader& r, const YAML::Node& n) {
    if (auto st = r.OnlyKeys(n, {"name", "phone", "sms", "sms_keyword", "url", "hours", "notes",
                                 "topics"});
        !st) {
        return st.error();
    }
    Helpline h;
    auto name = r.String(n, "name");
    if (!name) return name.error();
    h.name = *name;
    for (auto [key, field] : {std::pair{"phone", &h.phone}, std::pair{"sms", &h.sms},
                              std::pair{"sms_keyword", &h.sms_keyword}, std::pair{"url", &h.url},
                              std::pair{"hours", &h.hours}, std::pair{"notes", &h.notes}}) {
        auto v = r.String(n, key, "");
        if (!v) return v.error();
        *field = *v;
    }
    if (h.phone.empty() && h.sms.empty() && h.url.empty()) {
        return r.Fail(n, fmt::format("'{}' needs a phone, sms or url", h.name));
    }
    if (!h.sms_keyword.empty() && h.sms.empty()) {
        return r.Fail(n, fmt::format("'{}' has sms_keyword but no sms", h.name));
    }
    for (const std::string& number : {h.phone, h.sms}) {
        for (char c : number) {
            const bool ok = (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '+' ||
                            c == '(' || c == ')';
            if (!ok) return r.Fail(n, fmt::format("'{}': bad character in number '{}'", h.name, number));
        }
    }
    if (!h.url.empty() && h.url.rfind("https://", 0) != 0 && h.url.rfind("http://", 0) != 0) {
        return r.Fail(n["url"], fmt::format("'{}': url must start with https://", h.name));
    }
    auto topics = r.StringList(n, "topics");
    if (!topics) return topics.error();
    if (topics->empty()) return r.Fail(n, fmt::format("'{}' needs topics", h.name));
    for (const std::string& t : *topics) {
        if (std::find(std::begin(kTopics), std::end(kTopics), t) == std::end(kTopics)) {
            return r.Fail(n["topics"], fmt::format("unknown topic '{}'", t));
        }
    }
    h.topics = std::move(*topics);
    return h;
}

Result<CountryResources> ReadCountry(const YamlReader& r, const YAML::Node& n, std::string code) {
    if (auto st = r.OnlyKeys(n, {"name", "emergency", "helplines"}); !st) return st.error();
    CountryResources c;
    c.code = std::move(code);
    auto name = r.String(n, "name");
    if (!name) return name.error();
    auto emergency = r.String(n, "emergency");
    if (!emergency) return emergency.error();
    c.name = *name;
    c.emergency = *emergency;
    const YAML::Node lines = n["helplines"];
    if (!lines || !lines.IsSequence() || lines.size() == 0) {
        return r.Fail(n, fmt::format("'{}' needs at least one helpline", c.name));
    }
    bool crisis = false;
    for (const YAML::Node& l : lines) {
        auto h = ReadHelpline(r, l);
        if (!h) return h.error();
        crisis = crisis || h->HasTopic("crisis");
        c.helplines.push_back(std::move(*h));
    }
    if (!crisis) return r.Fail(n, fmt::format("'{}' needs a helpline with topic crisis", c.name));
    return c;
}

}  // namespace

bool Helpline::HasTopic(std::string_view t) const {
    return std::find(topics.begin(), topics.end(), t) != topics.end();
}

Result<ResourceDirectory> ResourceDirectory::Parse(std::string_view yaml, std::string_view source) {
    const YamlReader r(source);
    auto doc_r = r.Parse(yaml);
    if (!doc_r) return doc_r.error();
    const YAML::Node doc = *doc_r;
    if (!doc.IsMap()) return r.Fail(1, "expected a mapping");
    if (auto st = r.OnlyKeys(doc, {"version", "reviewed", "languages", "aliases", "fallback",
                                   "countries"});
        !st) {
        return st.error();
    }
    ResourceDirectory d;
    auto version = r.String(doc, "version");
    if (!version) return version.error();
    auto reviewed = r.String(doc, "reviewed");
    if (!reviewed) return reviewed.error();
    d.version_ = *version;
    d.reviewed_ = *reviewed;

    if (!doc["fallback"]) return r.Fail(doc, "missing 'fallback'");
    auto fallback = ReadCountry(r, doc["fallback"], "");
    if (!fallback) return fallback.error();
    d.fallback_ = std::move(*fallback);

    const YAML::Node countries = doc["countries"];
    if (!countries || !countries.IsMap()) return r.Fail(doc, "'countries' must map codes to entries");
    for (const auto& kv : countries) {
        const std::string code = kv.first.Scalar();
        if (!IsUpperAlpha2(code)) {
            return r.Fail(kv.first, fmt::format("'{}' is not an ISO 3166-1 alpha-2 code", code));
        }
        auto c = ReadCountry(r, kv.second, code);
        if (!c) return c.error();
        d.countries_.emplace(code, std::move(*c));
    }
    for (auto [key, target] : {std::pair{"languages", &d.languages_},
                               std::pair{"aliases", &d.aliases_}}) {
        const YAML::Node m = doc[key];
        if (!m) continue;
        if (!m.IsMap()) return r.Fail(m, fmt::format("'{}' must be a mapping", key));
        for (const auto& kv : m) {
            const std::string to = kv.second.Scalar();
            if (!d.countries_.count(to)) {
                return r.Fail(kv.second, fmt::format("'{}' maps to unknown country '{}'",
                                                     kv.first.Scalar(), to));
            }
            target->emplace(kv.first.Scalar(), to);
        }
    }
    return d;
}

Result<ResourceDirectory> ResourceDirectory::LoadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::NotFound(fmt::format("{}: cannot open", path));
    std::ostringstream ss;
    ss << in.rdbuf();
    return Parse(ss.str(), path);
}

const ResourceDirectory& ResourceDirectory::Embedded() {
    static const ResourceDirectory dir = [] {
        auto d = Parse(embedded::ResourcesYaml(), "data/safety/resources.yaml (embedded)");
        if (!d) {
            fmt::print(stderr, "tta: embedded crisis resources are invalid: {}\n",
                       d.error().message);
            std::abort();
        }
        return std::move(*d);
    }();
    return dir;
}

std::string ResourceDirectory::CountryOf(std::string_view locale) const {
    // Drop ".UTF-8" and "@euro", then split "en-Latn-GB" / "en_GB" into parts.
    locale = locale.substr(0, locale.find_first_of(".@"));
    std::vector<std::string_view> parts;
    while (!locale.empty()) {
        const auto sep = locale.find_first_of("-_");
        parts.push_back(locale.substr(0, sep));
        if (sep == std::string_view::npos) break;
        locale.remove_prefix(sep + 1);
    }
    auto known = [&](std::string code) -> std::string {
        if (auto a = aliases_.find(code); a != aliases_.end()) code = a->second;
        return countries_.count(code) ? code : std::string();
    };
    if (parts.empty() || parts[0].empty()) return "";
    // A bare upper-case region ("GB") is a country; a bare lower-case tag is a language.
    if (parts.size() == 1 && IsUpperAlpha2(parts[0])) {
        if (std::string c = known(std::string(parts[0])); !c.empty()) return c;
    }
    for (std::size_t i = 1; i < parts.size(); ++i) {
        if (parts[i].size() == 2) {
            if (std::string c = known(Upper(parts[i])); !c.empty()) return c;
            return "";  // a region we have no data for: the fallback, not a guess by language
        }
        if (parts[i].size() == 3 && std::all_of(parts[i].begin(), parts[i].end(),
                                                [](char c) { return c >= '0' && c <= '9'; })) {
            return "";  // a UN M.49 area such as 419 (Latin America): too wide to pick lines
        }
    }
    if (auto l = languages_.find(Lower(parts[0])); l != languages_.end()) return l->second;
    return "";
}

const CountryResources& ResourceDirectory::ForLocale(std::string_view locale) const {
    const std::string code = CountryOf(locale);
    if (code.empty()) return fallback_;
    return countries_.at(code);
}

}  // namespace tta::safety
