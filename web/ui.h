// zai-connect dashboard — the widgets views are built from.
//
// Each call draws with Dear ImGui AND records an accessibility node (a11y.h), so what a sighted
// user sees, what a screen reader reads and what a browser test finds are the same thing by
// construction. Views use only this class (plus ImGui layout calls such as SameLine) and never
// raw ImGui widgets, or their widgets would be invisible to screen readers and tests.
//
// Actions (button, link) return true on the frame they are used, whichever way: mouse on the
// canvas, ImGui keyboard navigation (arrows, Space/Enter), or the DOM mirror (a screen reader or
// keyboard focus activating the mirrored element). Labels follow ImGui's rule: text after "##"
// is not shown but keeps ids unique ("Open##<org id>"); use ImGui::PushID for rows.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "a11y.h"
#include "theme.h"

namespace zai::web {

// What the widgets share across one frame; owned by the Runtime.
struct UiFrame {
    // Requests from the DOM mirror, set between frames and consumed by the widget with that key.
    std::uint32_t activate = 0;  // act as if clicked; 0 = none
    std::uint32_t focus = 0;     // move ImGui's keyboard highlight here
    std::uint32_t text_key = 0;  // a mirrored text field whose <input> now holds `text`
    std::string text;

    // Rebuilt by each frame (begin()).
    bool animate = false;        // a widget asked for the next frame
    bool acted = false;          // an action fired: state probably changed, draw settle frames
    A11yTree tree;
    std::vector<int> parents;    // open list / list item nodes
    std::array<unsigned, role_count> ordinals{};  // per role, for keys of nodes without an ImGui id
    std::vector<bool> disabled;  // open begin_disabled() scopes

    void begin() {
        animate = false;
        acted = false;
        tree.clear();
        parents.clear();
        ordinals.fill(0);
        disabled.clear();
    }
    bool is_disabled() const;
};

class Ui {
public:
    enum class Look { primary, secondary, danger };
    enum class Tone { neutral, accent, success, danger };  // badges
    enum class Emphasis { normal, strong, muted };         // one-line labels

    Ui(const Fonts& fonts, UiFrame& frame) : fonts_(fonts), frame_(frame) {}

    // ---- Text (wrapped at the page column) --------------------------------------------------
    void heading(std::string_view text, int level = 1);  // 1..3
    void text(std::string_view text);
    // A polite live region: screen readers announce changes. Keep calling it with "" while there
    // is nothing to say, so the region exists before its first message.
    void status(std::string_view text);
    // A status with a spinner, for requests in flight; frames keep coming while it is shown.
    void busy(std::string_view text);
    // An assertive live region drawn as an error banner.
    void alert(std::string_view text);
    // A paragraph in the muted colour (hints, secondary facts).
    void hint(std::string_view text);
    // One line of text, cut with an ellipsis beyond `max_width` (the mirror keeps the whole text).
    void label(std::string_view text, float max_width, Emphasis emphasis = Emphasis::normal);
    // A small coloured pill ("Owner", "Installed"); `name` is what a screen reader says
    // ("Role: Owner"), the label otherwise.
    void badge(std::string_view label, Tone tone, std::string_view name = {});
    // "Label    value" with the label in a column `label_width` wide; read as "Label: value".
    void detail(std::string_view label, std::string_view value, float label_width);

    // ---- Actions ----------------------------------------------------------------------------
    // `name` replaces the visible label as the accessible name when the label alone is
    // ambiguous ("Open" → "Open Acme GmbH").
    bool button(std::string_view label, Look look = Look::primary, std::string_view name = {});
    // An in-app link; the mirror renders it as <a href="path">.
    bool link(std::string_view label, std::string_view href);
    // Widths of a button with this label and of one line of text, for laying out rows.
    float button_width(std::string_view label) const;
    float text_width(std::string_view text, Emphasis emphasis = Emphasis::normal) const;

    // ---- Text input -------------------------------------------------------------------------
    // A one-line text field `width` CSS px wide, mirrored as an <input> named `name`; `hint` is
    // shown while it is empty. Returns true on the frame `value` changed, whichever way: typing
    // or pasting on the canvas, or in the mirrored <input> (a screen reader, a browser test).
    bool text_field(std::string_view name, std::string& value, std::string_view hint, float width);

    // ---- Structure --------------------------------------------------------------------------
    void begin_list(std::string_view name);
    void end_list();
    void begin_item(std::string_view name);
    // An item of a clipped list: the mirror holds only the items drawn, so each says where it is
    // (1-based `position` of `set_size`).
    void begin_item(std::string_view name, int position, int set_size);
    void end_item();
    // A list of `count` rows, each exactly `row_height` CSS px from the top of one to the next,
    // drawn with ImGui's list clipper: only the rows in view, plus one on either side, are drawn
    // and mirrored (each row says where it is with begin_item(name, position, count)). The extra
    // rows let keyboard focus in the mirror walk on: focusing one scrolls it into view. `row(i)`
    // draws row i and must advance the cursor by exactly row_height.
    void clipped_list(std::string_view name, int count, float row_height, const std::function<void(int)>& row);
    void begin_disabled(bool disabled = true);  // actions inside cannot be used
    void end_disabled();
    void gap(float height);  // vertical space in CSS px
    // A white rounded panel behind what follows, at the cursor; the cursor does not move.
    void card(float width, float height);
    // Width from the cursor to the right edge of the page column.
    float available_width() const;

    void animate() { frame_.animate = true; }  // draw the next frame too (for animations)

private:
    int record(Role role, std::string_view name, std::uint32_t key, ImVec2 min, ImVec2 max);
    std::uint32_t next_key(Role role);
    bool take_activation(std::uint32_t key);
    void follow_focus(std::uint32_t key);
    void paragraph(std::string_view text, Role role);

    const Fonts& fonts_;
    UiFrame& frame_;
};

// The part of an ImGui label that is shown ("Open##42" → "Open").
std::string_view visible_label(std::string_view label);

}  // namespace zai::web
