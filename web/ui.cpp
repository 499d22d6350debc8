// zai-connect dashboard — widgets that draw with ImGui and record their accessibility node.
#include "ui.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <imgui_internal.h>

namespace zai::web {
namespace {

ImVec2 operator+(ImVec2 a, ImVec2 b) { return ImVec2(a.x + b.x, a.y + b.y); }

// The right edge text wraps at (the page column set with PushTextWrapPos), in screen space.
float wrap_right() {
    const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
    if (w->DC.TextWrapPos > 0.0f) return w->Pos.x - w->Scroll.x + w->DC.TextWrapPos;
    return w->WorkRect.Max.x;
}

// InputText's resize request: grow the std::string it edits in place.
int resize_string(ImGuiInputTextCallbackData* data) {
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* s = static_cast<std::string*>(data->UserData);
        s->resize(static_cast<std::size_t>(data->BufTextLen));
        data->Buf = s->data();
    }
    return 0;
}

theme::BadgeColours badge_colours(Ui::Tone tone) {
    switch (tone) {
    case Ui::Tone::accent: return theme::badge_accent;
    case Ui::Tone::success: return theme::badge_success;
    case Ui::Tone::danger: return theme::badge_danger;
    case Ui::Tone::neutral: break;
    }
    return theme::badge_neutral;
}

// Whole CSS pixels covering the item.
Rect to_rect(ImVec2 min, ImVec2 max) {
    const float x = std::floor(min.x);
    const float y = std::floor(min.y);
    return Rect{static_cast<int>(x), static_cast<int>(y), static_cast<int>(std::ceil(max.x) - x),
                static_cast<int>(std::ceil(max.y) - y)};
}

}  // namespace

bool UiFrame::is_disabled() const { return std::find(disabled.begin(), disabled.end(), true) != disabled.end(); }

std::string_view visible_label(std::string_view label) {
    const auto hidden = label.find("##");
    return hidden == std::string_view::npos ? label : label.substr(0, hidden);
}

int Ui::record(Role role, std::string_view name, std::uint32_t key, ImVec2 min, ImVec2 max) {
    A11yNode n;
    n.role = role;
    n.name = std::string(name);
    n.key = key;
    n.parent = frame_.parents.empty() ? -1 : frame_.parents.back();
    n.disabled = frame_.is_disabled() && (role == Role::button || role == Role::link);
    n.rect = to_rect(min, max);
    frame_.tree.push_back(std::move(n));
    return static_cast<int>(frame_.tree.size()) - 1;
}

// Keys for nodes without an ImGui id: the role and its ordinal, hashed with ImGui's id stack. A
// status line keeps its key (its DOM element, so its live region) while its text changes, or when
// an alert appears above it; a status replaced by an alert gets a new element.
std::uint32_t Ui::next_key(Role role) {
    const auto r = static_cast<std::size_t>(role);
    const auto ordinal = (static_cast<std::uintptr_t>(r) << 24) | ++frame_.ordinals[r];
    return ImGui::GetID(reinterpret_cast<const void*>(ordinal));
}

bool Ui::take_activation(std::uint32_t key) {
    if (frame_.activate != key) return false;
    frame_.activate = 0;
    return !frame_.is_disabled();
}

// The DOM mirror has keyboard focus on this widget: move ImGui's nav cursor there so the focus
// ring is drawn on the canvas, and scroll it into view.
void Ui::follow_focus(std::uint32_t key) {
    if (frame_.focus != key) return;
    frame_.focus = 0;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    ImGui::SetFocusID(key, window);
    g.NavDisableHighlight = false;
    g.NavDisableMouseHover = true;
    ImGui::ScrollToBringRectIntoView(window, g.LastItemData.Rect);
    frame_.acted = true;  // the highlight shows on the next frame
}

void Ui::paragraph(std::string_view text, Role role) {
    if (text.empty()) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        record(role, text, next_key(role), at, at);
        return;
    }
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    record(role, text, next_key(role), ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

void Ui::heading(std::string_view text, int level) {
    level = level < 1 ? 1 : (level > 3 ? 3 : level);
    ImGui::PushFont(level == 1 ? fonts_.h1 : (level == 2 ? fonts_.h2 : fonts_.body_strong));
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopFont();
    const int i = record(Role::heading, text, next_key(Role::heading), ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    frame_.tree[static_cast<std::size_t>(i)].level = level;
}

void Ui::text(std::string_view text) { paragraph(text, Role::text); }
void Ui::status(std::string_view text) { paragraph(text, Role::status); }

void Ui::busy(std::string_view text) {
    const float size = ImGui::GetFontSize();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(size, size));
    ImGui::SameLine(0.0f, 8.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    const float start = static_cast<float>(ImGui::GetTime()) * 6.0f;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->PathArcTo(at + ImVec2(size * 0.5f, size * 0.5f), size * 0.4f, start, start + 4.5f, 20);
    draw->PathStroke(theme::rgb32(theme::primary), 0, 2.0f);
    record(Role::status, text, next_key(Role::status), at, ImGui::GetItemRectMax());
    animate();
}

void Ui::alert(std::string_view text) {
    const ImVec2 pad(14.0f, 10.0f);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float width = wrap_right() - at.x;
    const char* b = text.data();
    const char* e = text.data() + text.size();
    const ImVec2 size = ImGui::CalcTextSize(b, e, false, width - 2.0f * pad.x);
    const ImVec2 box(width, size.y + 2.0f * pad.y);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(at, at + box, theme::rgb32(theme::alert_background), 6.0f);
    draw->AddText(ImGui::GetFont(), ImGui::GetFontSize(), at + pad, theme::rgb32(theme::alert_text), b, e,
                  width - 2.0f * pad.x);
    ImGui::Dummy(box);
    record(Role::alert, text, next_key(Role::alert), at, at + box);
}

void Ui::hint(std::string_view text) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::rgb(theme::muted));
    paragraph(text, Role::text);
    ImGui::PopStyleColor();
}

