// The widget layer views are built from: each widget draws with ImGui and records its node in the
// accessibility mirror; actions fire once, whichever way they are used; lists nest.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "platform_headless.h"
#include "ui.h"

using namespace zai::web;

namespace {

// Within one pixel: rectangles are rounded outwards to whole pixels one by one.
bool contains(const Rect& outer, const Rect& inner) {
    return inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.w <= outer.x + outer.w + 1 &&
           inner.y + inner.h <= outer.y + outer.h + 1;
}

// A page like App's: one window over the display, text wrapping at 600 px.
void page(Ui& ui, const std::function<void(Ui&)>& body) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("page", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::PushTextWrapPos(600.0f);
    body(ui);
    ImGui::PopTextWrapPos();
    ImGui::End();
}

}  // namespace

TEST_CASE("every widget records its role, name and rectangle; lists nest") {
    HeadlessPlatform p;
    int opened = 0;
    p.set_frame([&](Ui& ui) {
        page(ui, [&](Ui& u) {
            u.heading("Organisations", 2);
            u.text("Two of them.");
            u.status("Loaded.");
            u.alert("Zaikio is not reachable right now. Please retry.");
            u.link("Details##x", "/details");
            u.begin_list("Organisations");
            for (const char* name : {"Acme GmbH", "Beta AG"}) {
                ImGui::PushID(name);
                u.begin_item(name);
                u.text(name);
                if (u.button("Open", Ui::Look::secondary, std::string("Open ") + name)) ++opened;
                u.end_item();
                ImGui::PopID();
            }
            u.end_list();
        });
    });
    p.wake();
    p.settle();

    const A11yTree& t = p.a11y();
    REQUIRE(t.size() == 12);
    const Role roles[] = {Role::heading, Role::text,     Role::status, Role::alert,  Role::link,     Role::list,
                          Role::listitem, Role::text,    Role::button, Role::listitem, Role::text,   Role::button};
    for (std::size_t i = 0; i < t.size(); ++i) {
        CAPTURE(i);
        CHECK(t[i].role == roles[i]);
    }
    CHECK(t[0].level == 2);
    CHECK(t[4].name == "Details");  // the ## part is ImGui's, not the reader's
    CHECK(t[4].href == "/details");
    CHECK(t[3].rect.w == 600 - t[3].rect.x);  // the banner spans the column

    // Parents: items in the list, their text and button in the item; containers enclose children.
    CHECK(t[5].parent == -1);
    CHECK(t[6].parent == 5);
    CHECK(t[7].parent == 6);
    CHECK(t[8].parent == 6);
    CHECK(t[9].parent == 5);
    CHECK(t[11].parent == 9);
    CHECK(contains(t[5].rect, t[6].rect));
    CHECK(contains(t[5].rect, t[9].rect));
    CHECK(contains(t[6].rect, t[8].rect));
    CHECK(t[6].name == "Acme GmbH");

    // Two buttons labelled "Open" get different names and keys; each acts on its own row.
    CHECK(t[8].name == "Open Acme GmbH");
    CHECK(t[11].name == "Open Beta AG");
    CHECK(t[8].key != t[11].key);
    p.click(t[11]);
    CHECK(opened == 1);
    p.activate(p.a11y()[8]);
    CHECK(opened == 2);
}

TEST_CASE("keys stay the same across frames, also when a status changes its text") {
    HeadlessPlatform p;
    std::string message = "Loading…";
    p.set_frame([&](Ui& ui) { page(ui, [&](Ui& u) { u.status(message); }); });
    p.wake();
    p.settle();
    const std::uint32_t key = p.a11y().at(0).key;
    message = "Loaded.";
    p.wake();
    p.settle();
    CHECK(p.a11y().at(0).name == "Loaded.");
    CHECK(p.a11y().at(0).key == key);  // same DOM element, so screen readers announce the change
}

TEST_CASE("a status replaced by an alert is a new node; an alert above a status leaves its key alone") {
    HeadlessPlatform p;
    bool failed = false;
    bool banner = false;
    p.set_frame([&](Ui& ui) {
        page(ui, [&](Ui& u) {
            if (banner) u.alert("Zaikio is not reachable right now. Please retry.");
            failed ? u.alert("Not found.") : u.status("Loaded.");
        });
    });
    p.wake();
    p.settle();
    const std::uint32_t status = p.a11y().at(0).key;

    banner = true;
    p.wake();
    p.settle();
    CHECK(p.a11y().at(1).role == Role::status);
    CHECK(p.a11y().at(1).key == status);

    failed = true;
    p.wake();
    p.settle();
    CHECK(p.a11y().at(1).role == Role::alert);
    CHECK(p.a11y().at(1).key != status);
    CHECK(p.a11y().at(1).key != p.a11y().at(0).key);
}

TEST_CASE("disabled actions are marked and cannot be used in any way") {
    HeadlessPlatform p;
    int pressed = 0;
    p.set_frame([&](Ui& ui) {
        page(ui, [&](Ui& u) {
            u.begin_disabled(true);
            u.begin_disabled(false);  // an inner "enabled" scope does not undo the outer one
            if (u.button("Uninstall")) ++pressed;
            u.end_disabled();
            u.end_disabled();
            if (u.link("Back", "/")) ++pressed;
        });
    });
    p.wake();
    p.settle();
    const A11yNode uninstall = p.a11y().at(0);
    CHECK(uninstall.disabled);
    CHECK_FALSE(p.a11y().at(1).disabled);
    p.click(uninstall);
    p.activate(uninstall);
    p.focus(uninstall);
    CHECK(pressed == 0);
    p.click(p.a11y().at(1));
    CHECK(pressed == 1);
}

