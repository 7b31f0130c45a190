// tta::narrative::model prompt assembly: what a model is told for one turn. Grounded in the
// world graph and nothing else (ARCHITECTURE.md, principle 2):
//  - a system prompt per world: its title, premise and voice (a world's own voice file, or a
//    default), the boundaries (stay in the fiction; no medical advice; no self-harm detail;
//    the world's content notes and age guidance), and the rule that the engine's events are
//    the facts and the model only phrases them;
//  - lorebook-style facts for what is in scope only: the place, the ways on, the people here,
//    the items here and carried, each with its own description;
//  - pinned facts (the player's name and pronouns, an open scene) and a window of the most
//    recent turns' text, for continuity;
//  - this turn: what the player did (as the engine understood it — never the player's own
//    words, which are personal and stay in the process), the effects, the events as the
//    authored narrator renders them (every fact the text must carry), and the therapeutic
//    beat the planner chose, if any.
// The prompt hash (FNV-1a 64 of the messages) goes into provenance: equal facts, equal hash.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tta/narrative/model/chat.hpp"
#include "tta/narrative/narrator.hpp"
#include "tta/world/pack.hpp"
#include "tta/world/simulator.hpp"

namespace tta::narrative::model {

struct PromptInput {
    const world::Pack* pack = nullptr;
    const world::Outcome* outcome = nullptr;
    const PlayerInfo* player = nullptr;
    const world::Action* action = nullptr;  // null on the opening turn
    const Narration* authored = nullptr;    // the authored narration of this turn
    std::optional<Beat> beat;
    std::span<const std::string> window;  // earlier turns' text, oldest first
    std::string voice;                    // the world's narrator voice; empty: the default
    std::size_t max_chars = 1500;
    // After a rejected draft: what was wrong, for the one regeneration.
    std::string correction;
};

struct Prompt {
    std::vector<ChatMessage> messages;
    std::string hash;  // 16 hex digits
};

Prompt BuildPrompt(const PromptInput& input);

// FNV-1a, 64-bit, as 16 lowercase hex digits.
std::string Fnv1a64Hex(std::string_view data);

// The narrator voice used when a world has none of its own.
std::string_view DefaultVoice();

}  // namespace tta::narrative::model
