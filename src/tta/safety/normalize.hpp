// tta::safety text normalisation: the small, predictable form every safety rule is written
// against, with a map back to the caller's bytes so evidence can point at what was typed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tta::safety {

// What Normalize produces. `text` is lower-case ASCII where the input was ASCII, with
// apostrophes removed ("don't" -> "dont", "I'm" -> "im"), whitespace runs collapsed to one
// space, typographic quotes, dashes and full-width letters folded to ASCII, zero-width
// characters dropped, runs of three or more equal letters shortened to two ("killl" -> "kill"),
// look-alike digits and symbols between letters read as letters ("k1ll" -> "kill"), and '-',
// '_' between letters read as a space ("self-harm" -> "self harm").
struct NormalizedText {
    std::string text;
    // For each byte of `text`, the [begin, end) bytes of the source it came from.
    std::vector<std::uint32_t> begin;
    std::vector<std::uint32_t> end;

    // The source bytes behind text[b, e). Requires b < e <= text.size().
    std::pair<std::size_t, std::size_t> SourceSpan(std::size_t b, std::size_t e) const {
        return {begin[b], end[e - 1]};
    }
};

// `source` must be valid UTF-8 (pass it through tta::SanitizeUtf8 first).
NormalizedText Normalize(std::string_view source);

}  // namespace tta::safety
