// tta::input lexicon: every name a player may use for something in the world (places,
// people, items, topics), matched word by word with typo tolerance ("lantren" → lantern).
// Built once per world pack and shared by all sessions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tta::input {

enum class EntityKind { kPlace, kPerson, kItem, kTopic };

struct EntityRef {
    EntityKind kind = EntityKind::kItem;
    std::string id;
    std::string owner;  // for topics: the person who knows it ("" for any)

    bool operator==(const EntityRef&) const = default;
};

struct LexiconMatch {
    const EntityRef* ref = nullptr;
    std::size_t words_used = 0;          // how many input words the phrase covered
    int typos = 0;                       // total edit distance across those words
    std::string_view phrase;             // the canonical phrase that matched
};

class Lexicon {
public:
    // phrase is normalised the same way as player input ("the Brass Lantern" → brass lantern;
    // leading articles dropped).
    void Add(std::string_view phrase, EntityRef ref);

    // Phrases that match a prefix of words, best first: more words covered, then fewer typos.
    // Only entries of the given kinds when kinds is non-empty.
    std::vector<LexiconMatch> MatchPrefix(std::span<const std::string> words,
                                          std::span<const EntityKind> kinds = {}) const;

    // Whether a word is part of any phrase (exactly); used to tell "unknown word" from
    // "known word in the wrong place" when explaining what was not understood.
    bool Knows(std::string_view word) const;

    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        std::vector<std::string> words;
        std::string phrase;
        EntityRef ref;
    };
    std::vector<Entry> entries_;
};

// Articles and possessives dropped in front of names: the, a, an, some, my, that, this.
bool IsArticle(std::string_view word);

}  // namespace tta::input
