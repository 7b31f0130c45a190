#include "tta/safety/types.hpp"

#include <array>

namespace tta::safety {
namespace {

constexpr std::array<std::string_view, 4> kLevelNames = {"none", "concern", "high", "imminent"};
constexpr std::array<std::string_view, kCategoryCount> kCategoryNames = {
    "suicide", "self_harm", "abuse",    "danger_from_others", "harm_to_others", "medical_emergency",
    "panic",   "eating",    "substance", "distress",          "other_at_risk"};

}  // namespace

std::string_view LevelName(Level level) { return kLevelNames[static_cast<int>(level)]; }

std::optional<Level> ParseLevel(std::string_view name) {
    for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
        if (kLevelNames[i] == name) return static_cast<Level>(i);
    }
    return std::nullopt;
}

std::string_view CategoryName(Category category) {
    return kCategoryNames[static_cast<int>(category)];
}

std::optional<Category> ParseCategory(std::string_view name) {
    for (std::size_t i = 0; i < kCategoryNames.size(); ++i) {
        if (kCategoryNames[i] == name) return static_cast<Category>(i);
    }
    return std::nullopt;
}

const std::vector<Category>& AllCategories() {
    static const std::vector<Category> all = [] {
        std::vector<Category> v;
        for (int i = 0; i < kCategoryCount; ++i) v.push_back(static_cast<Category>(i));
        return v;
    }();
    return all;
}

}  // namespace tta::safety
