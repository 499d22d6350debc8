// zai-connect dashboard — the page frame and the route → view switch.
#include "app.h"

#include <algorithm>

#include <imgui.h>

#include "theme.h"

namespace zai::web {

App::App(Platform& platform) : platform_(platform), router_(platform), home_(platform), not_found_(router_) {}

void App::frame(Ui& ui) {
    const std::string title = router_.route().page == Route::Page::home ? "zai-connect" : "Page not found · zai-connect";
    if (title != title_) {
        title_ = title;
        platform_.set_title(title_);
    }

    // One window covering the canvas is the page; the view is a centred column inside it.
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    constexpr ImGuiWindowFlags page_flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                            ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                            ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("page", nullptr, page_flags);
    const float width = ImGui::GetWindowContentRegionMax().x;
    const float column = std::min(theme::column_width, std::max(width - 2.0f * theme::page_margin, 160.0f));
    const float left = std::max(theme::page_margin, (width - column) * 0.5f);
    ImGui::SetCursorPosY(theme::page_top);
    ImGui::Indent(left);
    ImGui::PushTextWrapPos(left + column);

    switch (router_.route().page) {
    case Route::Page::home: home_.draw(ui); break;
    case Route::Page::not_found: not_found_.draw(ui); break;
    }

    ImGui::PopTextWrapPos();
    ImGui::Unindent(left);
    ui.gap(theme::page_top);
    ImGui::End();
}

}  // namespace zai::web
