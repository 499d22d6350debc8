// The dashboard's view-model: which organisations show, in which order, with which action and
// hint, and what the summary line says (describe_dashboard, no ImGui).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "dashboard_view.h"
#include "fixtures.h"

using namespace zai::web;
using namespace fixtures;
using zai::InstallationState;

namespace {

std::vector<std::string> names(const DashboardModel& m) {
    std::vector<std::string> out;
    for (const auto& r : m.rows) out.push_back(r.name);
    return out;
}

zai::api::SessionView mixed() {
    return session({row("00000000-0000-4000-8000-000000000003", "beta Druck", {"member"}, InstallationState::installed),
                    row("00000000-0000-4000-8000-000000000001", "Alpha Print", {"admin"}, InstallationState::revoked),
                    row("00000000-0000-4000-8000-000000000004", "Delta Labels", {"owner"}),
                    row("00000000-0000-4000-8000-000000000002", "Cyan Media", {"member", "purchaser"},
                        InstallationState::revoked)});
}

}  // namespace

TEST_CASE("each row's action follows zai_core's role rule and the installation state") {
    const DashboardModel m = describe_dashboard(mixed(), {});
    REQUIRE(m.rows.size() == 4);
    CHECK(m.total == 4);
    CHECK(m.can_install_any);
    CHECK(m.rows[0].name == "Alpha Print");
    CHECK(m.rows[0].action == RowAction::reinstall);         // admin, revoked
    CHECK(m.rows[1].action == RowAction::none);              // member, installed
    CHECK(m.rows[2].action == RowAction::ask_to_reinstall);  // member, revoked
    CHECK(m.rows[3].action == RowAction::install);           // owner, not installed
    CHECK(m.rows[2].roles == std::vector<std::string>{"member", "purchaser"});
    CHECK(action_hint(RowAction::ask_to_install) == "Ask an owner or admin to install");
    CHECK(action_hint(RowAction::ask_to_reinstall) == "Ask an owner or admin to reinstall");
    CHECK(action_hint(RowAction::install).empty());

    SUBCASE("a plain member gets no install action anywhere") {
        const DashboardModel c = describe_dashboard(chiara(), {});
        CHECK_FALSE(c.can_install_any);
        REQUIRE(c.rows.size() == 1);
        CHECK(c.rows[0].action == RowAction::ask_to_install);
    }
}

TEST_CASE("sorting: by name either way, by role and installation with names breaking ties") {
    struct Case {
        SortKey sort;
        bool descending;
        std::vector<std::string> names;
    };
    const Case cases[] = {
        {SortKey::name, false, {"Alpha Print", "beta Druck", "Cyan Media", "Delta Labels"}},  // any case
        {SortKey::name, true, {"Delta Labels", "Cyan Media", "beta Druck", "Alpha Print"}},
        {SortKey::role, false, {"Alpha Print", "Delta Labels", "beta Druck", "Cyan Media"}},
        {SortKey::role, true, {"beta Druck", "Cyan Media", "Alpha Print", "Delta Labels"}},
        {SortKey::installation, false, {"beta Druck", "Alpha Print", "Cyan Media", "Delta Labels"}},
        {SortKey::installation, true, {"Delta Labels", "Alpha Print", "Cyan Media", "beta Druck"}},
    };
    for (const Case& c : cases) {
        CAPTURE(static_cast<int>(c.sort));
        CAPTURE(c.descending);
        CHECK(names(describe_dashboard(mixed(), DashboardQuery{"", c.sort, c.descending})) == c.names);
    }
    CHECK(describe_dashboard(mixed(), DashboardQuery{"", SortKey::installation, false}).summary ==
          "Showing 4 of 4 organisations, sorted by installation (installed first).");
}

TEST_CASE("the filter keeps rows whose name holds every word, in any case") {
    DashboardQuery q;
    q.filter = "DRUCK";
    CHECK(names(describe_dashboard(mixed(), q)) == std::vector<std::string>{"beta Druck"});
    q.filter = "  a  ";
    CHECK(describe_dashboard(mixed(), q).rows.size() == 4);
    q.filter = "print alpha";
    CHECK(names(describe_dashboard(mixed(), q)) == std::vector<std::string>{"Alpha Print"});

    SUBCASE("1,000 organisations: all of them, then a number finds one") {
        CHECK(describe_dashboard(dev(), {}).summary == "Showing 1,000 of 1,000 organisations, sorted by name (A to Z).");
        q.filter = "0420";
        const DashboardModel m = describe_dashboard(dev(), q);
        CHECK(names(m) == std::vector<std::string>{"Scale Print 0420"});
        CHECK(m.rows[0].action == RowAction::install);  // every tenth: admin
        CHECK(m.summary == "Showing 1 of 1,000 organisations matching \u201c0420\u201d, sorted by name (A to Z).");
        CHECK(m.empty_text.empty());
    }
    SUBCASE("nothing matches") {
        q.filter = "zz";
        const DashboardModel m = describe_dashboard(mixed(), q);
        CHECK(m.rows.empty());
        CHECK(m.empty_text == "No organisation matches \u201czz\u201d.");
        CHECK(m.summary == "Showing 0 of 4 organisations matching \u201czz\u201d, sorted by name (A to Z).");
    }
}

TEST_CASE("a person without organisations") {
    const DashboardModel m = describe_dashboard(session({}), {});
    CHECK(m.rows.empty());
    CHECK_FALSE(m.can_install_any);
    CHECK(m.summary == "Showing 0 of 0 organisations, sorted by name (A to Z).");
    CHECK(m.empty_text == "You are not a member of any organisation in Zaikio yet.");
}
