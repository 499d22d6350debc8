// zai-connect dashboard — request rules shared by the browser and headless platforms.
#include "platform.h"

namespace zai::web {

bool is_same_origin_path(std::string_view path) {
    if (path.size() < 1 || path[0] != '/') return false;
    // "//host" is a network-path reference; browsers read '\' as '/'.
    if (path.size() > 1 && (path[1] == '/' || path[1] == '\\')) return false;
    for (char c : path) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\\' || u < 0x20 || u == 0x7f) return false;
    }
    return true;
}

namespace {

// `path` is `prefix` itself or continues with '/' or a query.
bool under(std::string_view path, std::string_view prefix) {
    if (path.substr(0, prefix.size()) != prefix) return false;
    return path.size() == prefix.size() || path[prefix.size()] == '/' || path[prefix.size()] == '?';
}

}  // namespace

bool needs_api_header(std::string_view path) { return under(path, "/api") || under(path, "/logout"); }

}  // namespace zai::web
