#include "tta/server/world_routes.hpp"

#include <boost/json/array.hpp>

#include "tta/engine/therapy_layer.hpp"

namespace tta::server {
namespace json = boost::json;

namespace {

json::array Strings(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

}  // namespace

json::object WorldJson(const world::Pack& pack) {
    const auto& meta = pack.meta;
    json::array techniques;
    const therapy::Catalogue& catalogue = engine::BuiltinCatalogue();
    for (const auto& id : meta.techniques) {
        json::object t;
        t["id"] = id;
        if (const therapy::Technique* technique = catalogue.FindTechnique(id)) {
            t["name"] = technique->name;
            t["framework"] = therapy::Name(technique->framework);
            t["summary"] = technique->summary;
        }
        techniques.push_back(std::move(t));
    }
    json::object o;
    o["id"] = meta.id;
    o["title"] = meta.title;
    o["version"] = meta.version;
    o["summary"] = meta.summary;
    o["therapeutic_focus"] = Strings(meta.therapeutic_focus);
    o["techniques"] = std::move(techniques);
    o["content_notes"] = Strings(meta.content_notes);
    o["age_guidance"] = meta.age_guidance;
    o["locale"] = meta.locale;
    return o;
}

void AddWorldRoutes(Router& router, const engine::WorldCatalog& worlds) {
    router.Add(Method::kGet, "/v1/worlds", [&worlds](Request&) {
        json::array list;
        for (const auto& w : worlds.All()) list.push_back(WorldJson(*w->pack));
        return Response::Json(200, json::object{{"worlds", std::move(list)}});
    });
    router.Add(Method::kGet, "/v1/worlds/{id}", [&worlds](Request& req) -> Response {
        auto w = worlds.Find(req.Param("id"));
        if (!w) return Error::NotFound("no world '" + std::string(req.Param("id")) + "'");
        return Response::Json(200, WorldJson(*w->pack));
    });
}

}  // namespace tta::server
