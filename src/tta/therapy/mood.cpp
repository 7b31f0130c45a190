#include "tta/therapy/mood.hpp"

#include "tta/core/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tta::therapy {

namespace {

std::string Normalise(std::string_view word) {
    const auto first = word.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = word.find_last_not_of(" \t\r\n");
    std::string out(word.substr(first, last - first + 1));
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

std::string Vocabulary(const Catalogue& catalogue) {
    std::string out;
    for (const Feeling& f : catalogue.feelings) {
        if (!out.empty()) out += ", ";
        out += f.word;
    }
    return out;
}

}  // namespace

std::string_view Name(CheckInMode m) {
    return m == CheckInMode::kInStory ? "in_story" : "out_of_character";
}

Result<CheckInMode> ParseCheckInMode(std::string_view name) {
    if (name == "in_story") return CheckInMode::kInStory;
    if (name == "out_of_character") return CheckInMode::kOutOfCharacter;
    return Error::Invalid(
        fmt::format("unknown check-in mode '{}' (expected in_story or out_of_character)", name));
}

Result<MoodCheckIn> NormaliseCheckIn(const Catalogue& catalogue, MoodCheckIn check_in) {
    if (check_in.score < kMinMood || check_in.score > kMaxMood) {
        return Error::Invalid(fmt::format(
            "a mood rating must be a whole number from {} (worst) to {} (best), not {}", kMinMood,
            kMaxMood, check_in.score));
    }
    std::vector<std::string> words;
    for (const std::string& raw : check_in.feelings) {
        std::string word = Normalise(raw);
        if (word.empty()) continue;
        if (!catalogue.FindFeeling(word)) {
            const std::string shown = IsValidUtf8(word) ? word : SanitizeUtf8(word);
            return Error::Invalid(fmt::format("'{}' is not one of the feeling words: {}", shown,
                                              Vocabulary(catalogue)));
        }
        if (std::find(words.begin(), words.end(), word) == words.end()) {
            words.push_back(std::move(word));
        }
    }
    if (words.size() > kMaxFeelingsPerCheckIn) {
        return Error::Invalid(fmt::format("choose up to {} feeling words, not {}",
                                          kMaxFeelingsPerCheckIn, words.size()));
    }
    check_in.feelings = std::move(words);
    return check_in;
}

}  // namespace tta::therapy
