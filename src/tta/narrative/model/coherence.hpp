// tta::narrative::model coherence check: does a model's text stay true to the world? The
// engine's state and this turn's effects are the facts (ARCHITECTURE.md, principle 2); the
// check looks for text that contradicts them. Heuristic and deliberately conservative — a
// false alarm costs one regeneration or the authored text, a miss puts a wrong fact in front
// of the player — and cheap (microseconds), since it runs on every sentence as it streams.
//
// Checks, in order:
//  - out_of_scope: a person of the world named who is not here (by name or a capitalised
//    alias), or a place or item named by its full multi-word name ("walled garden", "brass
//    lantern") that is not in scope. In scope: the player's place and the places its visible
//    exits lead to, the people there, items there and carried, and whatever this turn's
//    events or authored text name. Single-word place and item names are too common as words
//    ("lantern", "beach") to police.
//  - invented_name: a capitalised word that is not at the start of a sentence or quotation
//    and appears nowhere in the world's text (names, aliases, descriptions, dialogue) — the
//    mark of a character or place the model made up ("Captain Rook").
//  - contradiction: the text says the player takes, drops or hands over an item when this
//    turn's effects did not do that, calls something "your X" that the player does not
//    carry, has someone give the player an item the player does not have afterwards, or puts
//    the player somewhere other than where the state says.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tta/world/pack.hpp"
#include "tta/world/simulator.hpp"

namespace tta::narrative::model {

struct CoherenceIssue {
    std::string check;   // out_of_scope, invented_name, contradiction
    std::string detail;  // for logs and the regeneration note: "names Mira, who is not here"
};

// What is true after this turn, in the terms the checker needs (ids).
struct TurnScope {
    std::string place;                            // the player's place
    std::set<std::string, std::less<>> in_scope;  // ids of places, people and items
    std::set<std::string, std::less<>> carried;   // items the player has after the turn
    std::set<std::string, std::less<>> taken;     // items that came to the player this turn
    std::set<std::string, std::less<>> parted;    // items that left the player this turn
    std::set<std::string, std::less<>> words;     // extra allowed capitalised words, lowercase
};

class CoherenceChecker {
  public:
    // Indexes the pack's names, aliases and capitalised words; once per pack.
    explicit CoherenceChecker(const world::Pack& pack);

    // The scope of a turn: the state after it, its events and effects, and the authored text
    // (whatever it names is fair to mention). `player_name` may be capitalised in the text.
    TurnScope Scope(const world::Outcome& outcome, std::string_view authored_text,
                    std::string_view player_name) const;

    // Every problem found, in text order within each check; empty when the text is coherent.
    std::vector<CoherenceIssue> Check(std::string_view text, const TurnScope& scope) const;

  private:
    struct Phrase {
        std::string words;  // normalised: lowercase words separated by single spaces
        std::vector<std::string> tokens;
        world::Kind kind;
        std::string id;
        std::string name;      // as the world writes it, for messages
        bool polices = false;  // naming it out of scope is an issue
    };
    // A span of words naming something: every phrase with exactly those words.
    struct Match {
        std::size_t begin = 0;  // word indices
        std::size_t end = 0;
        std::vector<const Phrase*> phrases;
    };
    // The names in `words`, in text order; a name inside a longer one ("lamp" in "lamp
    // room") is not a match of its own.
    std::vector<Match> Matches(const std::vector<std::string>& words) const;
    void AddPhrase(std::string_view text, world::Kind kind, const std::string& id,
                   const std::string& name, bool polices);

    const world::Pack& pack_;
    std::vector<Phrase> phrases_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_first_word_;  // into phrases_
    std::unordered_set<std::string> known_words_;  // lowercase forms of capitalised world words
};

// Lowercase ASCII letters and digits kept, everything else a single space, with a space at
// each end: " the brass lantern s glow ". Bytes above 0x7F are kept as letters.
std::string NormaliseForMatching(std::string_view text);

}  // namespace tta::narrative::model
