#include "tta/world/action.hpp"

namespace tta::world {

const char* VerbName(Verb v) {
    switch (v) {
        case Verb::kLook:
            return "look";
        case Verb::kGo:
            return "go";
        case Verb::kTake:
            return "take";
        case Verb::kDrop:
            return "drop";
        case Verb::kGive:
            return "give";
        case Verb::kUse:
            return "use";
        case Verb::kOpen:
            return "open";
        case Verb::kExamine:
            return "examine";
        case Verb::kTalk:
            return "talk";
        case Verb::kAsk:
            return "ask";
        case Verb::kInventory:
            return "inventory";
        case Verb::kChoose:
            return "choose";
        case Verb::kReflect:
            return "reflect";
        case Verb::kBreathe:
            return "breathe";
        case Verb::kWait:
            return "wait";
    }
    return "look";
}

}  // namespace tta::world
