// tta::world actions: what the input stage (IPA) makes of a player's words, and the only
// thing the simulator (WBA) consumes. Ids are already resolved against the pack's
// vocabulary; meta commands (help, undo, quit, progress, journal, check in) belong to the
// engine and never become an Action.
#pragma once

#include <string>

namespace tta::world {

enum class Verb {
    kLook,     // look around; with `object`, the same as examine
    kGo,       // `direction` ("north") or `object` (an adjacent place id)
    kTake,     // object: item id
    kDrop,     // object: item id
    kGive,     // object: item id; target: person id
    kUse,      // object: item id; target: optional id it is used on
    kOpen,     // object: item id
    kExamine,  // object: place, person or item id
    kTalk,     // object: person id (empty: whoever is here, if exactly one)
    kAsk,      // object: person id; topic: topic id, or the raw word when unknown
    kInventory,
    kChoose,   // choice: 1-based number among the open scene's available choices
    kReflect,  // a feeling statement; emotion: "anxious", "sad", ... (may be empty)
    kBreathe,
    kWait,
};
// Stable lowercase names: "look", "go", ...
const char* VerbName(Verb v);

struct Action {
    Verb verb = Verb::kLook;
    std::string object;  // an id, or the player's words when nothing matched
    std::string target;
    std::string direction;
    std::string topic;
    int choice = 0;
    std::string emotion;

    friend bool operator==(const Action&, const Action&) = default;
};

}  // namespace tta::world
