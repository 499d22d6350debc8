// zai-connect dashboard — the organisations list.
#include "dashboard_view.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <imgui.h>

#include "words.h"

namespace zai::web {
namespace {

// Row cards: a name line and a badge line (a button line more when compact), 16 px inside.
constexpr float compact_below = 520.0f;  // column width under which buttons get their own line
constexpr float pad = 16.0f;
constexpr float card_top = 12.0f;
constexpr float line_gap = 6.0f;
constexpr float badge_height = 22.0f;  // small font line + 2 × 2 px

float card_height(bool compact) {
    const float line = ImGui::GetFontSize();
    const float button = line + 2.0f * ImGui::GetStyle().FramePadding.y;
    return std::round(2.0f * card_top + line + line_gap + badge_height + (compact ? button + card_top : 0.0f));
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Every space-separated word of `filter` occurs in `name`, ignoring ASCII case.
bool matches(const std::string& lowered_name, const std::vector<std::string>& words) {
    return std::all_of(words.begin(), words.end(),
                       [&](const std::string& w) { return lowered_name.find(w) != std::string::npos; });
}

std::vector<std::string> words_of(std::string_view filter) {
    std::vector<std::string> out;
    std::string word;
    for (char c : lower_ascii(filter)) {
        if (c == ' ' || c == '\t') {
            if (!word.empty()) out.push_back(std::move(word));
            word.clear();
        } else {
            word.push_back(c);
        }
    }
    if (!word.empty()) out.push_back(std::move(word));
    return out;
}

RowAction action_for(const api::OrganizationRow& r) {
    if (r.installation == InstallationState::installed) return RowAction::none;
    const bool revoked = r.installation == InstallationState::revoked;
    if (r.can_install()) return revoked ? RowAction::reinstall : RowAction::install;
    return revoked ? RowAction::ask_to_reinstall : RowAction::ask_to_install;
}

int installation_rank(InstallationState s) {
    switch (s) {
    case InstallationState::installed: return 0;
    case InstallationState::revoked: return 1;
    case InstallationState::not_installed: break;
    }
    return 2;
}

std::string_view sort_words(const DashboardQuery& q) {
    switch (q.sort) {
    case SortKey::role: return q.descending ? "by your role (owners and admins last)" : "by your role (owners and admins first)";
    case SortKey::installation: return q.descending ? "by installation (not installed first)" : "by installation (installed first)";
    case SortKey::name: break;
    }
    return q.descending ? "by name (Z to A)" : "by name (A to Z)";
}

}  // namespace

std::string_view action_hint(RowAction action) {
    switch (action) {
    case RowAction::ask_to_install: return "Ask an owner or admin to install";
    case RowAction::ask_to_reinstall: return "Ask an owner or admin to reinstall";
    default: return "";
    }
}

DashboardModel describe_dashboard(const api::SessionView& session, const DashboardQuery& query) {
    DashboardModel m;
    m.total = session.organizations.size();
    m.can_install_any = session.administers_any();
    const std::vector<std::string> words = words_of(query.filter);

    struct Keyed {
        std::string lowered;  // sort and match key
        const api::OrganizationRow* row;
    };
    std::vector<Keyed> kept;
    kept.reserve(session.organizations.size());
    for (const auto& r : session.organizations) {
        std::string lowered = lower_ascii(r.name);
        if (matches(lowered, words)) kept.push_back(Keyed{std::move(lowered), &r});
    }
    // Ties on the chosen key go by name, always A to Z, then by id so the order is total.
    const auto by_name = [](const Keyed& a, const Keyed& b) {
        return a.lowered != b.lowered ? a.lowered < b.lowered : a.row->id < b.row->id;
    };
    const auto primary = [&](const Keyed& k) {
        switch (query.sort) {
        case SortKey::role: return k.row->can_install() ? 0 : 1;
        case SortKey::installation: return installation_rank(k.row->installation);
        case SortKey::name: break;
        }
        return 0;
    };
    std::sort(kept.begin(), kept.end(), [&](const Keyed& a, const Keyed& b) {
        if (query.sort == SortKey::name) return query.descending ? by_name(b, a) : by_name(a, b);
        const int pa = primary(a);
        const int pb = primary(b);
        if (pa != pb) return query.descending ? pa > pb : pa < pb;
        return by_name(a, b);
    });

    m.rows.reserve(kept.size());
    for (const Keyed& k : kept) {
        const api::OrganizationRow& r = *k.row;
        m.rows.push_back(DashboardRow{r.id, r.name, r.roles, r.installation, action_for(r)});
    }

    const std::string of = count_text(m.total, "organisation", "organisations");
    m.summary = "Showing " + grouped(m.rows.size()) + " of " + of;
    if (!words.empty()) m.summary += " matching \u201c" + query.filter + "\u201d";
    m.summary += ", sorted " + std::string(sort_words(query)) + ".";
    if (m.total == 0) {
        m.empty_text = "You are not a member of any organisation in Zaikio yet.";
    } else if (m.rows.empty()) {
        m.empty_text = "No organisation matches \u201c" + query.filter + "\u201d.";
    }
    return m;
}

const DashboardModel& DashboardView::model() {
    if (model_revision_ != session_.revision() || !(model_query_ == query_)) {
        model_ = describe_dashboard(session_.view(), query_);
        model_revision_ = session_.revision();
        model_query_ = query_;
    }
    return model_;
}

void DashboardView::install(std::optional<std::string_view> organization_id) {
    platform_.leave_to(install_path(organization_id, session_.view().action_nonce));
}

void DashboardView::draw(Ui& ui) {
    const float width = ui.available_width();
    ui.heading("Your organisations");
    ui.text("Open an organisation to see what zai-connect reads there on its behalf. Owners and admins can "
            "install zai-connect for their organisations.");

    if (const auto& failure = session_.failure()) {
        ui.alert("The list could not be updated. " + failure_text(*failure));
        if (ui.button("Try again", Ui::Look::secondary, "Try loading the organisations again")) session_.load();
    }

    const DashboardModel& m = model();
    if (m.can_install_any) {
        if (ui.button("Install for an organisation\u2026")) install(std::nullopt);
        ui.hint("Zaikio asks which of the organisations you administer.");
    }
    ui.gap(4.0f);
    draw_controls(ui, width);

    if (session_.loading()) {
        ui.busy("Updating the list\u2026");
    } else {
        ui.status(m.summary);
    }
    if (!m.empty_text.empty()) ui.text(m.empty_text);

    const bool compact = width < compact_below;
    const float row_height = card_height(compact) + ImGui::GetStyle().ItemSpacing.y;
    ui.clipped_list("Organisations", static_cast<int>(m.rows.size()), row_height,
                    [&](int i) { draw_row(ui, m.rows[static_cast<std::size_t>(i)], i, width, compact); });

    ui.gap(8.0f);
    ui.begin_disabled(session_.signing_out());
    if (ui.button("Sign out on all devices", Ui::Look::secondary)) {
        session_.sign_out(true, [this] { router_.go("/"); });
    }
    ui.end_disabled();
}

void DashboardView::draw_controls(Ui& ui, float width) {
    const float field = std::min(width, 360.0f);
    ui.text_field("Filter organisations", query_.filter, "Filter by name", field);
    if (!query_.filter.empty()) {
        ImGui::SameLine();
        if (ui.button("Clear", Ui::Look::secondary, "Clear the filter")) query_.filter.clear();
    }

    struct Choice {
        SortKey key;
        const char* label;
        const char* name;
    };
    const Choice choices[] = {{SortKey::name, "Name", "Sort by name"},
                              {SortKey::role, "Role", "Sort by role"},
                              {SortKey::installation, "Installation", "Sort by installation"}};
    ImGui::AlignTextToFramePadding();  // on the buttons' text line
    ui.hint("Sort by");
    for (const Choice& c : choices) {
        ImGui::SameLine();
        const bool active = query_.sort == c.key;
        std::string label = c.label;
        if (active) label += query_.descending ? " \u25BC" : " \u25B2";
        label += "##";
        label += c.name;
        if (ui.button(label, active ? Ui::Look::primary : Ui::Look::secondary, c.name)) {
            query_.descending = active && !query_.descending;
            query_.sort = c.key;
        }
    }
}

void DashboardView::draw_row(Ui& ui, const DashboardRow& row, int index, float width, bool compact) {
    ImGui::PushID(row.id.c_str());
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float line = ImGui::GetFontSize();
    const float card = card_height(compact);
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    ui.card(width, card);
    ui.begin_item(row.name, index + 1, static_cast<int>(model_.rows.size()));

    const bool can_install = row.action == RowAction::install || row.action == RowAction::reinstall;
    const char* install_label = row.action == RowAction::reinstall ? "Reinstall" : "Install";
    const float open_w = ui.button_width("Open");
    const float actions_w = open_w + (can_install ? ui.button_width(install_label) + gap : 0.0f);
    const float text_w = compact ? width - 2.0f * pad : width - 3.0f * pad - actions_w;

    ImGui::SetCursorScreenPos(ImVec2(at.x + pad, at.y + card_top));
    ui.label(row.name, text_w, Ui::Emphasis::strong);

    ImGui::SetCursorScreenPos(ImVec2(at.x + pad, at.y + card_top + line + line_gap));
    for (std::size_t r = 0; r < row.roles.size(); ++r) {
        const std::string label = label_of(row.roles[r]);
        ui.badge(label, may_install({row.roles[r]}) ? Ui::Tone::accent : Ui::Tone::neutral, "Role: " + label);
        ImGui::SameLine(0.0f, 6.0f);
    }
    const std::string_view state = installation_label(row.state);
    const Ui::Tone tone = row.state == InstallationState::installed ? Ui::Tone::success
                        : row.state == InstallationState::revoked  ? Ui::Tone::danger
                                                                   : Ui::Tone::neutral;
    ui.badge(state, tone, "Installation: " + std::string(state));
    const std::string_view hint = action_hint(row.action);
    if (!hint.empty() && !compact) {
        ImGui::SameLine(0.0f, 10.0f);
        ui.label(hint, at.x + pad + text_w - ImGui::GetCursorScreenPos().x, Ui::Emphasis::muted);
    }

    const float button_h = line + 2.0f * ImGui::GetStyle().FramePadding.y;
    if (compact) {
        ImGui::SetCursorScreenPos(ImVec2(at.x + pad, at.y + card - card_top - button_h));
    } else {
        ImGui::SetCursorScreenPos(ImVec2(at.x + width - pad - actions_w, at.y + (card - button_h) * 0.5f));
    }
    if (can_install) {
        if (ui.button(install_label, Ui::Look::primary, std::string(install_label) + " for " + row.name)) install(row.id);
        ImGui::SameLine();
    }
    if (ui.button("Open", Ui::Look::secondary, "Open " + row.name)) router_.go(organization_path(row.id));
    if (!hint.empty() && compact) {
        ImGui::SameLine(0.0f, 12.0f);
        ui.label(hint, at.x + width - pad - ImGui::GetCursorScreenPos().x, Ui::Emphasis::muted);
    }

    ImGui::SetCursorScreenPos(at);
    ImGui::Dummy(ImVec2(width, card));
    ui.end_item();
    ImGui::PopID();
}

}  // namespace zai::web
