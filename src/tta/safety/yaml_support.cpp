#include "tta/safety/yaml_support.hpp"

#include <re2/re2.h>

#include <fmt/format.h>

#include "tta/safety/pattern_set.hpp"

namespace tta::safety::detail {

Result<YAML::Node> YamlReader::Parse(std::string_view text) const {
    try {
        return Result<YAML::Node>(boost::system::in_place_value, YAML::Load(std::string(text)));
    } catch (const YAML::Exception& e) {
        return Result<YAML::Node>(
            boost::system::in_place_error,
            Error::Invalid(fmt::format("{}:{}: {}", source_, e.mark.line + 1, e.msg)));
    }
}

Error YamlReader::Fail(const YAML::Node& node, std::string_view message) const {
    return Fail(Line(node), message);
}

Error YamlReader::Fail(int line, std::string_view message) const {
    return Error::Invalid(fmt::format("{}:{}: {}", source_, line, message));
}

Result<std::string> YamlReader::String(const YAML::Node& map, const char* key) const {
    const YAML::Node v = map[key];
    if (!v) return Fail(map, fmt::format("missing '{}'", key));
    if (!v.IsScalar()) return Fail(v, fmt::format("'{}' must be a string", key));
    return v.Scalar();
}

Result<std::string> YamlReader::String(const YAML::Node& map, const char* key,
                                       std::string dflt) const {
    if (!map[key]) return dflt;
    return String(map, key);
}

Result<bool> YamlReader::Bool(const YAML::Node& map, const char* key, bool dflt) const {
    const YAML::Node v = map[key];
    if (!v) return dflt;
    if (v.IsScalar()) {
        const std::string& s = v.Scalar();
        if (s == "true") return true;
        if (s == "false") return false;
    }
    return Fail(v, fmt::format("'{}' must be true or false", key));
}

Result<int> YamlReader::Int(const YAML::Node& map, const char* key, int dflt) const {
    const YAML::Node v = map[key];
    if (!v) return dflt;
    try {
        if (v.IsScalar()) return v.as<int>();
    } catch (const YAML::Exception&) {
    }
    return Fail(v, fmt::format("'{}' must be a whole number", key));
}

Result<std::vector<std::string>> YamlReader::StringList(const YAML::Node& map,
                                                        const char* key) const {
    const YAML::Node v = map[key];
    if (!v) return std::vector<std::string>{};
    return StringList(v);
}

Result<std::vector<std::string>> YamlReader::StringList(const YAML::Node& v) const {
    std::vector<std::string> out;
    if (v.IsScalar()) {
        out.push_back(v.Scalar());
        return out;
    }
    if (!v.IsSequence()) return Fail(v, "expected a list of strings");
    for (const YAML::Node& item : v) {
        if (!item.IsScalar()) return Fail(item, "expected a string");
        out.push_back(item.Scalar());
    }
    return out;
}

Status YamlReader::OnlyKeys(const YAML::Node& map,
                            std::initializer_list<std::string_view> allowed) const {
    if (!map.IsMap()) return Fail(map, "expected a mapping");
    for (const auto& kv : map) {
        const std::string& key = kv.first.Scalar();
        bool ok = false;
        for (std::string_view a : allowed) ok = ok || a == key;
        if (!ok) return Fail(kv.first, fmt::format("unknown field '{}'", key));
    }
    return Ok();
}

Status Lexicons::Read(const YamlReader& reader, const YAML::Node& node) {
    if (!node) return Ok();
    if (!node.IsMap()) return reader.Fail(node, "'lexicons' must map names to lists");
    for (const auto& kv : node) {
        const std::string& name = kv.first.Scalar();
        if (!IsValidId(name) || name.find('.') != std::string::npos) {
            return reader.Fail(kv.first, fmt::format("bad lexicon name '{}'", name));
        }
        if (alternatives_.count(name)) {
            return reader.Fail(kv.first, fmt::format("lexicon '{}' defined twice", name));
        }
        auto items = reader.StringList(kv.second);
        if (!items) return items.error();
        if (items->empty()) return reader.Fail(kv.second, fmt::format("lexicon '{}' is empty", name));
        std::string alt = "(?:";
        for (std::size_t i = 0; i < items->size(); ++i) {
            if (i) alt += '|';
            alt += (*items)[i];
        }
        alt += ')';
        alternatives_.emplace(name, std::move(alt));
    }
    // Every lexicon must expand and compile on its own, so an error points at the lexicon.
    for (const auto& kv : node) {
        auto expanded = Expand(alternatives_.find(kv.first.Scalar())->second);
        if (!expanded) return reader.Fail(kv.first, expanded.error().message);
        if (auto st = CheckPattern(*expanded); !st) return reader.Fail(kv.first, st.error().message);
    }
    return Ok();
}

Result<std::string> Lexicons::Expand(std::string_view pattern) const {
    return ExpandDepth(pattern, 0);
}

Result<std::string> Lexicons::ExpandDepth(std::string_view p, int depth) const {
    if (depth > 8) return Error::Invalid("lexicons refer to each other in a loop");
    std::string out;
    out.reserve(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (p[i] == '\\' && i + 1 < p.size()) {  // an escaped brace stays escaped
            out += p[i];
            out += p[++i];
            continue;
        }
        if (p[i] == '{') {
            std::size_t j = i + 1;
            while (j < p.size() && ((p[j] >= 'a' && p[j] <= 'z') || p[j] == '_' ||
                                    (p[j] >= '0' && p[j] <= '9'))) {
                ++j;
            }
            const bool is_name = j < p.size() && p[j] == '}' && j > i + 1 && p[i + 1] >= 'a' &&
                                 p[i + 1] <= 'z';
            if (is_name) {
                const std::string_view name = p.substr(i + 1, j - i - 1);
                auto it = alternatives_.find(name);
                if (it == alternatives_.end()) {
                    return Error::Invalid(fmt::format("unknown lexicon '{{{}}}'", name));
                }
                auto inner = ExpandDepth(it->second, depth + 1);
                if (!inner) return inner.error();
                out += *inner;
                i = j;
                continue;
            }
        }
        out += p[i];
    }
    return out;
}

bool IsValidId(std::string_view id) {
    if (id.empty() || id.front() == '.' || id.back() == '.') return false;
    char prev = 0;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
        if (!ok || (c == '.' && prev == '.')) return false;
        prev = c;
    }
    return true;
}

Status CheckPattern(const std::string& pattern) {
    RE2 re(pattern, PatternOptions());
    if (!re.ok()) return Error::Invalid(fmt::format("pattern does not compile: {}", re.error()));
    return Ok();
}

}  // namespace tta::safety::detail
