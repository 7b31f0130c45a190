// tta::input emotion cues: feeling words in what the player types ("I feel anxious", "so
// tired of this"), mapped to a small set of labels the therapy planner understands. A cue is
// a signal, never a diagnosis; the game invites, it does not tell a player how they feel.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tta::input {

struct EmotionCue {
    std::string label;  // anxious, afraid, sad, lonely, angry, overwhelmed, ashamed, tired,
                        // calm, hopeful, happy
    std::string word;   // the word the player used
    bool negated = false;  // "not anxious", "don't feel calm"
};

// Cues in normalised words, in order of appearance.
std::vector<EmotionCue> FindEmotionCues(std::span<const std::string> words);

// True when the input is a statement about the player's own feelings ("i feel …",
// "i am so …", "feeling …") rather than a command.
bool IsFeelingStatement(std::span<const std::string> words);

// The label for a feeling word, or empty.
std::string_view EmotionLabel(std::string_view word);

}  // namespace tta::input
