// Internal to tta::safety: reading the safety data files with yaml-cpp and reporting every
// problem as "file:line: message", so a reviewer changing a rule sees exactly where it broke.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"

namespace tta::safety::detail {

class YamlReader {
public:
    explicit YamlReader(std::string_view source) : source_(source) {}

    // Parses a whole document; a syntax error becomes "source:line: message".
    Result<YAML::Node> Parse(std::string_view text) const;

    int Line(const YAML::Node& node) const { return node.Mark().line + 1; }
    Error Fail(const YAML::Node& node, std::string_view message) const;
    Error Fail(int line, std::string_view message) const;

    // Field readers: `key` must be present unless a default is given.
    Result<std::string> String(const YAML::Node& map, const char* key) const;
    Result<std::string> String(const YAML::Node& map, const char* key, std::string dflt) const;
    Result<bool> Bool(const YAML::Node& map, const char* key, bool dflt) const;
    Result<int> Int(const YAML::Node& map, const char* key, int dflt) const;
    // A list of strings; a single string is read as a list of one. Missing: empty list.
    Result<std::vector<std::string>> StringList(const YAML::Node& map, const char* key) const;
    Result<std::vector<std::string>> StringList(const YAML::Node& node) const;
    // Fails on any key of `map` not in `allowed` (catches misspelt options).
    Status OnlyKeys(const YAML::Node& map, std::initializer_list<std::string_view> allowed) const;

    const std::string& source() const { return source_; }

private:
    std::string source_;
};

// Lexicons: named lists of pattern fragments. "{name}" in a pattern becomes (?:a|b|...);
// lexicons may use other lexicons. RE2 repetitions such as {2,5} are left alone.
class Lexicons {
public:
    Status Read(const YamlReader& reader, const YAML::Node& node);
    Result<std::string> Expand(std::string_view pattern) const;

private:
    Result<std::string> ExpandDepth(std::string_view pattern, int depth) const;
    std::map<std::string, std::string, std::less<>> alternatives_;
};

// Checks that an id is dotted lower-case words ("suicide.kill_self").
bool IsValidId(std::string_view id);

// Checks that `pattern` compiles under the options the gates use; returns RE2's message.
Status CheckPattern(const std::string& pattern);

}  // namespace tta::safety::detail
