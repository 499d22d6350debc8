// zai-connect dashboard — the dashboard at "/": the signed-in person's organisations with their
// roles and the app's installation state; per row open, install (owners and admins) or a hint
// to ask one; "install for an organisation…" (the Hub's chooser); filter as you type; sorting.
//
// The list is clipped (Ui::clipped_list): only the rows in view are drawn, so a person in 1,000
// organisations scrolls as smoothly as one in two. The filtered, sorted rows are derived once per
// change of the session or of the query (describe_dashboard), not per frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <zai/api.h>

#include "platform.h"
#include "route.h"
#include "session.h"
#include "ui.h"

namespace zai::web {

enum class SortKey { name, role, installation };

struct DashboardQuery {
    std::string filter;  // words that must all appear in the name (any case)
    SortKey sort = SortKey::name;
    bool descending = false;

    friend bool operator==(const DashboardQuery&, const DashboardQuery&) = default;
};

// What a row offers besides "Open". Who may install is zai_core's rule (OrganizationRow::can_install).
enum class RowAction { none, install, reinstall, ask_to_install, ask_to_reinstall };

struct DashboardRow {
    std::string id;
    std::string name;
    std::vector<std::string> roles;  // labels: "Owner", "Purchaser"
    InstallationState state = InstallationState::not_installed;
    RowAction action = RowAction::none;

    friend bool operator==(const DashboardRow&, const DashboardRow&) = default;
};

struct DashboardModel {
    std::vector<DashboardRow> rows;  // filtered and sorted
    std::size_t total = 0;           // before filtering
    bool can_install_any = false;    // offer "Install for an organisation…"
    std::string summary;             // "Showing 2 of 2 organisations, sorted by name (A to Z)."
    std::string empty_text;          // what to say when `rows` is empty
};

DashboardModel describe_dashboard(const api::SessionView& session, const DashboardQuery& query);

// The hint beside a row the person cannot install for; "" for other actions.
std::string_view action_hint(RowAction action);

class DashboardView {
public:
    DashboardView(Platform& platform, Router& router, Session& session)
        : platform_(platform), router_(router), session_(session) {}

    void draw(Ui& ui);
    const DashboardQuery& query() const { return query_; }

private:
    const DashboardModel& model();
    void draw_controls(Ui& ui, float width);
    void draw_row(Ui& ui, const DashboardRow& row, int index, float width, bool compact);
    void install(std::optional<std::string_view> organization_id);

    Platform& platform_;
    Router& router_;
    Session& session_;
    DashboardQuery query_;
    DashboardModel model_;
    std::uint64_t model_revision_ = 0;  // session revision the model was derived from
    DashboardQuery model_query_;
};

}  // namespace zai::web