TEST_CASE("a busy indicator keeps frames coming until it goes away") {
    HeadlessPlatform p(HeadlessOptions{.max_frames = 50});
    bool busy = true;
    p.set_frame([&](Ui& ui) { page(ui, [&](Ui& u) { busy ? u.busy("Loading organisations…") : u.status(""); }); });
    p.wake();
    CHECK(p.settle() == 50);  // would go on: capped
    CHECK(find_node(p.a11y(), Role::status, "Loading organisations…") != nullptr);
    busy = false;
    CHECK(p.settle() == 1);  // the frame without it, then rest
    CHECK_FALSE(p.frame_due());
}

TEST_CASE("a text field is mirrored as a textbox with its value, and takes text from both sides") {
    HeadlessPlatform p;
    std::string value;
    int changes = 0;
    p.set_frame([&](Ui& ui) {
        page(ui, [&](Ui& u) {
            if (u.text_field("Filter organisations", value, "Filter by name", 300.0f)) ++changes;
        });
    });
    p.wake();
    p.settle();
    const A11yNode field = p.a11y().at(0);
    CHECK(field.role == Role::textbox);
    CHECK(field.name == "Filter organisations");
    CHECK(field.value.empty());  // the hint is not the value
    CHECK(field.rect.w == 300);

    SUBCASE("typed on the canvas") {
        p.click(field);
        for (const char* typed : {"L", "i", "n", "d", "\xC3\xB6"}) p.type(typed);  // UTF-8 survives
        CHECK(value == "Lind\xC3\xB6");
        CHECK(p.a11y().at(0).value == value);
        CHECK(changes == 5);  // with every key, as you type
        CHECK(p.a11y().at(0).key == field.key);
    }
    SUBCASE("typed into the mirrored <input>") {
        p.set_text(field, "Nordlicht");
        CHECK(value == "Nordlicht");
        CHECK(changes == 1);
        p.set_text(field, "Nordlicht");  // the same text again is no change
        CHECK(changes == 1);
    }
    SUBCASE("text for a field no longer on screen is dropped") {
        A11yNode gone = field;
        gone.key ^= 0x5a5a5a5au;
        p.set_text(gone, "x");
        p.move_mouse(1, 1);
        CHECK(value.empty());
    }
}

TEST_CASE("badges, labels and details are read as what they mean") {
    HeadlessPlatform p;
    p.set_frame([&](Ui& ui) {
        page(ui, [&](Ui& u) {
            u.badge("Owner", Ui::Tone::accent, "Role: Owner");
            u.badge("Installed", Ui::Tone::success);
            u.label("A name far too long to fit into forty pixels", 40.0f, Ui::Emphasis::strong);
            u.detail("Country", "DE", 170.0f);
            u.detail("A label wider than its column", "value", 40.0f);
            u.hint("Muted words.");
        });
    });
    p.wake();
    p.settle();
    const A11yTree& t = p.a11y();
    REQUIRE(t.size() == 6);
    CHECK(t[0].name == "Role: Owner");
    CHECK(t[1].name == "Installed");
    CHECK(t[2].name == "A name far too long to fit into forty pixels");  // whole, although cut on screen
    CHECK(t[2].rect.w <= 41);
    CHECK(t[3].name == "Country: DE");
    CHECK(t[3].rect.h < 30);  // one line: the value beside its label
    CHECK(t[4].name == "A label wider than its column: value");
    CHECK(t[4].rect.h > 40);  // the value moved under its label
    CHECK(t[5].name == "Muted words.");
    for (const A11yNode& n : t) CHECK(n.role == Role::text);
}

TEST_CASE("a clipped list draws and mirrors the rows in view and one either side") {
    HeadlessPlatform p(HeadlessOptions{.width = 640, .height = 300});
    constexpr float row = 50.0f;
    int drawn = 0;
    p.set_frame([&](Ui& ui) {
        page(ui, [&](Ui& u) {
            drawn = 0;
            u.clipped_list("Rows", 100, row, [&](int i) {
                ImGui::PushID(i);
                u.begin_item("Row " + std::to_string(i + 1), i + 1, 100);
                ImGui::Dummy(ImVec2(200.0f, row - ImGui::GetStyle().ItemSpacing.y));
                u.end_item();
                ImGui::PopID();
                ++drawn;
            });
        });
    });
    p.wake();
    p.settle();
    const A11yTree& t = p.a11y();
    CHECK(drawn == 7);  // 300 px / 50 = 6 in view, and one below
    REQUIRE(t.size() == 8);
    CHECK(t[0].role == Role::list);
    CHECK(t[0].rect.h >= 100 * row - 12);  // the list spans every row, drawn or not
    CHECK(t[1].name == "Row 1");
    CHECK(t[1].position == 1);
    CHECK(t[1].set_size == 100);
    CHECK(t[7].name == "Row 7");
    CHECK(t[7].rect.y == 300);  // just below the window

    p.wheel(320, 150, 20.0f);  // ImGui: 5 lines per notch
    int first = 1000;
    for (const A11yNode& n : p.a11y()) {
        if (n.role == Role::listitem) first = std::min(first, n.position);
    }
    CHECK(first > 2);
    CHECK(drawn <= 9);  // partly visible rows at both edges, and one beyond each
}
