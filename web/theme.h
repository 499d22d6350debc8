// zai-connect dashboard — look: colours, sizes, fonts and the ImGui style built from them.
//
// Sizes are CSS pixels. Fonts are rasterised at the device pixel ratio and drawn at CSS size
// (io.FontGlobalScale = 1 / ratio), so text is crisp on high-DPI screens.
#pragma once

#include <imgui.h>

namespace zai::web {

namespace theme {

// Font sizes in ImGui's unit: the glyphs' ascent-to-descent height in CSS px, which for Inter is
// 1.21 em (so body 18 ≈ CSS font-size 15px). Line heights are multiples of it; ImGui itself
// stacks wrapped lines with no leading.
inline constexpr float body_size = 18.0f;
inline constexpr float body_line = 1.3f;
inline constexpr float h1_size = 36.0f;
inline constexpr float h2_size = 26.0f;
inline constexpr float heading_line = 1.15f;
inline constexpr float small_size = 15.0f;  // badges
inline constexpr float small_line = 1.2f;

inline constexpr float column_width = 720.0f;  // the page's text column, centred
inline constexpr float page_margin = 24.0f;    // at least this much space left and right
inline constexpr float page_top = 56.0f;

// sRGB, 0xRRGGBB.
inline constexpr unsigned background = 0xF6F7F9;
inline constexpr unsigned text = 0x17202B;
inline constexpr unsigned muted = 0x56616F;
inline constexpr unsigned primary = 0x1F5BD8;
inline constexpr unsigned primary_hover = 0x184CB8;
inline constexpr unsigned primary_active = 0x133E99;
inline constexpr unsigned secondary = 0xE3E8EF;
inline constexpr unsigned secondary_hover = 0xD6DDE7;
inline constexpr unsigned secondary_active = 0xC7D0DC;
inline constexpr unsigned danger = 0xB42318;
inline constexpr unsigned danger_hover = 0x9A1D14;
inline constexpr unsigned danger_active = 0x7F1A12;
inline constexpr unsigned alert_background = 0xFDECEC;
inline constexpr unsigned alert_text = 0x9B1C1C;
inline constexpr unsigned card = 0xFFFFFF;          // list rows, panels
inline constexpr unsigned card_border = 0xDCE1E8;

// Badges: background and text per tone (neutral, accent, success, danger); text contrast ≥ 4.5:1.
struct BadgeColours {
    unsigned background;
    unsigned text;
};
inline constexpr BadgeColours badge_neutral{0xE9EDF2, 0x3B4654};
inline constexpr BadgeColours badge_accent{0xE1EAFD, 0x1A4DB5};
inline constexpr BadgeColours badge_success{0xDDF3E4, 0x166534};
inline constexpr BadgeColours badge_danger{0xFDE4E2, 0x9B1C1C};

ImVec4 rgb(unsigned hex, float alpha = 1.0f);
ImU32 rgb32(unsigned hex, float alpha = 1.0f);

}  // namespace theme

struct Fonts {
    ImFont* body = nullptr;         // Inter Regular, body size
    ImFont* body_strong = nullptr;  // Inter SemiBold, body size (buttons, h3)
    ImFont* h1 = nullptr;           // Inter SemiBold
    ImFont* h2 = nullptr;
    ImFont* small = nullptr;        // Inter SemiBold, small size (badges)
};

void apply_style(ImGuiStyle& style);

// Replaces the atlas' fonts with ours rasterised for `pixel_ratio` and builds the atlas; the
// caller sets io.FontGlobalScale = 1 / pixel_ratio.
Fonts load_fonts(ImFontAtlas& atlas, float pixel_ratio);

}  // namespace zai::web
