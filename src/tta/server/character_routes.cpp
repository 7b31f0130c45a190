#include "tta/server/character_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tta/engine/therapy_layer.hpp"
#include "tta/engine/therapy_profile.hpp"
#include "tta/server/route_helpers.hpp"

namespace tta::server {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxName = 64;
constexpr std::size_t kMaxPronouns = 32;
constexpr std::size_t kMaxBackground = 4000;
constexpr std::size_t kMaxLocale = 35;
constexpr std::size_t kMaxProfileBytes = 8192;
constexpr std::string_view kDefaultPronouns = "they/them";

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

store::Bytes WritePersonal(const CharacterPersonal& p) {
    json::object o;
    if (p.background) o["background"] = *p.background;
    if (p.locale) o["locale"] = *p.locale;
    if (o.empty()) return {};
    return store::ToBytes(json::serialize(o));
}

json::object CharacterJson(const store::Character& c) {
    const CharacterPersonal personal = ReadCharacterPersonal(c);
    json::error_code ec;
    json::value profile = json::parse(c.profile, ec);
    if (ec || !profile.is_object()) profile = json::object{};
    json::object o;
    o["id"] = c.id;
    o["name"] = c.name;
    o["pronouns"] = c.pronouns;
    o["background"] = personal.background ? json::value(*personal.background) : nullptr;
    o["locale"] = personal.locale ? json::value(*personal.locale) : nullptr;
    o["profile"] = std::move(profile);
    o["created_at"] = Rfc3339(c.created_ms);
    o["updated_at"] = Rfc3339(c.updated_ms);
    return o;
}

Status CheckLocale(const std::string& locale) {
    for (char ch : locale) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        if (!ok) return Error::Invalid("locale must look like en-GB");
    }
    if (locale.empty()) return Error::Invalid("locale must look like en-GB");
    return Ok();
}

// Applies the fields present in `body` to `c` (all of them are optional here; POST checks for
// the name). The personal part is decoded, changed and encoded again.
Status Apply(const json::object& body, store::Character& c) {
    if (auto known = OnlyKnownFields(body, {"name", "pronouns", "background", "locale", "profile"});
        !known) {
        return known;
    }
    if (body.contains("name")) {
        auto name = RequiredString(body, "name", kMaxName);
        if (!name) return name.error();
        if (Blank(*name)) return Error::Invalid("name must not be blank");
        c.name = std::move(*name);
    }
    if (body.contains("pronouns")) {
        auto pronouns = RequiredString(body, "pronouns", kMaxPronouns);
        if (!pronouns) return pronouns.error();
        if (Blank(*pronouns)) return Error::Invalid("pronouns must not be blank");
        c.pronouns = std::move(*pronouns);
    }
    CharacterPersonal personal = ReadCharacterPersonal(c);
    if (body.contains("background")) {
        auto background = OptionalString(body, "background", kMaxBackground);
        if (!background) return background.error();
        personal.background = std::move(*background);
    }
    if (body.contains("locale")) {
        auto locale = OptionalString(body, "locale", kMaxLocale);
        if (!locale) return locale.error();
        if (*locale) {
            if (auto ok = CheckLocale(**locale); !ok) return ok;
        }
        personal.locale = std::move(*locale);
    }
    c.personal = WritePersonal(personal);
    if (const json::value* profile = body.if_contains("profile")) {
        if (!profile->is_object() && !profile->is_null()) {
            return Error::Invalid("profile must be an object");
        }
        std::string text = profile->is_null() ? "{}" : json::serialize(*profile);
        if (text.size() > kMaxProfileBytes) return Error::Invalid("profile is too large");
        auto parsed = engine::ParsePlayerProfile(engine::BuiltinCatalogue(), text);
        if (!parsed) return parsed.error();
        c.profile = std::move(text);
    }
    return Ok();
}

