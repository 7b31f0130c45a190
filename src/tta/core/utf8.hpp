// tta::core UTF-8 helpers. Players may type any byte sequence; everything downstream of the
// first stage sees valid UTF-8 only.
#pragma once

#include <string>
#include <string_view>

namespace tta {

bool IsValidUtf8(std::string_view s);
// Replaces each invalid sequence with U+FFFD and drops NUL and other C0 controls except tab
// and newline.
std::string SanitizeUtf8(std::string_view s);
// The longest prefix of s, at most max_bytes long, that does not split a code point.
std::string_view Utf8Prefix(std::string_view s, std::size_t max_bytes);

}  // namespace tta
