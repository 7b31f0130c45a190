#include "tta/server/openapi.hpp"

namespace tta::server {

// Defined in openapi_document.cpp, which CMake writes from openapi.json.
extern const std::string_view kOpenApiJson;

std::string_view OpenApiDocument() { return kOpenApiJson; }

void AddOpenApiRoute(Router& router) {
    RouteOptions options;
    options.rate_limited = false;
    router.Add(
        Method::kGet, "/openapi.json",
        [](Request&) {
            Response r = Response::Text(200, std::string(kOpenApiJson), "application/json");
            r.WithHeader("Cache-Control", "public, max-age=300");
            return r;
        },
        options);
}

}  // namespace tta::server
