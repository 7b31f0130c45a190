// tta::web static site: serves the built web player (web/dist, docs/web.md) from `tta serve`
// at `/`, beside the API. The files are read into memory when the server starts, so a request
// can only ever name a file that was found under the root at start-up (no path from a request
// reaches the filesystem), and answering costs no disk access on the I/O threads.
//
// What it answers (GET and HEAD; other methods get 405):
//   - a known file: its bytes, a content type from its extension, an ETag (If-None-Match
//     gives 304) and a cache policy: Vite's content-hashed files under /assets/ are immutable
//     for a year, everything else is revalidated on each use (index.html, sw.js, the manifest);
//   - any other path without a file extension: index.html, so that the player's own paths
//     (/play/..., /progress) survive a reload (the single-page fallback);
//   - paths under /v1 that no API route took, and missing files with an extension: the API's
//     JSON 404, exactly as the router gives it.
// Its routes are catch-alls ("/", "/{p1}" ... four segments deep) that the router tries only
// after every literal route, so API routes always win. They are not part of server::Api, so
// the OpenAPI document does not list them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "tta/core/error.hpp"
#include "tta/server/http.hpp"
#include "tta/server/router.hpp"

namespace tta::web {

struct StaticFile {
    std::string body;
    std::string content_type;
    std::string etag;           // quoted, e.g. "\"3f2a9c1e0b7d4e55\""
    std::string cache_control;  // e.g. "public, max-age=31536000, immutable"
};

class StaticSite {
  public:
    // Bounds that keep a mistaken root (a home directory, say) from filling memory.
    static constexpr std::size_t kMaxFileBytes = 8u << 20;
    static constexpr std::size_t kMaxTotalBytes = 64u << 20;
    static constexpr std::size_t kMaxFiles = 2000;

    // Reads every regular file under `root` (hidden files and symlinks are skipped). NotFound
    // when root has no index.html; Invalid when it breaks a bound above.
    static Result<StaticSite> Load(const std::filesystem::path& root);

    // Registers the catch-all routes; call after the API's routes are added (any order works,
    // since literal segments win, but the API must be complete before the server starts).
    void AddRoutes(server::Router& router) const;

    server::Response Serve(const server::Request& request) const;

    std::size_t FileCount() const { return files_.size(); }
    std::size_t TotalBytes() const { return total_bytes_; }

  private:
    // Keys are URL paths: "/index.html", "/assets/index-3f2a9c1e.js".
    std::map<std::string, StaticFile, std::less<>> files_;
    std::size_t total_bytes_ = 0;
};

// The content type TTA serves for a file name ("app.js" -> "text/javascript; charset=utf-8");
// application/octet-stream for extensions it does not know.
std::string_view ContentTypeFor(std::string_view file_name);

}  // namespace tta::web
