// The accessibility mirror's data: role names, the JSON the page receives, lookups, labels.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <utility>

#include "a11y.h"
#include "ui.h"

using namespace zai::web;

namespace {

// A node with the fields most tests care about; the rest keep their defaults.
A11yNode node(Role role, std::string name, std::uint32_t key, int parent = -1, Rect rect = {}) {
    A11yNode n;
    n.role = role;
    n.name = std::move(name);
    n.key = key;
    n.parent = parent;
    n.rect = rect;
    return n;
}

}  // namespace

TEST_CASE("roles are spelled as in ARIA") {
    CHECK(role_id(Role::heading) == "heading");
    CHECK(role_id(Role::text) == "text");
    CHECK(role_id(Role::button) == "button");
    CHECK(role_id(Role::link) == "link");
    CHECK(role_id(Role::list) == "list");
    CHECK(role_id(Role::listitem) == "listitem");
    CHECK(role_id(Role::status) == "status");
    CHECK(role_id(Role::alert) == "alert");
    CHECK(role_id(Role::textbox) == "textbox");
}

TEST_CASE("the page gets one array per node") {
    A11yTree tree;
    tree.push_back(node(Role::heading, "zai-connect", 7, -1, Rect{10, 20, 30, 40}));
    tree.back().level = 1;
    tree.push_back(node(Role::list, "Organisations", 8, -1, Rect{0, 0, 100, 50}));
    tree.push_back(node(Role::link, "Say \"hi\" — ✓", 4294967295u, 1, Rect{1, 2, 3, 4}));
    tree.back().href = "/organizations/1";
    tree.back().disabled = true;
    tree.push_back(node(Role::listitem, "Acme", 9, 1, Rect{0, 0, 100, 20}));
    tree.back().set_size = 1000;
    tree.back().position = 42;
    tree.push_back(node(Role::textbox, "Filter", 10, -1, Rect{0, 60, 300, 38}));
    tree.back().value = "acme";
    CHECK(a11y_json(tree) ==
          R"([[7,-1,"heading","zai-connect",10,20,30,40,1,"",false,"",0,0],)"
          R"([8,-1,"list","Organisations",0,0,100,50,0,"",false,"",0,0],)"
          R"([4294967295,1,"link","Say \"hi\" — ✓",1,2,3,4,0,"/organizations/1",true,"",0,0],)"
          R"([9,1,"listitem","Acme",0,0,100,20,0,"",false,"",1000,42],)"
          R"([10,-1,"textbox","Filter",0,60,300,38,0,"",false,"acme",0,0]])");

    SUBCASE("an empty frame is an empty array") { CHECK(a11y_json({}) == "[]"); }
    SUBCASE("invalid UTF-8 from server data is replaced, not thrown") {
        A11yTree bad{node(Role::text, std::string("a\xff" "b"), 1)};
        CHECK(a11y_json(bad) == "[[1,-1,\"text\",\"a\xEF\xBF\xBD" "b\",0,0,0,0,0,\"\",false,\"\",0,0]]");
    }
}

TEST_CASE("nodes are found by role and exact name") {
    A11yTree tree{node(Role::text, "Open", 1), node(Role::button, "Open", 2)};
    REQUIRE(find_node(tree, Role::button, "Open") != nullptr);
    CHECK(find_node(tree, Role::button, "Open")->key == 2);
    CHECK(find_node(tree, Role::button, "open") == nullptr);
    CHECK(find_node(tree, Role::link, "Open") == nullptr);
}

TEST_CASE("the mirror shows the visible part of an ImGui label") {
    CHECK(visible_label("Open##42") == "Open");
    CHECK(visible_label("Open") == "Open");
    CHECK(visible_label("##hidden").empty());
    CHECK(visible_label("a#b") == "a#b");
}
