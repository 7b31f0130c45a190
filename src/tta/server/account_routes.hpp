// tta::server account routes (issue 3): the HTTP face of accounts.hpp.
//
//   POST /v1/auth/register  {username, password, email?}  -> 201 session
//   POST /v1/auth/login     {username, password}          -> 200 session
//   POST /v1/auth/refresh   {refresh_token}               -> 200 session (the token rotates)
//   POST /v1/auth/logout    {refresh_token}               -> 204
//   GET  /v1/me             (Bearer access token)         -> 200 user
//
// A session is {access_token, token_type: "Bearer", expires_in, refresh_token, user}; a user is
// {id, username, email, roles, created_at}. Token responses carry Cache-Control: no-store
// (RFC 6749 §5.1). docs/api.md has the details.
#pragma once

#include "tta/server/accounts.hpp"
#include "tta/server/router.hpp"

namespace tta::server {

// `accounts` must outlive the router's use.
void AddAccountRoutes(Router& router, Accounts& accounts);

// {id, username, email, roles, created_at}
boost::json::object UserJson(const store::User& user);

}  // namespace tta::server
