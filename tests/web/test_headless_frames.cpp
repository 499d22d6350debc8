// The whole dashboard drawn headless: the real App, views, fonts and widgets on the headless
// platform, driven the way a user (mouse, keyboard), a screen reader (the DOM mirror) or the
// backend (answers to its requests) would. Pixels are not checked here (the browser tests do).
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include <imgui_internal.h>

#include "fixtures.h"

using namespace zai::web;
using namespace fixtures;
using zai::Errc;

namespace {

bool inside(const Rect& inner, const Rect& outer) {
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h;
}

// The children of the list item named `name`, by role.
std::vector<A11yNode> children(const A11yTree& tree, std::string_view item) {
    std::vector<A11yNode> out;
    int parent = -1;
    for (std::size_t i = 0; i < tree.size(); ++i) {
        if (tree[i].role == Role::listitem && tree[i].name == item) parent = static_cast<int>(i);
        if (parent >= 0 && tree[i].parent == parent) out.push_back(tree[i]);
    }
    return out;
}

std::vector<std::string> names_of(const std::vector<A11yNode>& nodes, Role role) {
    std::vector<std::string> out;
    for (const auto& n : nodes) {
        if (n.role == role) out.push_back(n.name);
    }
    return out;
}

const std::string org_path = std::string("/organizations/") + lindqvist;

}  // namespace

TEST_CASE("while the session loads: a busy line, frames only for its spinner") {
    Dashboard d;
    CHECK(d.platform.atlas_builds() == 1);
    CHECK(d.platform.title() == "zai-connect");
    REQUIRE(d.platform.requests().size() == 1);
    CHECK(d.platform.requests()[0].path == "/api/session");
    CHECK(d.has(Role::heading, "zai-connect"));
    CHECK(d.has(Role::status, "Loading\u2026"));
    CHECK(d.platform.frame_due());  // the spinner turns

    d.answer("/api/session", 200, signed_out_json());
    CHECK_FALSE(d.platform.frame_due());  // at rest: nothing is drawn
    CHECK(d.platform.settle() == 0);
}

TEST_CASE("signed out: what the app is, and one sign-in that comes back here") {
    SUBCASE("at /") {
        Dashboard d;
        d.answer("/api/session", 200, signed_out_json());
        CHECK(d.platform.title() == "Sign in \u00B7 zai-connect");
        CHECK(d.has(Role::heading, "zai-connect"));
        CHECK(d.has(Role::status, ""));  // no notice for a plain visit, but the live region exists
        d.platform.click(d.node(Role::button, "Sign in with Zaikio"));
        CHECK(d.platform.left_to() == "/login?return_to=%2F");
    }
    SUBCASE("at a deep link: the organisation is not requested, and sign-in returns to it") {
        Dashboard d(HeadlessOptions{.path = org_path});
        d.answer("/api/session", 200, signed_out_json());
        CHECK(d.platform.requests().size() == 1);  // no 401 noise for a visitor
        CHECK(d.has(Role::text, "After signing in you come back to this organisation."));
        d.platform.activate(d.node(Role::button, "Sign in with Zaikio"));
        CHECK(d.platform.left_to() == std::string("/login?return_to=%2Forganizations%2F") + lindqvist);
    }
}

