#include "tta/web/static_site.hpp"

#include <array>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

namespace tta::web {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";
// The player loads nothing from elsewhere: scripts, styles, the manifest and the service worker
// all come from this origin, and the API is same-origin too.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
constexpr std::size_t kMaxDepth = 4;  // path segments the catch-all routes cover

// FNV-1a: the ETag only has to change when the bytes do; it is not a security boundary.
std::string EtagFor(std::string_view bytes) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(h >> shift) & 15];
    out += '"';
    return out;
}

bool HasExtension(std::string_view segment) {
    const auto dot = segment.rfind('.');
    return dot != std::string_view::npos && dot > 0 && dot + 1 < segment.size();
}

// A decoded segment that could step out of the root or hide in it.
bool UnsafeSegment(std::string_view s) {
    return s.empty() || s == "." || s == ".." || s.front() == '.' ||
           s.find_first_of(std::string_view("/\\\0", 3)) != std::string_view::npos;
}

server::Response NoRoute(const server::Request& request) {
    return server::Response(Error::NotFound("no route for " + request.path));
}

}  // namespace

std::string_view ContentTypeFor(std::string_view file_name) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTypes = {{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".txt", "text/plain; charset=utf-8"},
        {".xml", "application/xml"},
        {".wasm", "application/wasm"},
    }};
    const auto dot = file_name.rfind('.');
    if (dot == std::string_view::npos) return "application/octet-stream";
    const std::string_view ext = file_name.substr(dot);
    for (const auto& [suffix, type] : kTypes) {
        if (ext.size() != suffix.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < ext.size() && same; ++i) {
            same = std::tolower(static_cast<unsigned char>(ext[i])) == suffix[i];
        }
        if (same) return type;
    }
    return "application/octet-stream";
}

Result<StaticSite> StaticSite::Load(const fs::path& root) {
    std::error_code ec;
    if (!fs::is_regular_file(root / "index.html", ec)) {
        return Error::NotFound("no index.html in " + root.string() +
                               " (build the web player with scripts/web.sh)");
    }
    StaticSite site;
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
    if (ec) return Error::Unavailable("cannot read " + root.string() + ": " + ec.message());
    for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
        if (ec) return Error::Unavailable("cannot read " + root.string() + ": " + ec.message());
        const fs::path rel = it->path().lexically_relative(root);
        const std::string name = it->path().filename().string();
        if (!name.empty() && name.front() == '.') {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (it->is_symlink(ec) || !it->is_regular_file(ec)) continue;
        const auto size = it->file_size(ec);
        if (ec)
            return Error::Unavailable("cannot read " + it->path().string() + ": " + ec.message());
        if (size > kMaxFileBytes) {
            return Error::Invalid(it->path().string() + " is larger than " +
                                  std::to_string(kMaxFileBytes) + " bytes; is the web root right?");
        }
        if (site.files_.size() + 1 > kMaxFiles || site.total_bytes_ + size > kMaxTotalBytes) {
            return Error::Invalid(root.string() + " holds more than " + std::to_string(kMaxFiles) +
                                  " files or " + std::to_string(kMaxTotalBytes) +
                                  " bytes; is the web root right?");
        }
        std::ifstream in(it->path(), std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        if (!in) return Error::Unavailable("cannot read " + it->path().string());

        std::string url;
        for (const auto& part : rel) url += "/" + part.string();
        StaticFile file;
        file.body = std::move(bytes).str();
        file.content_type = std::string(ContentTypeFor(name));
        file.etag = EtagFor(file.body);
        // Vite names what it puts under assets/ by content hash, so those never change.
        file.cache_control = std::string(url.starts_with("/assets/") ? kImmutable : kRevalidate);
        site.total_bytes_ += file.body.size();
        site.files_.emplace(std::move(url), std::move(file));
    }
    return site;
}

void StaticSite::AddRoutes(server::Router& router) const {
    server::RouteOptions options;  // in memory: answered on the I/O thread, rate limited
    const auto handler = [this](server::Request& r) { return Serve(r); };
    std::string pattern;
    std::vector<std::string> patterns = {"/"};
    for (std::size_t depth = 1; depth <= kMaxDepth; ++depth) {
        pattern += "/{p" + std::to_string(depth) + "}";
        patterns.push_back(pattern);
    }
    for (const auto& p : patterns) {
        for (auto method : {server::Method::kGet, server::Method::kPost, server::Method::kPut,
                            server::Method::kPatch, server::Method::kDelete}) {
            router.Add(method, p, handler, options);
        }
    }
}

server::Response StaticSite::Serve(const server::Request& request) const {
    std::vector<std::string> segments;
    std::string_view raw = request.path;
    if (raw.starts_with('/')) raw.remove_prefix(1);
    while (!raw.empty()) {
        const auto slash = raw.find('/');
        auto decoded = server::PercentDecode(raw.substr(0, slash));
        if (!decoded) return server::Response(Error::Invalid("malformed request path"));
        segments.push_back(std::move(*decoded));
        if (slash == std::string_view::npos) break;
        raw.remove_prefix(slash + 1);
    }
    // Paths under /v1 belong to the API: one it does not have is the API's 404, whatever the
    // method, so a misspelt call never gets the player's HTML.
    if (!segments.empty() && segments.front() == "v1") return NoRoute(request);
    if (request.method != server::Method::kGet && request.method != server::Method::kHead) {
        return server::Response::ErrorBody(405, "method_not_allowed",
                                           std::string(server::MethodName(request.method)) +
                                               " is not allowed here; allowed: GET, HEAD")
            .WithHeader("Allow", "GET, HEAD");
    }
    std::string key;
    for (const auto& s : segments) {
        if (UnsafeSegment(s)) return NoRoute(request);
        key += "/" + s;
    }
    if (key.empty()) key = "/index.html";

    auto found = files_.find(key);
    if (found == files_.end()) {
        // A missing file stays missing (a stale script must not be answered with HTML); a
        // path without an extension is one of the player's own pages.
        if (!segments.empty() && HasExtension(segments.back())) return NoRoute(request);
        found = files_.find("/index.html");
    }
    const StaticFile& file = found->second;

    server::Response res;
    res.headers.emplace_back("ETag", file.etag);
    res.headers.emplace_back("Cache-Control", file.cache_control);
    if (request.Header("if-none-match") == file.etag) {
        res.status = 304;
        res.content_type.clear();
        return res;
    }
    res.status = 200;
    res.content_type = file.content_type;
    res.body = file.body;
    if (file.content_type.starts_with("text/html")) {
        res.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
        res.headers.emplace_back("Referrer-Policy", "no-referrer");
    }
    return res;
}

}  // namespace tta::web
