// tta::server OpenAPI: the OpenAPI 3.1 description of every route (openapi.json beside this
// file, compiled into the binary) and the route that serves it, GET /openapi.json. A test
// checks that every registered route and method appears in it, so it stays true as routes are
// added: add a route, describe it in openapi.json.
#pragma once

#include <string_view>

#include "tta/server/router.hpp"

namespace tta::server {

std::string_view OpenApiDocument();
void AddOpenApiRoute(Router& router);

}  // namespace tta::server
