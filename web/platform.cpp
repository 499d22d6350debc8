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

bool needs_api_header(std::string_view path) {
    const std::string_view prefix = "/api";
    if (path.substr(0, prefix.size()) != prefix) return false;
    return path.size() == prefix.size() || path[prefix.size()] == '/' || path[prefix.size()] == '?';
}

}  // namespace zai::web
