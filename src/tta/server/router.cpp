#include "tta/server/router.hpp"

#include <cstdio>
#include <cstdlib>
#include <map>

namespace tta::server {

struct Router::Node {
    std::map<std::string, std::unique_ptr<Node>, std::less<>> literal;
    std::unique_ptr<Node> param;
    std::string param_name;
    std::map<Method, const Route*> routes;
};

namespace {

[[noreturn]] void Die(std::string_view what, std::string_view pattern) {
    std::fprintf(stderr, "tta::server::Router: %.*s: %.*s\n", static_cast<int>(what.size()),
                 what.data(), static_cast<int>(pattern.size()), pattern.data());
    std::abort();
}

// "/a/b" -> {"a", "b"}; "/" -> {}. Returns false for a path not starting with '/'.
bool Split(std::string_view path, std::vector<std::string_view>& out) {
    if (path.empty() || path[0] != '/') return false;
    path.remove_prefix(1);
    if (path.empty()) return true;
    while (true) {
        const auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) return true;
        path.remove_prefix(slash + 1);
    }
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

const Route& Router::Add(Method method, std::string_view pattern, Handler handler,
                         RouteOptions options) {
    if (frozen_) Die("route added after the server started", pattern);
    if (method == Method::kHead || method == Method::kOther) {
        Die("HEAD is served by GET; register a real method", pattern);
    }
    std::vector<std::string_view> segments;
    if (!Split(pattern, segments)) Die("patterns start with '/'", pattern);
    Node* node = root_.get();
    for (std::string_view seg : segments) {
        if (seg.empty()) Die("empty segment", pattern);
        if (seg.front() == '{') {
            if (seg.back() != '}' || seg.size() < 3) Die("malformed parameter", pattern);
            const std::string name(seg.substr(1, seg.size() - 2));
            if (!node->param) {
                node->param = std::make_unique<Node>();
                node->param->param_name = name;
            } else if (node->param->param_name != name) {
                Die("one parameter name per position", pattern);
            }
            node = node->param.get();
        } else {
            auto& child = node->literal[std::string(seg)];
            if (!child) child = std::make_unique<Node>();
            node = child.get();
        }
    }
    if (node->routes.count(method) != 0) Die("route registered twice", pattern);
    auto route = std::make_unique<Route>();
    route->index = routes_.size();
    route->method = method;
    route->pattern = std::string(pattern);
    route->handler = std::move(handler);
    route->options = options;
    node->routes[method] = route.get();
    routes_.push_back(std::move(route));
    return *routes_.back();
}

RouteMatch Router::Find(Method method, std::string_view raw_path) const {
    RouteMatch m;
    std::vector<std::string_view> raw;
    if (!Split(raw_path, raw)) {
        m.kind = RouteMatch::Kind::kBadPath;
        return m;
    }
    std::vector<std::string> segments;
    segments.reserve(raw.size());
    for (std::string_view r : raw) {
        auto decoded = PercentDecode(r);
        if (!decoded) {
            m.kind = RouteMatch::Kind::kBadPath;
            return m;
        }
        segments.push_back(std::move(*decoded));
    }

    // Depth-first, literal before parameter; the first node that ends the path with any
    // route decides (so a literal match never falls back to a parameter for another method).
    std::vector<std::pair<std::string, std::string>> params;
    const std::function<const Node*(const Node*, std::size_t)> walk =
        [&](const Node* node, std::size_t i) -> const Node* {
        if (i == segments.size()) return node->routes.empty() ? nullptr : node;
        if (auto it = node->literal.find(segments[i]); it != node->literal.end()) {
            if (const Node* found = walk(it->second.get(), i + 1)) return found;
        }
        if (node->param && !segments[i].empty()) {
            params.emplace_back(node->param->param_name, segments[i]);
            if (const Node* found = walk(node->param.get(), i + 1)) return found;
            params.pop_back();
        }
        return nullptr;
    };
    const Node* node = walk(root_.get(), 0);
    if (node == nullptr) return m;

    const Method lookup = method == Method::kHead ? Method::kGet : method;
    if (auto it = node->routes.find(lookup); it != node->routes.end()) {
        m.kind = RouteMatch::Kind::kFound;
        m.route = it->second;
        m.params = std::move(params);
        return m;
    }
    m.kind = RouteMatch::Kind::kMethodNotAllowed;
    for (const auto& [method_allowed, route] : node->routes) {
        if (!m.allow.empty()) m.allow += ", ";
        m.allow += MethodName(method_allowed);
        if (method_allowed == Method::kGet) m.allow += ", HEAD";
    }
    return m;
}

}  // namespace tta::server
