// zai-connect dashboard — which view a URL path shows, and the router that follows the History API.
//
// Routes (the backend serves the dashboard shell for each, so reload and deep links work):
//   /            home
//   anything else not_found (issue 5 adds /organizations/<id>)
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "platform.h"

namespace zai::web {

struct Route {
    enum class Page { home, not_found };

    Page page = Page::home;
    std::string path;  // the path it was read from, query included

    friend bool operator==(const Route&, const Route&) = default;
};

// Reads a path with optional query ("/x?y=1"); never fails: unknown paths are `not_found`.
Route parse_route(std::string_view path);

// The current route, kept in step with the address bar: go() pushes a history entry, redirect()
// replaces the current one, and back/forward (popstate) re-read the path.
class Router {
public:
    explicit Router(Platform& platform);

    const Route& route() const { return route_; }
    void go(std::string_view path);
    void redirect(std::string_view path);

private:
    Platform& platform_;
    Route route_;
};

}  // namespace zai::web
