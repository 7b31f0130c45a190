// tta::server world routes (issue 3): the worlds this server plays, for choosing one before a
// session starts. Public (no access token needed): nothing here is about a player.
//
//   GET /v1/worlds       -> 200 {"worlds": [World...]}, by id
//   GET /v1/worlds/{id}  -> 200 World; 404 for an unknown id
//
// A World is {id, title, version, summary, therapeutic_focus, techniques: [{id, name,
// framework, summary}], content_notes, age_guidance, locale}. docs/api.md has an example.
#pragma once

#include <boost/json/object.hpp>

#include "tta/engine/world_catalog.hpp"
#include "tta/server/router.hpp"

namespace tta::server {

// `worlds` must outlive the router's use.
void AddWorldRoutes(Router& router, const engine::WorldCatalog& worlds);

boost::json::object WorldJson(const world::Pack& pack);

}  // namespace tta::server
