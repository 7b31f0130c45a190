// Internal to tta::safety: the data files compiled into the binary (generated at build time
// by embed_data.cmake from data/safety/), so safety works with no data directory at all.
#pragma once

#include <string_view>

namespace tta::safety::embedded {

std::string_view RulesYaml();
std::string_view OutputRulesYaml();
std::string_view ResourcesYaml();
std::string_view MessagesYaml();

}  // namespace tta::safety::embedded
