// tta::safety vocabulary shared by the gates, the response composer and the event hook:
// how serious an input is (Level) and what it is about (Category).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace tta::safety {

// Ordered: a higher level always wins. `high` and `imminent` owe the player a crisis reply
// outside the fiction; `concern` an in-story grounding offer; `none` nothing.
enum class Level { kNone = 0, kConcern = 1, kHigh = 2, kImminent = 3 };

enum class Category {
    kSuicide,
    kSelfHarm,
    kAbuse,
    kDangerFromOthers,
    kHarmToOthers,
    kMedicalEmergency,
    kPanic,
    kEating,
    kSubstance,
    kDistress,
    kOtherAtRisk,  // the player is worried about someone else (a friend, a sibling)
};

inline constexpr int kCategoryCount = 11;

std::string_view LevelName(Level level);
std::optional<Level> ParseLevel(std::string_view name);
std::string_view CategoryName(Category category);
std::optional<Category> ParseCategory(std::string_view name);
const std::vector<Category>& AllCategories();

inline bool IsCrisis(Level level) { return level >= Level::kHigh; }

}  // namespace tta::safety
