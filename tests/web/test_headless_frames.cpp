// The dashboard drawn headless: whole frames of the real views, fonts and widgets on the headless
// platform, driven the way a user (mouse, keyboard) or a screen reader (the DOM mirror) would.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include <imgui_internal.h>

#include "app.h"
#include "platform_headless.h"

using namespace zai::web;

namespace {

constexpr const char* person_id = "6f9e3c2a-4b1d-4e8f-9a7c-1d2e3f4a5b6c";
const std::string signed_in = std::string(R"({"authenticated":true,"person":{"id":")") + person_id +
                              R"(","full_name":"Ada Lovelace","email":"ada@example.org"},)"
                              R"("organizations":[],"expires_in":3600,"action_nonce":"n"})";

struct Dashboard {
    explicit Dashboard(HeadlessOptions options = {}) : platform(std::move(options)), app(platform) {
        platform.set_frame([this](Ui& ui) { app.frame(ui); });
        platform.wake();
        platform.settle();
    }

    const A11yNode& node(Role role, std::string_view name) const {
        const A11yNode* n = find_node(platform.a11y(), role, name);
        INFO("no ", role_id(role), " named \"", std::string(name), "\" in ", a11y_json(platform.a11y()));
        REQUIRE(n != nullptr);
        return *n;
    }
    bool has(Role role, std::string_view name) const { return find_node(platform.a11y(), role, name) != nullptr; }

    HeadlessPlatform platform;
    App app;
};

bool inside(const Rect& inner, const Rect& outer) {
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h;
}

}  // namespace

TEST_CASE("the first screen renders without a GPU and its mirror lists what it shows") {
    Dashboard d;
    CHECK(d.platform.frames() == 1 + FramePacer::settle_frames);
    CHECK(d.platform.atlas_builds() == 1);
    CHECK(d.platform.title() == "zai-connect");

    const A11yTree& tree = d.platform.a11y();
    REQUIRE(tree.size() == 4);
    CHECK(tree[0].role == Role::heading);
    CHECK(tree[0].name == "zai-connect");
    CHECK(tree[0].level == 1);
    CHECK(tree[1].role == Role::text);
    CHECK(tree[2].role == Role::button);
    CHECK(tree[2].name == "Check connection");
    CHECK_FALSE(tree[2].disabled);
    CHECK(tree[3].role == Role::status);
    CHECK(tree[3].name.empty());  // the live region exists before it has anything to say

    // Laid out top to bottom in the centred column, inside the display.
    const Rect display{0, 0, 1280, 800};
    for (const A11yNode& n : tree) CHECK(inside(n.rect, display));
    CHECK(tree[0].rect.x == (1280 - 720) / 2);
    CHECK(tree[0].rect.y + tree[0].rect.h <= tree[1].rect.y);
    CHECK(tree[1].rect.y + tree[1].rect.h <= tree[2].rect.y);
    CHECK(tree[2].rect.w > 100);
    CHECK(tree[2].rect.h > 20);

    SUBCASE("at rest nothing is due and nothing is drawn") {
        CHECK_FALSE(d.platform.frame_due());
        CHECK(d.platform.settle() == 0);
    }
    SUBCASE("the mirror is published once, not every frame") {
        CHECK(d.platform.a11y_publishes() == 1);
        d.platform.move_mouse(10, 10);  // frames, but nothing in the mirror changes
        CHECK(d.platform.frames() > 3);
        CHECK(d.platform.a11y_publishes() == 1);
    }
}

TEST_CASE("a click at the button's rectangle checks the connection") {
    Dashboard d;
    d.platform.click(d.node(Role::button, "Check connection"));
    REQUIRE(d.platform.requests().size() == 1);
    const auto& request = d.platform.requests()[0];
    CHECK(request.method == HttpMethod::get);
    CHECK(request.path == "/api/session");
    CHECK(request.api_header);

    // While the request is in flight: a busy status with a spinner (frames keep coming) and the
    // button cannot be used again.
    CHECK(d.has(Role::status, "Checking the connection…"));
    CHECK(d.node(Role::button, "Check connection").disabled);
    CHECK(d.platform.frame_due());

    SUBCASE("pressing the disabled button sends nothing") {
        d.platform.click(d.node(Role::button, "Check connection"));
        d.platform.activate(d.node(Role::button, "Check connection"));
        CHECK(d.platform.requests().size() == 1);
    }
    SUBCASE("signed in: the name, and a copy button that copies the person id") {
        d.platform.answer(0, 200, signed_in);
        CHECK(d.has(Role::status, "Connected. Signed in as Ada Lovelace."));
        CHECK_FALSE(d.node(Role::button, "Check connection").disabled);
        CHECK_FALSE(d.platform.frame_due());  // the spinner is gone, so are the frames

        d.platform.click(d.node(Role::button, "Copy person id"));
        CHECK(d.platform.clipboard() == person_id);
        CHECK(d.has(Role::status, "Copied the person id."));
    }
    SUBCASE("the browser refuses the clipboard") {
        d.platform.answer(0, 200, signed_in);
        d.platform.set_clipboard_allowed(false);
        d.platform.click(d.node(Role::button, "Copy person id"));
        CHECK(d.platform.clipboard().empty());
        CHECK(d.has(Role::status, "The browser did not allow copying."));
    }
    SUBCASE("no answer") {
        d.platform.answer(0, 0, "");
        CHECK(d.has(Role::alert, "No answer from the backend. Check that zai-connect is running, then try again."));
        CHECK_FALSE(d.has(Role::button, "Copy person id"));
    }
    SUBCASE("an answer to an older check is ignored") {
        d.platform.answer(0, 0, "");
        d.platform.click(d.node(Role::button, "Check connection"));
        REQUIRE(d.platform.requests().size() == 2);
        d.platform.answer(1, 200, signed_in);
        CHECK(d.has(Role::status, "Connected. Signed in as Ada Lovelace."));
    }
}