TEST_CASE("the dashboard: person, organisations with roles and state, actions by role") {
    Dashboard d;
    zai::api::SessionView v = session({row(lindqvist, "Lindqvist Druck GmbH", {"admin"}),
                                       row(nordlicht, "Nordlicht Verpackungen AG", {"member"})},
                                      "Bruno Hartmann");
    d.answer("/api/session", 200, json(v));
    CHECK(d.platform.title() == "Organisations \u00B7 zai-connect");
    CHECK(d.has(Role::heading, "Your organisations"));
    CHECK(d.has(Role::text, "Bruno Hartmann"));
    CHECK(d.has(Role::text, "ada@lindqvist-druck.example"));
    CHECK(d.has(Role::button, "Sign out"));
    CHECK(d.has(Role::status, "Showing 2 of 2 organisations, sorted by name (A to Z)."));

    const auto lq = children(d.platform.a11y(), "Lindqvist Druck GmbH");
    CHECK(names_of(lq, Role::text) ==
          std::vector<std::string>{"Lindqvist Druck GmbH", "Role: Admin", "Installation: Not installed"});
    CHECK(names_of(lq, Role::button) == std::vector<std::string>{"Install for Lindqvist Druck GmbH", "Open Lindqvist Druck GmbH"});
    const auto nl = children(d.platform.a11y(), "Nordlicht Verpackungen AG");
    CHECK(names_of(nl, Role::text) == std::vector<std::string>{"Nordlicht Verpackungen AG", "Role: Member",
                                                               "Installation: Not installed", "Ask an owner or admin to install"});
    CHECK(names_of(nl, Role::button) == std::vector<std::string>{"Open Nordlicht Verpackungen AG"});
    const A11yNode& item = d.node(Role::listitem, "Lindqvist Druck GmbH");
    CHECK(item.position == 1);
    CHECK(item.set_size == 2);

    // Laid out inside the display, the row's parts inside its rectangle.
    const Rect display{0, 0, 1280, 800};
    for (const A11yNode& n : d.platform.a11y()) {
        CAPTURE(n.name);
        if (n.role != Role::list) CHECK(inside(n.rect, display));
    }
    CHECK(inside(d.node(Role::button, "Install for Lindqvist Druck GmbH").rect, item.rect));

    SUBCASE("install leaves for /install with the organisation and the session's nonce (R50)") {
        d.platform.click(d.node(Role::button, "Install for Lindqvist Druck GmbH"));
        CHECK(d.platform.left_to() == std::string("/install?organization_id=") + lindqvist + "&nonce=nonce-123");
    }
    SUBCASE("install for an organisation the Hub lets the admin choose") {
        d.platform.click(d.node(Role::button, "Install for an organisation\u2026"));
        CHECK(d.platform.left_to() == "/install?nonce=nonce-123");
    }
    SUBCASE("open goes to the organisation's page, in history") {
        d.platform.click(d.node(Role::button, "Open Nordlicht Verpackungen AG"));
        CHECK(d.platform.history() == std::vector<std::string>{"/", std::string("/organizations/") + nordlicht});
        d.last_request(std::string("/api/organizations/") + nordlicht);
        CHECK(d.has(Role::heading, "Nordlicht Verpackungen AG"));  // named from the session at once
        CHECK(d.has(Role::status, "Loading the organisation\u2026"));
    }
    SUBCASE("sign out: a POST, then the signed-out view at /") {
        d.platform.click(d.node(Role::button, "Sign out"));
        CHECK(d.node(Role::button, "Sign out").disabled);
        d.answer("/logout", 200, R"({"signed_out":true})");
        CHECK(d.has(Role::status, "You have signed out."));
        CHECK(d.has(Role::button, "Sign in with Zaikio"));
        CHECK(d.platform.path() == "/");
    }
    SUBCASE("a sign-out that fails says so and stays") {
        d.platform.click(d.node(Role::button, "Sign out"));
        d.answer("/logout", 0, "");
        CHECK(d.has(Role::alert, "Signing out failed. No answer from the backend. Check your connection, then try again."));
        CHECK(d.has(Role::heading, "Your organisations"));
    }
}

TEST_CASE("a plain member sees no install action at all") {
    Dashboard d;
    d.answer("/api/session", 200, json(chiara()));
    for (const A11yNode& n : d.platform.a11y()) {
        CAPTURE(n.name);
        if (n.role != Role::button) continue;
        CHECK(n.name.rfind("Install", 0) == std::string::npos);
        CHECK(n.name.rfind("Reinstall", 0) == std::string::npos);
    }
    CHECK(d.has(Role::text, "Ask an owner or admin to install"));
    CHECK(d.has(Role::text, "Role: Member"));
    CHECK(d.has(Role::text, "Role: Purchaser"));
}

