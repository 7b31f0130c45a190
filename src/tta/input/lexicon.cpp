#include "tta/input/lexicon.hpp"

#include <algorithm>
#include <array>

#include "tta/input/normalize.hpp"

namespace tta::input {

bool IsArticle(std::string_view word) {
    static constexpr std::array<std::string_view, 9> kArticles{
        "the", "a", "an", "some", "my", "that", "this", "these", "those"};
    return std::find(kArticles.begin(), kArticles.end(), word) != kArticles.end();
}

void Lexicon::Add(std::string_view phrase, EntityRef ref) {
    Normalized n = Normalize(phrase);
    auto first = std::find_if(n.words.begin(), n.words.end(),
                              [](const std::string& w) { return !IsArticle(w); });
    std::vector<std::string> words(first, n.words.end());
    if (words.empty()) return;
    std::string joined;
    for (const auto& w : words) {
        if (!joined.empty()) joined += ' ';
        joined += w;
    }
    for (const auto& e : entries_) {
        if (e.phrase == joined && e.ref == ref) return;
    }
    entries_.push_back({std::move(words), std::move(joined), std::move(ref)});
}

std::vector<LexiconMatch> Lexicon::MatchPrefix(std::span<const std::string> words,
                                               std::span<const EntityKind> kinds) const {
    std::vector<LexiconMatch> out;
    for (const auto& e : entries_) {
        if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), e.ref.kind) == kinds.end()) {
            continue;
        }
        if (e.words.size() > words.size()) continue;
        int typos = 0;
        bool ok = true;
        for (std::size_t i = 0; i < e.words.size() && ok; ++i) {
            const std::string& want = e.words[i];
            if (words[i] == want) continue;
            const int allowed = TypoAllowance(std::min(want.size(), words[i].size()));
            const int d = EditDistance(words[i], want, allowed);
            if (d > allowed) ok = false;
            typos += d;
        }
        if (ok) out.push_back({&e.ref, e.words.size(), typos, e.phrase});
    }
    std::stable_sort(out.begin(), out.end(), [](const LexiconMatch& a, const LexiconMatch& b) {
        if (a.words_used != b.words_used) return a.words_used > b.words_used;
        return a.typos < b.typos;
    });
    return out;
}

bool Lexicon::Knows(std::string_view word) const {
    for (const auto& e : entries_) {
        if (std::find(e.words.begin(), e.words.end(), word) != e.words.end()) return true;
    }
    return false;
}

}  // namespace tta::input
