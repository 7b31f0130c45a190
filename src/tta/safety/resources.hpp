// tta::safety crisis resources: helplines and the emergency number for a player's locale
// (data/safety/resources.yaml, embedded at build time). Unknown locales get the international
// fallback, never nothing.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"

namespace tta::safety {

struct Helpline {
    std::string name;
    std::string phone;        // to call; may be empty for text-only lines
    std::string sms;          // number to text; may be empty
    std::string sms_keyword;  // word to text, e.g. HOME to 741741
    std::string url;
    std::string hours;
    std::string notes;
    std::vector<std::string> topics;  // crisis, abuse, children, substance, medical

    bool HasTopic(std::string_view t) const;
};

struct CountryResources {
    std::string code;       // ISO 3166-1 alpha-2, or "" for the fallback
    std::string name;
    std::string emergency;  // e.g. "911", "112 or 999"
    std::vector<Helpline> helplines;
};

class ResourceDirectory {
public:
    static Result<ResourceDirectory> Parse(std::string_view yaml, std::string_view source);
    static Result<ResourceDirectory> LoadFile(const std::string& path);
    static const ResourceDirectory& Embedded();

    // "en-GB", "en_US.UTF-8", "pt-BR", "de", "GB": the region if known, else the language's
    // default country, else the fallback.
    const CountryResources& ForLocale(std::string_view locale) const;
    // The region a locale resolves to ("" when it resolves to the fallback).
    std::string CountryOf(std::string_view locale) const;
    const CountryResources& fallback() const { return fallback_; }
    const std::map<std::string, CountryResources>& countries() const { return countries_; }
    const std::string& version() const { return version_; }
    const std::string& reviewed() const { return reviewed_; }

private:
    std::string version_;
    std::string reviewed_;
    CountryResources fallback_;
    std::map<std::string, CountryResources> countries_;
    std::map<std::string, std::string> languages_;  // "de" -> "DE"
    std::map<std::string, std::string> aliases_;    // "UK" -> "GB"
};

}  // namespace tta::safety
