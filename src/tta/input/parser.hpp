// tta::input parser (IPA, the input stage): turns what a player typed into a world Action, a
// meta command (help, undo, …) or an honest "not understood" that says what was understood.
// Spell-tolerant against the world's lexicon, prefers things in reach when names collide,
// and notes feeling words as emotion cues whatever the command.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tta/input/emotion.hpp"
#include "tta/input/lexicon.hpp"
#include "tta/world/action.hpp"

namespace tta::input {

enum class Meta {
    kNone,
    kHelp,
    kUndo,
    kQuit,
    kProgress,
    kJournal,
    kCheckIn,
    kQuestionnaire,
    kSafetyPlan,
};

// What is within the player's reach this turn: used to resolve "the lamp" when two lamps
// exist, "talk" with one person present, and choices while a scene is open.
struct Scope {
    std::vector<std::string> people_here;
    std::vector<std::string> items_here;  // in the place, visible
    std::vector<std::string> inventory;
    std::vector<std::string> choices;     // texts of the open scene's choices, in order
};

struct Interpretation {
    enum class Kind { kAction, kMeta, kNotUnderstood, kEmpty };
    Kind kind = Kind::kEmpty;
    world::Action action;
    Meta meta = Meta::kNone;
    // What follows a meta command that takes words, as typed (case and punctuation kept):
    // "journal <text>", "check in <rating and feelings>", "questionnaire <phq9|gad7|schedule>".
    std::string argument;
    std::string text;                      // the sanitised input
    std::vector<EmotionCue> emotions;
    std::vector<std::string> corrections;  // "lantren → lantern"
    // For kNotUnderstood: the verb that was recognised (may be empty) and the words that
    // were not, so the reply can say what it did understand.
    std::string understood;
    std::vector<std::string> unknown_words;
};

Interpretation Interpret(std::string_view raw, const Lexicon& lexicon, const Scope& scope);

// The verbs and forms the parser knows, for `help`.
std::string_view HelpText();

}  // namespace tta::input
