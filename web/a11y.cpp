// zai-connect dashboard — accessibility mirror: role names and the JSON for the page.
#include "a11y.h"

#include <nlohmann/json.hpp>

namespace zai::web {

std::string_view role_id(Role r) {
    switch (r) {
    case Role::heading: return "heading";
    case Role::text: return "text";
    case Role::button: return "button";
    case Role::link: return "link";
    case Role::list: return "list";
    case Role::listitem: return "listitem";
    case Role::status: return "status";
    case Role::alert: return "alert";
    case Role::textbox: return "textbox";
    }
    return "text";
}

std::string a11y_json(const A11yTree& tree) {
    nlohmann::json out = nlohmann::json::array();
    for (const A11yNode& n : tree) {
        out.push_back({n.key, n.parent, role_id(n.role), n.name, n.rect.x, n.rect.y, n.rect.w, n.rect.h, n.level,
                       n.href, n.disabled, n.value, n.set_size, n.position});
    }
    // Replace invalid UTF-8 rather than throw: names come from server data.
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const A11yNode* find_node(const A11yTree& tree, Role role, std::string_view name) {
    for (const A11yNode& n : tree) {
        if (n.role == role && n.name == name) return &n;
    }
    return nullptr;
}

}  // namespace zai::web
