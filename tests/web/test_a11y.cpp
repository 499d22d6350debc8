// The accessibility mirror's data: role names, the JSON the page receives, lookups, labels.
#include <doctest/doctest.h>

#include "a11y.h"
#include "ui.h"

using namespace zai::web;

TEST_CASE("roles are spelled as in ARIA") {
    CHECK(role_id(Role::heading) == "heading");
    CHECK(role_id(Role::text) == "text");
    CHECK(role_id(Role::button) == "button");
    CHECK(role_id(Role::link) == "link");
    CHECK(role_id(Role::list) == "list");
    CHECK(role_id(Role::listitem) == "listitem");
    CHECK(role_id(Role::status) == "status");
    CHECK(role_id(Role::alert) == "alert");
}

TEST_CASE("the page gets one array per node") {
    A11yTree tree;
    tree.push_back(A11yNode{Role::heading, "zai-connect", 7, -1, 1, "", false, Rect{10, 20, 30, 40}});
    tree.push_back(A11yNode{Role::list, "Organisations", 8, -1, 0, "", false, Rect{0, 0, 100, 50}});
    tree.push_back(A11yNode{Role::link, "Say \"hi\" — ✓", 4294967295u, 1, 0, "/organizations/1", true, Rect{1, 2, 3, 4}});
    CHECK(a11y_json(tree) ==
          R"([[7,-1,"heading","zai-connect",10,20,30,40,1,"",false],)"
          R"([8,-1,"list","Organisations",0,0,100,50,0,"",false],)"
          R"([4294967295,1,"link","Say \"hi\" — ✓",1,2,3,4,0,"/organizations/1",true]])");

    SUBCASE("an empty frame is an empty array") { CHECK(a11y_json({}) == "[]"); }
    SUBCASE("invalid UTF-8 from server data is replaced, not thrown") {
        A11yTree bad{A11yNode{Role::text, std::string("a\xff" "b"), 1, -1, 0, "", false, Rect{}}};
        CHECK(a11y_json(bad) == "[[1,-1,\"text\",\"a\xEF\xBF\xBD" "b\",0,0,0,0,0,\"\",false]]");
    }
}

TEST_CASE("nodes are found by role and exact name") {
    A11yTree tree{A11yNode{Role::text, "Open", 1, -1, 0, "", false, Rect{}},
                  A11yNode{Role::button, "Open", 2, -1, 0, "", false, Rect{}}};
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