TEST_CASE("revoked access shows on the row, with reinstall for admins") {
    Dashboard d;
    d.answer("/api/session", 200,
             json(session({row(lindqvist, "Lindqvist Druck GmbH", {"admin"}, zai::InstallationState::revoked)})));
    CHECK(d.has(Role::text, "Installation: Access revoked"));
    d.platform.click(d.node(Role::button, "Reinstall for Lindqvist Druck GmbH"));
    CHECK(d.platform.left_to() == std::string("/install?organization_id=") + lindqvist + "&nonce=nonce-123");
}

TEST_CASE("filter as you type, on the canvas or in the mirrored <input>; sort by clicking") {
    Dashboard d;
    d.answer("/api/session", 200, json(dev(30)));
    CHECK(d.has(Role::status, "Showing 30 of 30 organisations, sorted by name (A to Z)."));
    const A11yNode field = d.node(Role::textbox, "Filter organisations");
    CHECK(field.value.empty());

    SUBCASE("typing on the canvas filters with every key, and the mirror's <input> follows") {
        d.platform.click(field);
        d.platform.type("00");
        CHECK(d.has(Role::status, "Showing 30 of 30 organisations matching \u201c00\u201d, sorted by name (A to Z)."));
        d.platform.type("2");  // 0002 and 0020 … 0029
        CHECK(d.has(Role::status, "Showing 11 of 30 organisations matching \u201c002\u201d, sorted by name (A to Z)."));
        CHECK(d.node(Role::textbox, "Filter organisations").value == "002");
        d.platform.type("5");
        CHECK(d.count(Role::listitem) == 1);
        CHECK(d.has(Role::listitem, "Scale Print 0025"));

        SUBCASE("Clear empties it") {
            d.platform.click(d.node(Role::button, "Clear the filter"));
            CHECK(d.node(Role::textbox, "Filter organisations").value.empty());
            CHECK(d.has(Role::status, "Showing 30 of 30 organisations, sorted by name (A to Z)."));
        }
    }
    SUBCASE("text from the mirror's <input> reaches the canvas field, also while it is being edited") {
        d.platform.click(field);
        d.platform.type("1");
        d.platform.set_text(field, "0030");
        CHECK(d.node(Role::textbox, "Filter organisations").value == "0030");
        CHECK(d.count(Role::listitem) == 1);
        d.platform.type("x");  // ImGui let go of its old copy: typing on goes nowhere stale
        CHECK(d.node(Role::textbox, "Filter organisations").value != "1x");
    }
    SUBCASE("nothing matches") {
        d.platform.set_text(field, "nothing like it");
        CHECK(d.has(Role::text, "No organisation matches \u201cnothing like it\u201d."));
        CHECK(d.count(Role::listitem) == 0);
    }
    SUBCASE("sort buttons: another key ascending, the same key flips") {
        d.platform.click(d.node(Role::button, "Sort by role"));
        CHECK(d.has(Role::status, "Showing 30 of 30 organisations, sorted by your role (owners and admins first)."));
        CHECK(d.platform.a11y()[static_cast<std::size_t>(find_node(d.platform.a11y(), Role::list, "Organisations") -
                                                         d.platform.a11y().data()) + 1]
                  .name == "Scale Print 0010");
        d.platform.click(d.node(Role::button, "Sort by role"));
        CHECK(d.has(Role::status, "Showing 30 of 30 organisations, sorted by your role (owners and admins last)."));
        d.platform.click(d.node(Role::button, "Sort by name"));
        CHECK(d.has(Role::status, "Showing 30 of 30 organisations, sorted by name (A to Z)."));
        d.platform.click(d.node(Role::button, "Sort by name"));
        CHECK(d.has(Role::status, "Showing 30 of 30 organisations, sorted by name (Z to A)."));
    }
    SUBCASE("the query survives a visit to an organisation and back") {
        d.platform.set_text(field, "0007");
        d.platform.click(d.node(Role::button, "Open Scale Print 0007"));
        d.platform.back();
        CHECK(d.node(Role::textbox, "Filter organisations").value == "0007");
        d.answer("/api/session", 200, json(dev(30)));  // the list is reloaded on return
        CHECK(d.count(Role::listitem) == 1);
    }
}

