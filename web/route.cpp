// zai-connect dashboard — routes and the History API router.
#include "route.h"

namespace zai::web {

Route parse_route(std::string_view path) {
    Route r;
    r.path = std::string(path);
    const std::string_view bare = path.substr(0, path.find_first_of("?#"));
    r.page = (bare == "/" || bare.empty()) ? Route::Page::home : Route::Page::not_found;
    return r;
}

Router::Router(Platform& platform) : platform_(platform), route_(parse_route(platform.path())) {
    platform_.on_path_change([this] { route_ = parse_route(platform_.path()); });
}

void Router::go(std::string_view path) {
    if (path == route_.path) return;
    platform_.push_path(path);
    route_ = parse_route(path);
}

void Router::redirect(std::string_view path) {
    platform_.replace_path(path);
    route_ = parse_route(path);
}

}  // namespace zai::web
