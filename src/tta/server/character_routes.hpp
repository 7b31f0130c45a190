// tta::server character routes (issue 3): the characters a player plays as. All need an access
// token; a player sees and changes only their own, and anyone else's answers 404 as if it did
// not exist.
//
//   POST   /v1/characters       {name, pronouns?, background?, locale?, profile?} -> 201
//   GET    /v1/characters       -> 200 {"characters": [Character...]}, oldest first
//   GET    /v1/characters/{id}  -> 200 Character
//   PATCH  /v1/characters/{id}  any of the fields; null clears background and locale -> 200
//   DELETE /v1/characters/{id}  -> 204
//
// A Character is {id, name, pronouns, background, locale, profile, created_at, updated_at}.
// The background is personal: it is kept in the character's personal bytes, sealed with the
// player's data key by the store given here (a SealedAccountStore, personal.hpp). The
// profile is the therapeutic profile of therapy_profile.hpp (goals, frameworks, max_intensity,
// topics_to_avoid, conditions, questionnaires), checked with therapy::ValidateProfile.
#pragma once

#include <optional>
#include <string>

#include "tta/core/clock.hpp"
#include "tta/server/router.hpp"
#include "tta/store/account_store.hpp"

namespace tta::server {

struct CharacterLimits {
    std::size_t max_per_account = 50;
};

// `accounts` (sealing personal bytes) and `clock` must outlive the router's use.
void AddCharacterRoutes(Router& router, store::AccountStore& accounts, const Clock& clock,
                        CharacterLimits limits = {});

// What the personal bytes of a character hold.
struct CharacterPersonal {
    std::optional<std::string> background;
    std::optional<std::string> locale;  // for crisis lines, e.g. "en-GB"
};
CharacterPersonal ReadCharacterPersonal(const store::Character& character);

}  // namespace tta::server
