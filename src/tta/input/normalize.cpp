#include "tta/input/normalize.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "tta/core/utf8.hpp"

namespace tta::input {
namespace {

// Apostrophes are removed before splitting, so contractions are matched without them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 23> kContractions{{
    {"im", "i am"},          {"ive", "i have"},     {"id", "i would"},
    {"ill", "i will"},       {"dont", "do not"},    {"doesnt", "does not"},
    {"didnt", "did not"},    {"cant", "can not"},   {"cannot", "can not"},
    {"wont", "will not"},    {"isnt", "is not"},    {"arent", "are not"},
    {"wasnt", "was not"},    {"werent", "were not"}, {"havent", "have not"},
    {"hasnt", "has not"},    {"couldnt", "could not"}, {"shouldnt", "should not"},
    {"wouldnt", "would not"}, {"youre", "you are"}, {"theyre", "they are"},
    {"whats", "what is"},    {"thats", "that is"},
}};

bool IsWordByte(unsigned char c) {
    return std::isalnum(c) != 0 || c >= 0x80;  // keep non-ASCII letters whole
}

}  // namespace

Normalized Normalize(std::string_view raw) {
    Normalized out;
    out.text = SanitizeUtf8(Utf8Prefix(raw, kMaxInputBytes));
    // Curly apostrophe (U+2019) counts as an apostrophe.
    std::string flat;
    flat.reserve(out.text.size());
    for (std::size_t i = 0; i < out.text.size(); ++i) {
        if (out.text.compare(i, 3, "\xE2\x80\x99") == 0) {
            i += 2;
            continue;
        }
        const auto c = static_cast<unsigned char>(out.text[i]);
        if (c == '\'') continue;
        flat += IsWordByte(c) ? static_cast<char>(std::tolower(c)) : ' ';
    }
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        auto it = std::find_if(kContractions.begin(), kContractions.end(),
                               [&](const auto& p) { return p.first == word; });
        if (it == kContractions.end()) {
            out.words.push_back(std::move(word));
        } else {
            const std::string_view expansion = it->second;
            const auto space = expansion.find(' ');
            out.words.emplace_back(expansion.substr(0, space));
            out.words.emplace_back(expansion.substr(space + 1));
        }
        word.clear();
    };
    for (char c : flat) {
        if (c == ' ') {
            flush();
        } else {
            word += c;
        }
    }
    flush();
    // Collapse runs of whitespace in the display text.
    std::string collapsed;
    for (char c : out.text) {
        const bool space = c == ' ' || c == '\t' || c == '\n';
        if (space && (collapsed.empty() || collapsed.back() == ' ')) continue;
        collapsed += space ? ' ' : c;
    }
    while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
    out.text = std::move(collapsed);
    return out;
}

int EditDistance(std::string_view a, std::string_view b, int limit) {
    const int n = static_cast<int>(a.size());
    const int m = static_cast<int>(b.size());
    if (std::abs(n - m) > limit) return limit + 1;
    // Three rows suffice for the optimal-string-alignment variant.
    std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (int j = 0; j <= m; ++j) prev[j] = j;
    for (int i = 1; i <= n; ++i) {
        cur[0] = i;
        int row_min = cur[0];
        for (int j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
            }
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min > limit) return limit + 1;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[m], limit + 1);
}

int TypoAllowance(std::size_t length) {
    if (length < 4) return 0;
    if (length < 8) return 1;
    return 2;
}

}  // namespace tta::input