TEST_CASE("1,000 organisations: only the rows in view are drawn; wheel and focus scroll") {
    Dashboard d;
    d.answer("/api/session", 200, json(dev()));
    const std::size_t mirrored = d.count(Role::listitem);
    CHECK(mirrored >= 3);
    CHECK(mirrored <= 12);  // 800 px of window, not 1,000 rows
    const A11yNode& first = d.node(Role::listitem, "Scale Print 0001");
    CHECK(first.position == 1);
    CHECK(first.set_size == 1000);
    // One row beyond the window is mirrored, so Tab in the DOM can walk on.
    const A11yNode* below = nullptr;
    for (const auto& n : d.platform.a11y()) {
        if (n.role == Role::listitem && (below == nullptr || n.position > below->position)) below = &n;
    }
    REQUIRE(below != nullptr);
    CHECK(below->rect.y >= 800 - below->rect.h);
    const std::string beyond = below->name;

    SUBCASE("the wheel scrolls rows in and out") {
        d.platform.wheel(640, 400, 40);  // 40 lines down
        CHECK_FALSE(d.has(Role::listitem, "Scale Print 0001"));
        CHECK(d.count(Role::listitem) <= 12);
        int lowest = 1000;
        for (const auto& n : d.platform.a11y()) {
            if (n.role == Role::listitem) lowest = std::min(lowest, n.position);
        }
        CHECK(lowest > 5);
    }
    SUBCASE("focusing the row below the window (Tab in the mirror) scrolls it into view") {
        const A11yNode open = d.node(Role::button, "Open " + beyond);
        d.platform.focus(open);
        const A11yNode& now = d.node(Role::button, "Open " + beyond);
        CHECK(now.rect.y + now.rect.h <= 800);
        CHECK(ImGui::GetCurrentContext()->NavId == now.key);
    }
    SUBCASE("the filter narrows 1,000 to one") {
        d.platform.set_text(d.node(Role::textbox, "Filter organisations"), "0420");
        CHECK(d.count(Role::listitem) == 1);
        CHECK(d.node(Role::listitem, "Scale Print 0420").set_size == 1);
        CHECK(d.has(Role::button, "Install for Scale Print 0420"));
    }
}

