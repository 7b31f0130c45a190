#include "tta/narrative/template.hpp"

#include <kainjow/mustache.hpp>

namespace tta::narrative {

namespace mustache = kainjow::mustache;

PlayerInfo MakePlayer(std::string name, std::string_view pronouns) {
    PlayerInfo p;
    if (!name.empty()) p.name = std::move(name);
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= pronouns.size()) {
        const auto slash = pronouns.find('/', start);
        const auto end = slash == std::string_view::npos ? pronouns.size() : slash;
        if (end > start) parts.emplace_back(pronouns.substr(start, end - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (parts.empty()) return p;
    if (parts[0] == "she") {
        p.they = "she", p.them = "her", p.their = "her";
    } else if (parts[0] == "he") {
        p.they = "he", p.them = "him", p.their = "his";
    } else if (parts[0] != "they") {
        p.they = parts[0];
        p.them = parts.size() > 1 ? parts[1] : parts[0];
        p.their = parts.size() > 2 ? parts[2] : p.them;
    }
    return p;
}

struct TemplateContext::Data {
    mustache::data root{mustache::data::type::object};
};

TemplateContext::TemplateContext(const world::Pack& pack, const world::State& state,
                                 const PlayerInfo& player)
    : data_(std::make_unique<Data>()) {
    mustache::data who{mustache::data::type::object};
    who.set("name", player.name);
    who.set("they", player.they);
    who.set("them", player.them);
    who.set("their", player.their);
    data_->root.set("player", who);

    mustache::data vars{mustache::data::type::object};
    mustache::data flags{mustache::data::type::object};
    for (std::size_t i = 0; i < pack.variables.size() && i < state.variables.size(); ++i) {
        const auto& v = pack.variables[i];
        vars.set(v.id, world::ToString(state.variables[i]));
        flags.set(v.id, mustache::data(world::Truthy(state.variables[i])));
    }
    data_->root.set("var", vars);
    data_->root.set("flag", flags);

    mustache::data place{mustache::data::type::object};
    if (state.player >= 0) place.set("name", world::PlayerPlace(pack, state).name);
    data_->root.set("place", place);
    data_->root.set("turn", std::to_string(world::Turns(pack, state)));
}

TemplateContext::~TemplateContext() = default;

std::string TemplateContext::Render(std::string_view source) const {
    mustache::mustache tmpl{std::string(source)};
    if (!tmpl.is_valid()) return std::string(source);
    tmpl.set_custom_escape([](const std::string& s) { return s; });
    return tmpl.render(data_->root);
}

}  // namespace tta::narrative
