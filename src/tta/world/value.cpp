#include "tta/world/value.hpp"

namespace tta::world {

VarType TypeOf(const Value& v) {
    switch (v.index()) {
        case 0:
            return VarType::kFlag;
        case 1:
            return VarType::kNumber;
        default:
            return VarType::kString;
    }
}

bool Truthy(const Value& v) {
    if (const bool* b = std::get_if<bool>(&v)) return *b;
    if (const std::int64_t* n = std::get_if<std::int64_t>(&v)) return *n != 0;
    return !std::get<std::string>(v).empty();
}

std::string ToString(const Value& v) {
    if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    if (const std::int64_t* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
    return std::get<std::string>(v);
}

const char* TypeName(VarType t) {
    switch (t) {
        case VarType::kFlag:
            return "flag";
        case VarType::kNumber:
            return "number";
        case VarType::kString:
            return "string";
    }
    return "flag";
}

}  // namespace tta::world