TEST_CASE("the organisation page") {
    Dashboard d(HeadlessOptions{.height = 1400, .path = org_path});  // tall enough to click everything
    d.answer("/api/session", 200, json(ada()));
    const std::size_t load = d.last_request(std::string("/api/organizations/") + lindqvist);
    CHECK(d.platform.requests()[load].api_header);
    CHECK(d.has(Role::heading, "Lindqvist Druck GmbH"));
    CHECK(d.has(Role::status, "Loading the organisation\u2026"));

    SUBCASE("installed: data, installation, scopes in words beside the raw scope, freshness; no token") {
        d.platform.answer(load, 200, json(installed_view()));
        CHECK(d.platform.title() == "Lindqvist Druck GmbH \u00B7 zai-connect");
        CHECK(d.has(Role::heading, "What zai-connect reads"));
        CHECK(d.has(Role::text, "Country: DE"));
        CHECK(d.has(Role::text, "Kinds: Printer, Machine vendor"));
        CHECK(d.has(Role::text, "Installed by: Bruno Hartmann"));
        const std::string words = zai::describe_scope(*zai::parse_scope("directory.organization.r"));
        const auto scope = children(d.platform.a11y(), words);
        CHECK(names_of(scope, Role::text) == std::vector<std::string>{words, "directory.organization.r"});
        CHECK(d.node(Role::text, words).rect.y == d.node(Role::text, "directory.organization.r").rect.y);  // beside
        CHECK(d.has(Role::text, "Installation: Installed"));
        for (const auto& n : d.platform.a11y()) CHECK(n.name.find("token\"") == std::string::npos);

        SUBCASE("copy the organisation id") {
            d.platform.click(d.node(Role::button, "Copy organisation id"));
            CHECK(d.platform.clipboard() == lindqvist);
            CHECK(d.has(Role::status, "Copied the organisation id."));
        }
        SUBCASE("uninstall asks first; cancel keeps it") {
            d.platform.click(d.node(Role::button, "Uninstall from Lindqvist Druck GmbH"));
            CHECK(d.platform.requests().size() == load + 1);  // nothing sent yet
            d.platform.click(d.node(Role::button, "Keep zai-connect installed"));
            CHECK(d.has(Role::button, "Uninstall from Lindqvist Druck GmbH"));
            CHECK(d.platform.requests().size() == load + 1);
        }
        SUBCASE("uninstall confirmed: a POST, then the page and the dashboard say not installed") {
            d.platform.click(d.node(Role::button, "Uninstall from Lindqvist Druck GmbH"));
            d.platform.click(d.node(Role::button, "Yes, uninstall from Lindqvist Druck GmbH"));
            const std::size_t post = d.last_request(std::string("/api/organizations/") + lindqvist + "/uninstall");
            CHECK(d.platform.requests()[post].method == HttpMethod::post);
            CHECK(d.has(Role::status, "Uninstalling\u2026"));
            d.platform.answer(post, 200, json(not_installed_view()));
            CHECK(d.has(Role::status, "zai-connect was uninstalled from Lindqvist Druck GmbH."));
            CHECK(d.has(Role::text, "Installation: Not installed"));
            CHECK(d.has(Role::button, "Install for Lindqvist Druck GmbH"));
            CHECK_FALSE(d.has(Role::heading, "What zai-connect reads"));
        }
        SUBCASE("an uninstall that fails offers to try the uninstall again") {
            d.platform.click(d.node(Role::button, "Uninstall from Lindqvist Druck GmbH"));
            d.platform.click(d.node(Role::button, "Yes, uninstall from Lindqvist Druck GmbH"));
            d.answer(std::string("/api/organizations/") + lindqvist + "/uninstall", 502, error(Errc::hub_unavailable));
            CHECK(d.has(Role::alert, "Zaikio is not reachable right now. Please retry. (hub_unavailable, HTTP 502)"));
            d.platform.click(d.node(Role::button, "Try uninstalling again"));
            d.last_request(std::string("/api/organizations/") + lindqvist + "/uninstall");
        }
        SUBCASE("back to the dashboard via the link; the list is reloaded") {
            d.platform.click(d.node(Role::link, "\u2190 All organisations"));
            CHECK(d.platform.path() == "/");
            d.last_request("/api/session");
        }
    }
    SUBCASE("revoked, for an admin: reinstall") {
        d.platform.answer(load, 200, json(revoked_view({"admin"})));
        CHECK(d.has(Role::text, "Installation: Access revoked"));
        CHECK(d.has(Role::text, "Reason: The connection was removed in Zaikio."));
        d.platform.click(d.node(Role::button, "Reinstall for Lindqvist Druck GmbH"));
        CHECK(d.platform.left_to() == std::string("/install?organization_id=") + lindqvist + "&nonce=nonce-123");
    }
    SUBCASE("not installed, for a member: whom to ask") {
        d.platform.answer(load, 200, json(not_installed_view({"member"})));
        CHECK(d.has(Role::text, "Only an owner or admin of Lindqvist Druck GmbH can install zai-connect. Ask one of them."));
        CHECK_FALSE(d.has(Role::button, "Install for Lindqvist Druck GmbH"));
        CHECK_FALSE(d.has(Role::button, "Uninstall from Lindqvist Druck GmbH"));
    }
    SUBCASE("not a member: a clear message, not an error banner") {
        d.platform.answer(load, 403, error(Errc::not_a_member));
        CHECK(d.has(Role::heading, "No access to this organisation"));
        CHECK(d.platform.title() == "No access \u00B7 zai-connect");
        CHECK(d.count(Role::alert) == 0);
    }
    SUBCASE("a failure: the banner with its code, and retry") {
        d.platform.answer(load, 502, error(Errc::hub_unavailable));
        CHECK(d.has(Role::alert, "Zaikio is not reachable right now. Please retry. (hub_unavailable, HTTP 502)"));
        d.platform.click(d.node(Role::button, "Try loading the organisation again"));
        const std::size_t again = d.last_request(std::string("/api/organizations/") + lindqvist);
        d.platform.answer(again, 200, json(installed_view()));
        CHECK(d.count(Role::alert) == 0);
        CHECK(d.has(Role::text, "Country: DE"));
    }
    SUBCASE("the session ended: the sign-in view for this very page") {
        d.platform.answer(load, 401, error(Errc::session_expired));
        CHECK(d.has(Role::status, zai::default_message(Errc::session_expired)));
        CHECK(d.platform.path() == org_path);
        d.platform.click(d.node(Role::button, "Sign in with Zaikio"));
        CHECK(d.platform.left_to() == std::string("/login?return_to=%2Forganizations%2F") + lindqvist);
    }
    SUBCASE("an answer for an organisation no longer shown is ignored") {
        d.platform.click(d.node(Role::link, "\u2190 All organisations"));
        d.answer("/api/session", 200, json(ada()));
        d.platform.click(d.node(Role::button, "Open Nordlicht Verpackungen AG"));
        d.platform.answer(load, 200, json(installed_view()));
        CHECK(d.has(Role::heading, "Nordlicht Verpackungen AG"));
        CHECK(d.has(Role::status, "Loading the organisation\u2026"));
        CHECK_FALSE(d.has(Role::text, "Country: DE"));
    }
}

