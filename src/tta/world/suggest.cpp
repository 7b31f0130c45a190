#include "tta/world/suggest.hpp"

#include <algorithm>

namespace tta::world::detail {

std::size_t EditDistance(std::string_view a, std::string_view b, std::size_t cap) {
    const std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (diff > cap) return cap + 1;
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        std::size_t best = row[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                               diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
            best = std::min(best, row[j]);
        }
        if (best > cap) return cap + 1;
    }
    return std::min(row[b.size()], cap + 1);
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

}  // namespace tta::world::detail