void Ui::label(std::string_view text, float max_width, Emphasis emphasis) {
    if (emphasis == Emphasis::strong) ImGui::PushFont(fonts_.body_strong);
    if (emphasis == Emphasis::muted) ImGui::PushStyleColor(ImGuiCol_Text, theme::rgb(theme::muted));
    const char* b = text.data();
    const char* e = text.data() + text.size();
    const ImVec2 size = ImGui::CalcTextSize(b, e);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImRect box(at, at + ImVec2(std::min(size.x, std::max(max_width, 0.0f)), size.y));
    ImGui::ItemSize(box);
    if (ImGui::ItemAdd(box, 0)) {
        ImGui::RenderTextEllipsis(ImGui::GetWindowDrawList(), box.Min, box.Max, box.Max.x, box.Max.x, b, e, &size);
    }
    if (emphasis == Emphasis::strong) ImGui::PopFont();
    if (emphasis == Emphasis::muted) ImGui::PopStyleColor();
    record(Role::text, text, next_key(Role::text), box.Min, box.Max);
}

void Ui::badge(std::string_view label, Tone tone, std::string_view name) {
    const theme::BadgeColours colours = badge_colours(tone);
    const ImVec2 pad(8.0f, 2.0f);
    ImGui::PushFont(fonts_.small);
    const char* b = label.data();
    const char* e = label.data() + label.size();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImVec2 box = ImGui::CalcTextSize(b, e) + pad + pad;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(at, at + box, theme::rgb32(colours.background), box.y * 0.5f);
    draw->AddText(at + pad, theme::rgb32(colours.text), b, e);
    ImGui::PopFont();
    ImGui::Dummy(box);
    record(Role::text, name.empty() ? label : name, next_key(Role::text), at, at + box);
}

void Ui::detail(std::string_view label, std::string_view value, float label_width) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, theme::rgb(theme::muted));
    ImGui::TextUnformatted(label.data(), label.data() + label.size());
    ImGui::PopStyleColor();
    // A label wider than its column pushes the value to the next line rather than under it.
    if (ImGui::GetItemRectSize().x + 12.0f <= label_width) {
        ImGui::SameLine();
        ImGui::SetCursorScreenPos(ImVec2(at.x + label_width, at.y));
    }
    ImGui::TextUnformatted(value.data(), value.data() + value.size());
    ImGui::EndGroup();
    std::string name(label);
    name += ": ";
    name += value;
    record(Role::text, name, next_key(Role::text), ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

float Ui::button_width(std::string_view label) const {
    return text_width(visible_label(label), Emphasis::strong) + 2.0f * ImGui::GetStyle().FramePadding.x;
}

float Ui::text_width(std::string_view text, Emphasis emphasis) const {
    if (emphasis == Emphasis::strong) ImGui::PushFont(fonts_.body_strong);
    const float w = ImGui::CalcTextSize(text.data(), text.data() + text.size()).x;
    if (emphasis == Emphasis::strong) ImGui::PopFont();
    return w;
}

bool Ui::text_field(std::string_view name, std::string& value, std::string_view hint, float width) {
    const std::string id_label = "##" + std::string(name);
    const ImGuiID id = ImGui::GetID(id_label.c_str());
    bool changed = false;
    if (frame_.text_key == id) {
        frame_.text_key = 0;
        // While ImGui edits a field it keeps its own copy of the text: let go of it, or the
        // mirror's text would be overwritten by the stale copy.
        if (ImGui::GetActiveID() == id) ImGui::ClearActiveID();
        if (value != frame_.text) {
            value = frame_.text;
            changed = true;
        }
    }
    const std::string hint_text(hint);
    ImGui::SetNextItemWidth(width);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
    changed = ImGui::InputTextWithHint(id_label.c_str(), hint_text.c_str(), value.data(), value.capacity() + 1,
                                       ImGuiInputTextFlags_CallbackResize, resize_string, &value) ||
              changed;
    ImGui::PopStyleVar();
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_TextInput);
    follow_focus(id);
    const int i = record(Role::textbox, name, id, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    frame_.tree[static_cast<std::size_t>(i)].value = value;
    if (changed) frame_.acted = true;
    return changed;
}

bool Ui::button(std::string_view label, Look look, std::string_view name) {
    const std::string id_label(label);
    int colours = 1;
    if (look == Look::danger) {
        ImGui::PushStyleColor(ImGuiCol_Button, theme::rgb(theme::danger));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::rgb(theme::danger_hover));
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, theme::rgb(theme::danger_active));
        ImGui::PushStyleColor(ImGuiCol_Text, theme::rgb(0xFFFFFF));
        colours = 4;
    } else if (look == Look::secondary) {
        ImGui::PushStyleColor(ImGuiCol_Button, theme::rgb(theme::secondary));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::rgb(theme::secondary_hover));
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, theme::rgb(theme::secondary_active));
        ImGui::PushStyleColor(ImGuiCol_Text, theme::rgb(theme::text));
        colours = 4;
    } else {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::rgb(0xFFFFFF));
    }
    ImGui::PushFont(fonts_.body_strong);
    bool pressed = ImGui::Button(id_label.c_str());
    ImGui::PopFont();
    ImGui::PopStyleColor(colours);

    const ImGuiID id = ImGui::GetItemID();
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    pressed = take_activation(id) || pressed;
    follow_focus(id);
    record(Role::button, name.empty() ? visible_label(label) : name, id, ImGui::GetItemRectMin(),
           ImGui::GetItemRectMax());
    if (pressed) frame_.acted = true;
    return pressed;
}

