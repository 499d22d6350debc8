// zai-connect dashboard — routes and the History API router.
#include "route.h"

#include <zai/uuid.h>

namespace zai::web {

namespace {
constexpr std::string_view organizations_prefix = "/organizations/";
}

Route parse_route(std::string_view path) {
    Route r;
    r.path = std::string(path);
    const std::string_view bare = path.substr(0, path.find_first_of("?#"));
    if (bare == "/" || bare.empty()) {
        r.page = Route::Page::home;
    } else if (bare.substr(0, organizations_prefix.size()) == organizations_prefix &&
               is_uuid(bare.substr(organizations_prefix.size()))) {
        r.page = Route::Page::organization;
        r.organization_id = std::string(bare.substr(organizations_prefix.size()));
    } else {
        r.page = Route::Page::not_found;
    }
    return r;
}

std::string organization_path(std::string_view organization_id) {
    return std::string(organizations_prefix) + std::string(organization_id);
}

Router::Router(Platform& platform) : platform_(platform), route_(parse_route(platform.path())) {
    platform_.on_path_change([this] { set(platform_.path()); });
}

void Router::set(std::string_view path) {
    route_ = parse_route(path);
    ++generation_;
}

void Router::go(std::string_view path) {
    if (path == route_.path) return;
    platform_.push_path(path);
    set(path);
}

void Router::redirect(std::string_view path) {
    platform_.replace_path(path);
    set(path);
}

}  // namespace zai::web
