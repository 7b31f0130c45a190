// tta::world values: what a world variable holds. Numbers are integers (worlds count things;
// they never need fractions), strings are short words like "low", flags are booleans.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace tta::world {

using Value = std::variant<bool, std::int64_t, std::string>;

enum class VarType { kFlag, kNumber, kString };

VarType TypeOf(const Value& v);
// Truth as conditions read it: true flags, non-zero numbers, non-empty strings.
bool Truthy(const Value& v);
// The text a template shows: "true"/"false", decimal digits, or the string itself.
std::string ToString(const Value& v);
// "flag", "number", "string".
const char* TypeName(VarType t);

}  // namespace tta::world
