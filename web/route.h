// zai-connect dashboard — which view a URL path shows, and the router that follows the History API.
//
// Routes (the backend serves the dashboard shell for / and /organizations/..., so reload and deep
// links work):
//   /                          home: the dashboard, or the sign-in view when signed out
//   /organizations/<uuid>      one organisation
//   anything else              not_found
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "platform.h"

namespace zai::web {

struct Route {
    enum class Page { home, organization, not_found };

    Page page = Page::home;
    std::string path;             // the path it was read from, query included
    std::string organization_id;  // organization: the lower-case UUID from the path

    friend bool operator==(const Route&, const Route&) = default;
};

// Reads a path with optional query ("/x?y=1"); never fails: unknown paths are `not_found`.
Route parse_route(std::string_view path);

// The in-app path of an organisation's page.
std::string organization_path(std::string_view organization_id);

// The current route, kept in step with the address bar: go() pushes a history entry, redirect()
// replaces the current one, and back/forward (popstate) re-read the path.
class Router {
public:
    explicit Router(Platform& platform);

    const Route& route() const { return route_; }
    // Counts route changes (go, redirect, back/forward): a view that loads data for its route
    // compares it with the value it loaded for.
    std::uint64_t generation() const { return generation_; }
    void go(std::string_view path);
    void redirect(std::string_view path);

private:
    void set(std::string_view path);

    Platform& platform_;
    Route route_;
    std::uint64_t generation_ = 1;
};

}  // namespace zai::web
