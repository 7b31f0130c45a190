// Spelling suggestions for diagnostics: "unknown key 'discription' (did you mean
// 'description'?)". Internal to the world module.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tta/world/pack.hpp"

namespace tta::world::detail {

// Levenshtein distance, capped: returns `cap + 1` as soon as the distance must exceed `cap`.
std::size_t EditDistance(std::string_view a, std::string_view b, std::size_t cap);

// " (did you mean 'x'?)" for the closest candidate within a distance that scales with the
// word's length (1 for short words, up to 3), or "" when nothing is close.
std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates);

// "a place", "an item", "an ending".
std::string WithArticle(Kind kind);

}  // namespace tta::world::detail
