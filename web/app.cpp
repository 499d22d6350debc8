// zai-connect dashboard — the page frame and the route → view switch.
#include "app.h"

#include <algorithm>

#include <imgui.h>

#include "theme.h"
#include "words.h"

namespace zai::web {

App::App(Platform& platform)
    : platform_(platform),
      router_(platform),
      session_(platform),
      signed_out_(platform, router_, session_),
      dashboard_(platform, router_, session_),
      organization_(platform, router_, session_),
      not_found_(router_) {}

void App::enter_route() {
    const bool first = entered_ == 0;
    entered_ = router_.generation();
    const Route& route = router_.route();
    if (first || route.page == Route::Page::home) session_.load();
    if (route.page == Route::Page::organization) organization_.open(route.organization_id);
}

std::string App::title() const {
    const Route& route = router_.route();
    if (route.page == Route::Page::not_found) return "Page not found \u00B7 zai-connect";
    switch (session_.phase()) {
    case Session::Phase::signed_out: return "Sign in \u00B7 zai-connect";
    case Session::Phase::signed_in:
        return route.page == Route::Page::organization ? organization_.title() : "Organisations \u00B7 zai-connect";
    default: return "zai-connect";
    }
}

void App::frame(Ui& ui) {
    if (entered_ != router_.generation()) enter_route();

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

    draw_page(ui);

    ImGui::PopTextWrapPos();
    ImGui::Unindent(left);
    ui.gap(theme::page_top);
    ImGui::End();

    // After the views ran: a view may have changed the route or the session this frame.
    const std::string title = this->title();
    if (title != title_) {
        title_ = title;
        platform_.set_title(title_);
    }
}

void App::draw_page(Ui& ui) {
    if (router_.route().page == Route::Page::not_found) {
        not_found_.draw(ui);
        return;
    }
    switch (session_.phase()) {
    case Session::Phase::loading:
        ui.heading("zai-connect");
        ui.busy("Loading\u2026");
        return;
    case Session::Phase::failed:
        ui.heading("zai-connect");
        ui.alert(failure_text(*session_.failure()));
        if (ui.button("Try again", Ui::Look::secondary, "Try loading again")) session_.load();
        return;
    case Session::Phase::signed_out: signed_out_.draw(ui); return;
    case Session::Phase::signed_in: break;
    }
    draw_header(ui);
    if (router_.route().page == Route::Page::organization) {
        organization_.draw(ui);
    } else {
        dashboard_.draw(ui);
    }
}

void App::draw_header(Ui& ui) {
    const api::PersonSummary& person = *session_.view().person;
    const float top = ImGui::GetCursorScreenPos().y;
    const float left = ImGui::GetCursorScreenPos().x;
    const float width = ui.available_width();
    if (ui.link("zai-connect", "/")) router_.go("/");

    // Person and sign-out on the right of the same line when they fit, on their own line if not.
    const float sign_out = ui.button_width("Sign out");
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float name_w = ui.text_width(person.full_name, Ui::Emphasis::strong);
    const float email_w = ui.text_width(person.email);
    const float brand_w = ImGui::GetItemRectSize().x;
    const float needed = name_w + email_w + sign_out + 2.0f * gap;
    const bool one_line = brand_w + 2.0f * gap + needed <= width;
    const float button_h = ImGui::GetFontSize() + 2.0f * ImGui::GetStyle().FramePadding.y;
    const float text_y = (button_h - ImGui::GetFontSize()) * 0.5f;
    float x = one_line ? left + width - needed : left;
    const float y = one_line ? top - text_y : ImGui::GetCursorScreenPos().y;
    ImGui::SetCursorScreenPos(ImVec2(x, y + text_y));
    ui.label(person.full_name, name_w + 1.0f, Ui::Emphasis::strong);
    x += name_w + gap;
    ImGui::SetCursorScreenPos(ImVec2(x, y + text_y));
    ui.label(person.email, std::max(left + width - sign_out - gap - x, 40.0f), Ui::Emphasis::muted);
    ImGui::SetCursorScreenPos(ImVec2(left + width - sign_out, y));
    ui.begin_disabled(session_.signing_out());
    if (ui.button("Sign out", Ui::Look::secondary)) session_.sign_out(false, [this] { router_.go("/"); });
    ui.end_disabled();
    if (const auto& failure = session_.sign_out_failure()) ui.alert("Signing out failed. " + failure_text(*failure));
    ui.gap(12.0f);
}

}  // namespace zai::web
