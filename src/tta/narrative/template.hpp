// tta::narrative templates: renders a world's Mustache text (docs/worlds.md, "Text") against
// the session state. Plain text out: nothing is HTML-escaped here; the web player escapes
// on display.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "tta/world/pack.hpp"
#include "tta/world/state.hpp"

namespace tta::narrative {

// Who the player is, for {{player.name}} and pronouns.
struct PlayerInfo {
    std::string name = "traveller";
    std::string they = "they";
    std::string them = "them";
    std::string their = "their";
};

// Pronoun forms from "she/her", "he/him", "they/them" or a custom "xe/xem/xyr".
PlayerInfo MakePlayer(std::string name, std::string_view pronouns);

// The values a template may read, built once per turn from the state after its effects.
class TemplateContext {
public:
    TemplateContext(const world::Pack& pack, const world::State& state, const PlayerInfo& player);
    ~TemplateContext();
    TemplateContext(const TemplateContext&) = delete;
    TemplateContext& operator=(const TemplateContext&) = delete;

    // Renders source; a template that does not parse (the validator rejects those, so only a
    // pack edited without validation) yields the source as written rather than nothing.
    std::string Render(std::string_view source) const;

private:
    struct Data;
    std::unique_ptr<Data> data_;
};

}  // namespace tta::narrative