TEST_CASE("the expiry check turns a dashboard left open into the sign-in view, keeping the path") {
    Dashboard d(HeadlessOptions{.path = org_path});
    d.answer("/api/session", 200, json(session({row(lindqvist, "Lindqvist Druck GmbH", {"owner"})}, "Ada", 5)));
    d.answer(std::string("/api/organizations/") + lindqvist, 200, json(installed_view()));
    CHECK(d.platform.timers() == std::vector<int>{6000});
    d.platform.fire_timers();
    d.answer("/api/session?passive=1", 401, error(Errc::session_expired));
    CHECK(d.has(Role::status, zai::default_message(Errc::session_expired)));
    CHECK(d.has(Role::button, "Sign in with Zaikio"));
    CHECK(d.platform.title() == "Sign in \u00B7 zai-connect");
    CHECK(d.platform.path() == org_path);
}

TEST_CASE("a session that cannot be loaded: the banner and retry") {
    Dashboard d;
    d.answer("/api/session", 0, "");
    CHECK(d.has(Role::alert, "No answer from the backend. Check your connection, then try again."));
    d.platform.click(d.node(Role::button, "Try loading again"));
    CHECK(d.has(Role::status, "Loading\u2026"));
    CHECK(d.count(Role::alert) == 0);
    d.answer("/api/session", 200, json(ada()));
    CHECK(d.has(Role::heading, "Your organisations"));
    CHECK(d.count(Role::alert) == 0);

    SUBCASE("a reload that fails keeps the list and says so") {
        d.platform.click(d.node(Role::button, "Open Lindqvist Druck GmbH"));
        d.platform.click(d.node(Role::link, "\u2190 All organisations"));
        d.answer("/api/session", 502, error(Errc::hub_unavailable));
        CHECK(d.has(Role::alert,
                    "The list could not be updated. Zaikio is not reachable right now. Please retry. (hub_unavailable, HTTP 502)"));
        CHECK(d.has(Role::listitem, "Lindqvist Druck GmbH"));
        d.platform.click(d.node(Role::button, "Try loading the organisations again"));
        d.answer("/api/session", 200, json(ada()));
        CHECK(d.count(Role::alert) == 0);
    }
}

