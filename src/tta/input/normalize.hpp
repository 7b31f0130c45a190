// tta::input normalisation: the first thing done to what a player types. Produces lowercase
// words with punctuation removed and common contractions expanded, so that every later step
// (verbs, names, feelings) compares plain words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tta::input {

struct Normalized {
    std::string text;                // sanitised UTF-8, whitespace collapsed, as typed
    std::vector<std::string> words;  // lowercase, punctuation stripped, contractions expanded
};

// Input longer than kMaxInputBytes is cut at a code-point boundary before anything else.
inline constexpr std::size_t kMaxInputBytes = 2000;

Normalized Normalize(std::string_view raw);

// Damerau–Levenshtein distance (optimal string alignment), capped: returns limit + 1 as soon
// as the distance is known to exceed limit.
int EditDistance(std::string_view a, std::string_view b, int limit);

// How many typos a word of this length may carry and still match: none under 4 letters, one
// up to 7, two from 8.
int TypoAllowance(std::size_t length);

}  // namespace tta::input
