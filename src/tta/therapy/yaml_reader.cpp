#include "tta/therapy/yaml_reader.hpp"

#include "tta/core/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace tta::therapy::detail {

namespace {

// YAML::Node converts from anything, so a Result<YAML::Node> must be told it holds an error.
Result<YAML::Node> NodeError(Error e) { return {boost::system::in_place_error, std::move(e)}; }

}  // namespace

int LineOf(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    return mark.is_null() ? 0 : mark.line + 1;
}

Error YamlSource::At(const YAML::Node& node, std::string_view message) const {
    return AtLine(LineOf(node), message);
}

Error YamlSource::AtLine(int line, std::string_view message) const {
    if (line <= 0) return Error::Invalid(fmt::format("{}: {}", file_name_, message));
    return Error::Invalid(fmt::format("{}:{}: {}", file_name_, line, message));
}

Result<YAML::Node> YamlSource::Parse(std::string_view text) const {
    if (!IsValidUtf8(text)) return NodeError(AtLine(0, "is not valid UTF-8"));
    try {
        YAML::Node root = YAML::Load(std::string(text));
        if (!root.IsMap()) return NodeError(AtLine(1, "expected a mapping at the top level"));
        return root;
    } catch (const YAML::Exception& e) {
        return NodeError(AtLine(e.mark.is_null() ? 0 : e.mark.line + 1, e.msg));
    }
}

bool IsId(std::string_view s) {
    if (s.empty() || s.front() < 'a' || s.front() > 'z') return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

namespace {

bool IsBlank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string_view KindName(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Scalar: return "a single value";
        case YAML::NodeType::Null: return "empty";
        case YAML::NodeType::Undefined: return "missing";
    }
    return "unknown";
}

}  // namespace

Result<std::string> ReadString(const YamlSource& src, const YAML::Node& node,
                               std::string_view what) {
    if (!node.IsScalar()) {
        return src.At(node, fmt::format("{} should be text, but is {}", what, KindName(node)));
    }
    const std::string& value = node.Scalar();
    if (IsBlank(value)) return src.At(node, fmt::format("{} must not be empty", what));
    if (!IsValidUtf8(value)) return src.At(node, fmt::format("{} is not valid UTF-8", what));
    return value;
}

Result<std::string> ReadId(const YamlSource& src, const YAML::Node& node, std::string_view what) {
    auto value = ReadString(src, node, what);
    if (!value) return value.error();
    if (!IsId(*value)) {
        return src.At(node, fmt::format("{} '{}' should be lowercase snake_case (a-z, 0-9, _)",
                                        what, *value));
    }
    return value;
}

Result<int> ReadInt(const YamlSource& src, const YAML::Node& node, std::string_view what, int min,
                    int max) {
    if (!node.IsScalar()) {
        return src.At(node, fmt::format("{} should be a whole number, but is {}", what,
                                        KindName(node)));
    }
    const std::string& text = node.Scalar();
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return src.At(node, fmt::format("{} should be a whole number, not '{}'", what, text));
    }
    if (value < min || value > max) {
        return src.At(node, fmt::format("{} should be between {} and {}, not {}", what, min, max,
                                        value));
    }
    return value;
}

Result<bool> ReadBool(const YamlSource& src, const YAML::Node& node, std::string_view what) {
    if (node.IsScalar() && node.Scalar() == "true") return true;
    if (node.IsScalar() && node.Scalar() == "false") return false;
    return src.At(node, fmt::format("{} should be true or false", what));
}

Result<std::vector<std::string>> ReadStringList(const YamlSource& src, const YAML::Node& node,
                                                std::string_view what) {
    if (!node.IsSequence()) {
        return src.At(node, fmt::format("{} should be a list, but is {}", what, KindName(node)));
    }
    std::vector<std::string> out;
    for (const YAML::Node& item : node) {
        auto value = ReadString(src, item, fmt::format("an entry of {}", what));
        if (!value) return value.error();
        out.push_back(std::move(*value));
    }
    return out;
}

Result<std::vector<std::string>> ReadIdList(const YamlSource& src, const YAML::Node& node,
                                            std::string_view what) {
    if (!node.IsSequence()) {
        return src.At(node, fmt::format("{} should be a list, but is {}", what, KindName(node)));
    }
    std::vector<std::string> out;
    for (const YAML::Node& item : node) {
        auto value = ReadId(src, item, fmt::format("an entry of {}", what));
        if (!value) return value.error();
        if (std::find(out.begin(), out.end(), *value) != out.end()) {
            return src.At(item, fmt::format("{} lists '{}' twice", what, *value));
        }
        out.push_back(std::move(*value));
    }
    return out;
}

Result<MapReader> MapReader::Open(const YamlSource& src, const YAML::Node& node,
                                  std::string what) {
    if (!node.IsMap()) {
        return src.At(node, fmt::format("{} should be a mapping (key: value), but is {}", what,
                                        KindName(node)));
    }
    std::vector<std::string> seen;
    for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
            return src.At(entry.first, fmt::format("{} has a key that is not a name", what));
        }
        const std::string& key = entry.first.Scalar();
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
            return src.At(entry.first, fmt::format("{} has '{}' twice", what, key));
        }
        seen.push_back(key);
    }
    return MapReader(src, node, std::move(what));
}

std::string MapReader::KeyWhat(std::string_view key) const {
    return fmt::format("'{}' of {}", key, what_);
}

std::optional<YAML::Node> MapReader::Optional(std::string_view key) {
    used_.emplace_back(key);
    const YAML::Node& map = node_;
    YAML::Node value = map[std::string(key)];
    if (!value.IsDefined() || value.IsNull()) return std::nullopt;
    return value;
}

Result<YAML::Node> MapReader::Required(std::string_view key) {
    auto value = Optional(key);
    if (!value) return NodeError(src_->At(node_, fmt::format("{} is missing '{}'", what_, key)));
    return *value;
}

Result<std::string> MapReader::String(std::string_view key) {
    auto value = Required(key);
    if (!value) return value.error();
    return ReadString(*src_, *value, KeyWhat(key));
}

Result<std::string> MapReader::Id(std::string_view key) {
    auto value = Required(key);
    if (!value) return value.error();
    return ReadId(*src_, *value, KeyWhat(key));
}

Result<int> MapReader::Int(std::string_view key, int min, int max) {
    auto value = Required(key);
    if (!value) return value.error();
    return ReadInt(*src_, *value, KeyWhat(key), min, max);
}

Result<std::vector<std::string>> MapReader::IdList(std::string_view key, bool required) {
    auto value = Optional(key);
    if (!value) {
        if (required) return src_->At(node_, fmt::format("{} is missing '{}'", what_, key));
        return std::vector<std::string>{};
    }
    return ReadIdList(*src_, *value, KeyWhat(key));
}

Result<std::vector<std::string>> MapReader::StringList(std::string_view key, bool required) {
    auto value = Optional(key);
    if (!value) {
        if (required) return src_->At(node_, fmt::format("{} is missing '{}'", what_, key));
        return std::vector<std::string>{};
    }
    return ReadStringList(*src_, *value, KeyWhat(key));
}

Status MapReader::Finish() const {
    for (const auto& entry : node_) {
        const std::string& key = entry.first.Scalar();
        if (std::find(used_.begin(), used_.end(), key) == used_.end()) {
            return src_->At(entry.first, fmt::format("{} has an unknown key '{}'", what_, key));
        }
    }
    return Ok();
}

}  // namespace tta::therapy::detail