TEST_CASE("routes: unknown paths, in-app links, back and forward") {
    Dashboard d(HeadlessOptions{.path = "/no/such/page"});
    CHECK(d.has(Role::heading, "Page not found"));
    CHECK(d.has(Role::text, "There is nothing at /no/such/page."));
    CHECK(d.platform.title() == "Page not found \u00B7 zai-connect");
    d.answer("/api/session", 200, json(ada()));
    const A11yNode& link = d.node(Role::link, "Go to the start page");
    CHECK(link.href == "/");

    d.platform.click(link);
    d.answer("/api/session", 200, json(ada()));
    CHECK(d.has(Role::heading, "Your organisations"));
    CHECK(d.platform.history() == std::vector<std::string>{"/no/such/page", "/"});

    d.platform.click(d.node(Role::button, "Open Nordlicht Verpackungen AG"));
    d.platform.back();
    CHECK(d.has(Role::heading, "Your organisations"));
    d.platform.forward();
    CHECK(d.has(Role::heading, "Nordlicht Verpackungen AG"));
    d.platform.back();
    d.platform.back();
    CHECK(d.has(Role::heading, "Page not found"));
}

TEST_CASE("keyboard: arrows move through the actions, Enter and Space press them") {
    Dashboard d;
    d.answer("/api/session", 200, json(chiara()));
    d.platform.press_key(ImGuiKey_DownArrow);  // nothing focused yet: an item gets it
    CHECK(ImGui::GetCurrentContext()->NavId != 0);
    // Down until "Open" of the only row, then Enter.
    for (int i = 0; i < 12 && ImGui::GetCurrentContext()->NavId != d.node(Role::button, "Open Lindqvist Druck GmbH").key; ++i) {
        d.platform.press_key(ImGuiKey_DownArrow);
    }
    REQUIRE(ImGui::GetCurrentContext()->NavId == d.node(Role::button, "Open Lindqvist Druck GmbH").key);
    SUBCASE("Enter") { d.platform.press_key(ImGuiKey_Enter); }
    SUBCASE("Space") { d.platform.press_key(ImGuiKey_Space); }
    CHECK(d.platform.path() == org_path);
}

TEST_CASE("on a 2x screen the layout is the same and the glyphs are rasterised twice as large") {
    A11yTree at_one;
    float body_at_one = 0.0f;
    {
        Dashboard one(HeadlessOptions{.width = 900, .height = 600, .pixel_ratio = 1.0f});
        one.answer("/api/session", 200, json(ada()));
        at_one = one.platform.a11y();
        body_at_one = ImGui::GetIO().Fonts->Fonts[0]->FontSize;
        CHECK(ImGui::GetIO().FontGlobalScale == doctest::Approx(1.0f));
    }
    Dashboard two(HeadlessOptions{.width = 900, .height = 600, .pixel_ratio = 2.0f});
    two.answer("/api/session", 200, json(ada()));
    CHECK(two.platform.a11y() == at_one);
    CHECK(ImGui::GetIO().FontGlobalScale == doctest::Approx(0.5f));
    CHECK(ImGui::GetIO().Fonts->Fonts[0]->FontSize == doctest::Approx(2.0f * body_at_one));
}

TEST_CASE("narrow windows: the column shrinks, rows put their buttons on a line of their own") {
    Dashboard d(HeadlessOptions{.width = 1280, .height = 800});
    d.answer("/api/session", 200, json(ada()));
    const Rect wide_item = d.node(Role::listitem, "Lindqvist Druck GmbH").rect;
    const Rect wide_open = d.node(Role::button, "Open Lindqvist Druck GmbH").rect;

    d.platform.resize(400, 800, 1.0f);
    const Rect item = d.node(Role::listitem, "Lindqvist Druck GmbH").rect;
    const Rect open = d.node(Role::button, "Open Lindqvist Druck GmbH").rect;
    CHECK(item.x == 24);  // the page margin
    CHECK(item.w <= 400 - 2 * 24);
    CHECK(item.h > wide_item.h);
    CHECK(open.y - item.y > wide_open.y - wide_item.y);  // below the badges, not beside the name
    CHECK(inside(open, item));
    CHECK(d.platform.atlas_builds() == 1);

    d.platform.resize(400, 800, 1.5f);
    CHECK(d.platform.atlas_builds() == 2);
    CHECK(ImGui::GetIO().FontGlobalScale == doctest::Approx(1.0f / 1.5f));
}