bool Ui::link(std::string_view label, std::string_view href) {
    const std::string id_label(label);
    const std::string_view shown = visible_label(label);
    const char* b = shown.data();
    const char* e = shown.data() + shown.size();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImVec2 size = ImGui::CalcTextSize(b, e);
    bool pressed = ImGui::InvisibleButton(id_label.c_str(), size);
    const ImGuiID id = ImGui::GetItemID();
    const bool hovered = ImGui::IsItemHovered();
    if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);

    // Underlined always: a link must not be told apart by colour alone.
    const ImU32 colour = theme::rgb32(hovered ? theme::primary_active : theme::primary);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddText(at, colour, b, e);
    draw->AddLine(at + ImVec2(0.0f, size.y), at + size, colour, hovered ? 2.0f : 1.0f);
    ImGui::RenderNavHighlight(ImRect(at, at + size), id);

    pressed = take_activation(id) || pressed;
    follow_focus(id);
    const int i = record(Role::link, shown, id, at, at + size);
    frame_.tree[static_cast<std::size_t>(i)].href = std::string(href);
    if (pressed) frame_.acted = true;
    return pressed;
}

void Ui::begin_list(std::string_view name) {
    ImGui::BeginGroup();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    frame_.parents.push_back(record(Role::list, name, next_key(Role::list), at, at));
}

void Ui::begin_item(std::string_view name) {
    ImGui::BeginGroup();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    frame_.parents.push_back(record(Role::listitem, name, next_key(Role::listitem), at, at));
}

void Ui::begin_item(std::string_view name, int position, int set_size) {
    begin_item(name);
    A11yNode& n = frame_.tree[static_cast<std::size_t>(frame_.parents.back())];
    n.position = position;
    n.set_size = set_size;
}

void Ui::end_list() {
    ImGui::EndGroup();
    A11yNode& n = frame_.tree[static_cast<std::size_t>(frame_.parents.back())];
    frame_.parents.pop_back();
    n.rect = to_rect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

void Ui::end_item() { end_list(); }

void Ui::clipped_list(std::string_view name, int count, float row_height, const std::function<void(int)>& row) {
    begin_list(name);
    if (count > 0) {
        const float top = ImGui::GetCursorScreenPos().y;
        const ImRect view = ImGui::GetCurrentWindowRead()->ClipRect;
        const int first = std::clamp(static_cast<int>(std::floor((view.Min.y - top) / row_height)) - 1, 0, count);
        const int last = std::clamp(static_cast<int>(std::ceil((view.Max.y - top) / row_height)) + 1, 0, count);
        ImGuiListClipper clipper;
        clipper.Begin(count, row_height);
        if (first < last) clipper.ForceDisplayRangeByIndices(first, last);
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) row(i);
        }
    }
    end_list();
}

void Ui::begin_disabled(bool disabled) {
    ImGui::BeginDisabled(disabled);
    frame_.disabled.push_back(disabled);
}

void Ui::end_disabled() {
    ImGui::EndDisabled();
    frame_.disabled.pop_back();
}

void Ui::gap(float height) { ImGui::Dummy(ImVec2(0.0f, height)); }

void Ui::card(float width, float height) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(at, at + ImVec2(width, height), theme::rgb32(theme::card), 8.0f);
    draw->AddRect(at, at + ImVec2(width, height), theme::rgb32(theme::card_border), 8.0f);
}

float Ui::available_width() const { return wrap_right() - ImGui::GetCursorScreenPos().x; }

}  // namespace zai::web
