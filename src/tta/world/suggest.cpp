#include "tta/world/suggest.hpp"

#include <algorithm>

namespace tta::world::detail {

// Optimal string alignment distance: Levenshtein plus adjacent transpositions ("oli" is one
// slip away from "oil"), which are among the commonest typing mistakes.
std::size_t EditDistance(std::string_view a, std::string_view b, std::size_t cap) {
    const std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (diff > cap) return cap + 1;
    std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        row[0] = i;
        std::size_t best = row[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                row[j] = std::min(row[j], before[j - 2] + 1);
            }
            best = std::min(best, row[j]);
        }
        if (best > cap) return cap + 1;
        std::swap(before, prev);
        std::swap(prev, row);
    }
    return std::min(prev[b.size()], cap + 1);
}

std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
    const std::size_t cap = word.size() <= 4 ? 1 : word.size() <= 8 ? 2 : 3;
    std::string_view best;
    std::size_t best_distance = cap + 1;
    for (std::string_view candidate : candidates) {
        const std::size_t d = EditDistance(word, candidate, cap);
        if (d < best_distance || (d == best_distance && !best.empty() && candidate < best)) {
            if (d <= cap) {
                best = candidate;
                best_distance = d;
            }
        }
    }
    if (best.empty()) return {};
    return " (did you mean '" + std::string(best) + "'?)";
}

std::string WithArticle(Kind kind) {
    const std::string name = KindName(kind);
    return (name[0] == 'i' || name[0] == 'e' ? "an " : "a ") + name;
}

}  // namespace tta::world::detail
