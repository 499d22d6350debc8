// zai-connect dashboard — colours, ImGui style and font loading.
#include "theme.h"

#include <cmath>

#include "fonts.h"

namespace zai::web {

namespace theme {

ImVec4 rgb(unsigned hex, float alpha) {
    return ImVec4(static_cast<float>((hex >> 16) & 0xFF) / 255.0f, static_cast<float>((hex >> 8) & 0xFF) / 255.0f,
                  static_cast<float>(hex & 0xFF) / 255.0f, alpha);
}

ImU32 rgb32(unsigned hex, float alpha) { return ImGui::ColorConvertFloat4ToU32(rgb(hex, alpha)); }

}  // namespace theme

void apply_style(ImGuiStyle& style) {
    ImGui::StyleColorsLight(&style);
    style.WindowPadding = ImVec2(0.0f, 0.0f);
    style.WindowBorderSize = 0.0f;
    style.WindowRounding = 0.0f;
    style.FramePadding = ImVec2(16.0f, 7.0f);
    style.FrameRounding = 6.0f;
    style.ItemSpacing = ImVec2(12.0f, 12.0f);
    style.ScrollbarSize = 12.0f;
    style.ScrollbarRounding = 6.0f;

    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = theme::rgb(theme::background);
    c[ImGuiCol_Text] = theme::rgb(theme::text);
    c[ImGuiCol_TextDisabled] = theme::rgb(theme::muted);
    c[ImGuiCol_Button] = theme::rgb(theme::primary);
    c[ImGuiCol_ButtonHovered] = theme::rgb(theme::primary_hover);
    c[ImGuiCol_ButtonActive] = theme::rgb(theme::primary_active);
    c[ImGuiCol_NavHighlight] = theme::rgb(theme::primary);
    c[ImGuiCol_FrameBg] = theme::rgb(theme::card);
    c[ImGuiCol_FrameBgHovered] = theme::rgb(theme::card);
    c[ImGuiCol_FrameBgActive] = theme::rgb(theme::card);
    c[ImGuiCol_Border] = theme::rgb(theme::card_border);
    c[ImGuiCol_TextSelectedBg] = theme::rgb(theme::primary, 0.25f);
    c[ImGuiCol_ScrollbarBg] = theme::rgb(theme::background);
    c[ImGuiCol_ScrollbarGrab] = theme::rgb(theme::secondary_active);
    c[ImGuiCol_ScrollbarGrabHovered] = theme::rgb(theme::muted, 0.6f);
    c[ImGuiCol_ScrollbarGrabActive] = theme::rgb(theme::muted, 0.8f);
}

Fonts load_fonts(ImFontAtlas& atlas, float pixel_ratio) {
    atlas.Clear();
    struct Spec {
        const fonts::Blob* blob;
        float size;
        float line;
    };
    const Spec specs[] = {
        {&fonts::inter_regular, theme::body_size, theme::body_line},  // first font: ImGui's default
        {&fonts::inter_semibold, theme::body_size, theme::body_line},
        {&fonts::inter_semibold, theme::h1_size, theme::heading_line},
        {&fonts::inter_semibold, theme::h2_size, theme::heading_line},
        {&fonts::inter_semibold, theme::small_size, theme::small_line},
    };
    constexpr int count = static_cast<int>(sizeof specs / sizeof specs[0]);
    ImFont* added[count] = {};
    for (int i = 0; i < count; ++i) {
        const Spec& s = specs[i];
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false;  // static data; ImGui must not free it
        // Horizontal oversampling buys sub-pixel positioning; at 2x and above the device pixels
        // already give it, and the atlas stays small.
        cfg.OversampleH = pixel_ratio >= 2.0f ? 1 : 2;
        cfg.OversampleV = 1;
        // Centre the glyphs in the taller line set below.
        cfg.GlyphOffset.y = std::round(s.size * (s.line - 1.0f) * 0.5f * pixel_ratio);
        // ImGui takes a non-const pointer but only reads when it does not own the data.
        added[i] = atlas.AddFontFromMemoryTTF(const_cast<unsigned char*>(s.blob->data), static_cast<int>(s.blob->size),
                                              s.size * pixel_ratio, &cfg, fonts::glyph_ranges);
    }
    atlas.Build();
    // ImGui advances one FontSize per line and sizes frames from it: raising it after the build
    // gives line spacing without changing the glyphs.
    for (int i = 0; i < count; ++i) added[i]->FontSize = specs[i].size * specs[i].line * pixel_ratio;
    return Fonts{added[0], added[1], added[2], added[3], added[4]};
}

}  // namespace zai::web