// The caller's character, or 404 whether it is missing or someone else's.
Result<store::Character> Owned(store::AccountStore& accounts, const Request& req) {
    const std::string_view id = req.Param("id");
    auto c = accounts.GetCharacter(id);
    if (!c) {
        if (c.error().code == ErrorCode::kNotFound) {
            return Error::NotFound("no character '" + std::string(id) + "'");
        }
        return c.error();
    }
    if (c->owner_user_id != req.principal->user_id) {
        return Error::NotFound("no character '" + std::string(id) + "'");
    }
    return c;
}

}  // namespace

CharacterPersonal ReadCharacterPersonal(const store::Character& character) {
    CharacterPersonal p;
    if (character.personal.empty()) return p;
    json::error_code ec;
    json::value v = json::parse(store::AsText(character.personal), ec);
    if (ec || !v.is_object()) return p;
    const json::object& o = v.as_object();
    if (const json::value* b = o.if_contains("background"); b && b->is_string()) {
        p.background = std::string(b->as_string());
    }
    if (const json::value* l = o.if_contains("locale"); l && l->is_string()) {
        p.locale = std::string(l->as_string());
    }
    return p;
}

void AddCharacterRoutes(Router& router, store::AccountStore& accounts, const Clock& clock,
                        CharacterLimits limits) {
    RouteOptions options;
    options.authenticated = true;
    options.blocking = true;

    router.Add(
        Method::kPost, "/v1/characters",
        [&accounts, &clock, limits](Request& req) -> Response {
            auto body = req.JsonObject();
            if (!body) return body.error();
            if (!body->contains("name")) return Error::Invalid("name is required");
            store::Character c;
            c.id = NewId();
            c.owner_user_id = req.principal->user_id;
            c.pronouns = std::string(kDefaultPronouns);
            if (auto applied = Apply(*body, c); !applied) return applied.error();
            auto existing = accounts.ListCharacters(c.owner_user_id);
            if (!existing) return existing.error();
            if (existing->size() >= limits.max_per_account) {
                return Error::Conflict("an account may keep at most " +
                                       std::to_string(limits.max_per_account) +
                                       " characters; delete one first");
            }
            c.created_ms = clock.NowMillis();
            c.updated_ms = c.created_ms;
            if (auto created = accounts.CreateCharacter(c); !created) {
                // A user deleted since their token was issued has nowhere to keep characters.
                if (created.error().code == ErrorCode::kNotFound) {
                    return Error{ErrorCode::kUnauthenticated, "the account no longer exists"};
                }
                return created.error();
            }
            return Response::Json(201, CharacterJson(c))
                .WithHeader("Location", "/v1/characters/" + c.id);
        },
        options);

    router.Add(
        Method::kGet, "/v1/characters",
        [&accounts](Request& req) -> Response {
            auto list = accounts.ListCharacters(req.principal->user_id);
            if (!list) return list.error();
            json::array out;
            for (const auto& c : *list) out.push_back(CharacterJson(c));
            return Response::Json(200, json::object{{"characters", std::move(out)}});
        },
        options);

    router.Add(
        Method::kGet, "/v1/characters/{id}",
        [&accounts](Request& req) -> Response {
            auto c = Owned(accounts, req);
            if (!c) return c.error();
            return Response::Json(200, CharacterJson(*c));
        },
        options);

    router.Add(
        Method::kPatch, "/v1/characters/{id}",
        [&accounts, &clock](Request& req) -> Response {
            auto body = req.JsonObject();
            if (!body) return body.error();
            auto c = Owned(accounts, req);
            if (!c) return c.error();
            if (auto applied = Apply(*body, *c); !applied) return applied.error();
            c->updated_ms = clock.NowMillis();
            if (auto updated = accounts.UpdateCharacter(*c); !updated) return updated.error();
            return Response::Json(200, CharacterJson(*c));
        },
        options);

    router.Add(
        Method::kDelete, "/v1/characters/{id}",
        [&accounts](Request& req) -> Response {
            auto c = Owned(accounts, req);
            if (!c) return c.error();
            if (auto deleted = accounts.DeleteCharacter(c->id); !deleted) return deleted.error();
            return Response::NoContent();
        },
        options);
}

}  // namespace tta::server
