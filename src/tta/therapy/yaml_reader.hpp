// Internal to tta::therapy: strict reading of reviewed YAML (the technique catalogue, planner
// scenarios). Every problem becomes an Invalid error "file:line: message", unknown and
// duplicate keys included, because a typo in reviewed data must fail loudly, not be ignored.
#pragma once

#include "tta/core/error.hpp"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tta::therapy::detail {

class YamlSource {
public:
    explicit YamlSource(std::string_view file_name) : file_name_(file_name) {}

    std::string_view file_name() const { return file_name_; }
    // "file:line: message" at the node's line (1-based); the file alone if the node has no mark.
    Error At(const YAML::Node& node, std::string_view message) const;
    Error AtLine(int line, std::string_view message) const;

    // Parses a whole document; syntax errors are reported at their line.
    Result<YAML::Node> Parse(std::string_view text) const;

private:
    std::string file_name_;
};

int LineOf(const YAML::Node& node);

// A non-empty, valid UTF-8 string scalar.
Result<std::string> ReadString(const YamlSource& src, const YAML::Node& node,
                               std::string_view what);
// A lowercase snake_case id: [a-z][a-z0-9_]*.
Result<std::string> ReadId(const YamlSource& src, const YAML::Node& node, std::string_view what);
Result<int> ReadInt(const YamlSource& src, const YAML::Node& node, std::string_view what, int min,
                    int max);
Result<bool> ReadBool(const YamlSource& src, const YAML::Node& node, std::string_view what);
// A sequence of ids without repeats.
Result<std::vector<std::string>> ReadIdList(const YamlSource& src, const YAML::Node& node,
                                            std::string_view what);
Result<std::vector<std::string>> ReadStringList(const YamlSource& src, const YAML::Node& node,
                                                std::string_view what);
bool IsId(std::string_view s);

// A mapping read key by key; Finish() reports the first key nobody asked for.
class MapReader {
public:
    // Fails unless node is a mapping with string keys and no key twice.
    static Result<MapReader> Open(const YamlSource& src, const YAML::Node& node,
                                  std::string what);

    const YAML::Node& node() const { return node_; }
    const std::string& what() const { return what_; }
    // Names the mapping in later errors, e.g. once its id is known.
    void Rename(std::string what) { what_ = std::move(what); }

    // The value under key, or nullopt when the key is absent or its value is null.
    std::optional<YAML::Node> Optional(std::string_view key);
    Result<YAML::Node> Required(std::string_view key);

    Result<std::string> String(std::string_view key);
    Result<std::string> Id(std::string_view key);
    Result<int> Int(std::string_view key, int min, int max);
    Result<std::vector<std::string>> IdList(std::string_view key, bool required);
    Result<std::vector<std::string>> StringList(std::string_view key, bool required);

    Status Finish() const;

private:
    MapReader(const YamlSource& src, const YAML::Node& node, std::string what)
        : src_(&src), node_(node), what_(std::move(what)) {}
    std::string KeyWhat(std::string_view key) const;

    const YamlSource* src_;
    YAML::Node node_;
    std::string what_;
    std::vector<std::string> used_;
};

}  // namespace tta::therapy::detail