TEST_CASE("the DOM mirror activates and focuses widgets like a screen reader would") {
    Dashboard d;
    SUBCASE("activation does what a click does") {
        d.platform.activate(d.node(Role::button, "Check connection"));
        CHECK(d.platform.requests().size() == 1);
    }
    SUBCASE("an activation for a widget not on screen is dropped, not kept for later") {
        A11yNode gone = d.node(Role::button, "Check connection");
        gone.key ^= 0x5a5a5a5au;
        d.platform.activate(gone);
        d.platform.move_mouse(5, 5);
        CHECK(d.platform.requests().empty());
    }
    SUBCASE("focus moves ImGui's keyboard highlight to the widget") {
        const A11yNode& button = d.node(Role::button, "Check connection");
        d.platform.focus(button);
        const ImGuiContext& g = *ImGui::GetCurrentContext();
        CHECK(g.NavId == button.key);
        CHECK_FALSE(g.NavDisableHighlight);
    }
}

TEST_CASE("keyboard navigation reaches the button and presses it") {
    Dashboard d;
    d.platform.press_key(ImGuiKey_DownArrow);  // no item has focus yet: this focuses the first
    CHECK(ImGui::GetCurrentContext()->NavId == d.node(Role::button, "Check connection").key);
    SUBCASE("with Enter (ImGui 1.86 alone would only take Space)") { d.platform.press_key(ImGuiKey_Enter); }
    SUBCASE("with Space") { d.platform.press_key(ImGuiKey_Space); }
    CHECK(d.platform.requests().size() == 1);
}

TEST_CASE("routes: unknown paths, in-app links and back") {
    Dashboard d(HeadlessOptions{.path = "/no/such/page"});
    CHECK(d.has(Role::heading, "Page not found"));
    CHECK(d.has(Role::text, "There is nothing at /no/such/page."));
    CHECK(d.platform.title() == "Page not found · zai-connect");
    const A11yNode& link = d.node(Role::link, "Go to the start page");
    CHECK(link.href == "/");

    d.platform.click(link);
    CHECK(d.has(Role::heading, "zai-connect"));
    CHECK(d.platform.title() == "zai-connect");
    CHECK(d.platform.history() == std::vector<std::string>{"/no/such/page", "/"});

    d.platform.back();
    CHECK(d.has(Role::heading, "Page not found"));
    CHECK_FALSE(d.platform.frame_due());
}

TEST_CASE("on a 2x screen the layout is the same and the glyphs are rasterised twice as large") {
    A11yTree at_one;
    float body_at_one = 0.0f;
    {
        Dashboard one(HeadlessOptions{.width = 900, .height = 600, .pixel_ratio = 1.0f});
        at_one = one.platform.a11y();
        body_at_one = ImGui::GetIO().Fonts->Fonts[0]->FontSize;
        CHECK(ImGui::GetIO().FontGlobalScale == doctest::Approx(1.0f));
    }
    Dashboard two(HeadlessOptions{.width = 900, .height = 600, .pixel_ratio = 2.0f});
    CHECK(two.platform.a11y() == at_one);
    CHECK(ImGui::GetIO().FontGlobalScale == doctest::Approx(0.5f));
    CHECK(ImGui::GetIO().Fonts->Fonts[0]->FontSize == doctest::Approx(2.0f * body_at_one));
}

TEST_CASE("resizing re-lays the page out; a new pixel ratio rebuilds the fonts") {
    Dashboard d(HeadlessOptions{.width = 1280, .height = 800});
    const Rect wide = d.platform.a11y()[1].rect;

    d.platform.resize(480, 800, 1.0f);
    const Rect narrow = d.platform.a11y()[1].rect;
    CHECK(narrow.x == 24);  // the page margin
    CHECK(narrow.w <= 480 - 2 * 24);
    CHECK(narrow.h > wide.h);  // more lines
    CHECK(d.platform.atlas_builds() == 1);

    d.platform.resize(480, 800, 1.5f);
    CHECK(d.platform.atlas_builds() == 2);
    CHECK(ImGui::GetIO().FontGlobalScale == doctest::Approx(1.0f / 1.5f));
}
