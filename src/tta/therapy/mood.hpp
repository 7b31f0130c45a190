// tta::therapy mood: check-ins, a 0-10 rating plus a few feeling words from the catalogue's
// small vocabulary, offered in the story (a character asks how you are) or out of character.
#pragma once

#include "tta/core/error.hpp"
#include "tta/therapy/catalogue.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tta::therapy {

enum class CheckInMode { kInStory, kOutOfCharacter };
std::string_view Name(CheckInMode m);  // "in_story", "out_of_character"
Result<CheckInMode> ParseCheckInMode(std::string_view name);

inline constexpr int kMinMood = 0;   // the worst the player has felt
inline constexpr int kMaxMood = 10;  // the best
inline constexpr std::size_t kMaxFeelingsPerCheckIn = 5;

struct MoodCheckIn {
    int turn = 0;
    std::int64_t at_ms = 0;  // milliseconds since the Unix epoch, as Clock::NowMillis()
    int score = 0;           // 0..10
    std::vector<std::string> feelings;
    CheckInMode mode = CheckInMode::kInStory;
};

// Validates and normalises a check-in as the player gave it: the score must be 0..10, feeling
// words are trimmed and lower-cased, repeats are dropped, each must be in the catalogue's
// vocabulary and at most kMaxFeelingsPerCheckIn may be given. Errors say what is accepted.
Result<MoodCheckIn> NormaliseCheckIn(const Catalogue& catalogue, MoodCheckIn check_in);

}  // namespace tta::therapy
