// zai-connect dashboard — the accessibility mirror of a frame.
//
// Every heading, text and action the current view draws is also recorded as a node with an ARIA
// role, an accessible name and the widget's rectangle on the canvas. The platform turns the list
// into an invisible DOM tree (platform_web.cpp) that screen readers read and activate, and that
// browser tests query by role and name before clicking the canvas at the rectangle. The list is
// rebuilt every frame and published only when it differs from the last one published.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zai::web {

// The roles the dashboard uses; the DOM mirror maps each to a native element (h1-h3, p, button,
// a, ul, li, input) or an ARIA live region (status: polite, alert: assertive).
enum class Role : std::uint8_t { heading, text, button, link, list, listitem, status, alert, textbox };
inline constexpr std::size_t role_count = 9;

std::string_view role_id(Role r);  // "heading", "button", ... as in ARIA

// In CSS pixels from the canvas' top-left corner (the canvas fills the page, so also page
// coordinates); whole pixels so that sub-pixel jitter does not republish the tree.
struct Rect {
    int x = 0;
    int y = 0;
    int w = 0;
    int h = 0;

    friend bool operator==(const Rect&, const Rect&) = default;
};

struct A11yNode {
    Role role = Role::text;
    std::string name;        // visible label, or a fuller name given by the view ("Open Acme GmbH")
    std::uint32_t key = 0;   // stable across frames; for actions the ImGui id that activate() takes
    int parent = -1;         // index of the enclosing list/listitem node, -1 at top level
    int level = 0;           // headings: 1..3
    std::string href;        // links: the in-app path they lead to
    bool disabled = false;   // actions that cannot be used right now
    Rect rect;
    std::string value;       // textbox: its text
    // listitem of a clipped list, where only some items exist in the mirror: the list's length and
    // this item's 1-based place in it (aria-setsize, aria-posinset); 0 when the whole list is there.
    int set_size = 0;
    int position = 0;

    friend bool operator==(const A11yNode&, const A11yNode&) = default;
};

using A11yTree = std::vector<A11yNode>;

// The JSON the web platform hands to the page: one array per node,
//   [key, parent, role, name, x, y, w, h, level, href, disabled, value, set_size, position]
// (arrays, not objects, so the JavaScript needs no property names that Closure could rename).
std::string a11y_json(const A11yTree& tree);

// The first node with this role and exact name, or nullptr.
const A11yNode* find_node(const A11yTree& tree, Role role, std::string_view name);

}  // namespace zai::web
