// The organisation page's view-model: what it says for each installation state and role, the
// data read on the organisation's behalf, scopes in words beside the raw scope, and how fresh the
// access is — with no token anywhere (describe_organization, no ImGui).
#include <doctest/doctest.h>

#include <string>

#include <zai/scope.h>

#include "fixtures.h"
#include "organization_view.h"

using namespace zai::web;
using namespace fixtures;
using zai::Errc;
using zai::InstallationState;

TEST_CASE("installed: the data read on the organisation's behalf and the installation") {
    const OrganizationModel m = describe_organization(installed_view());
    CHECK(m.name == "Lindqvist Druck GmbH");
    CHECK(m.state == InstallationState::installed);
    CHECK(m.state_text == "zai-connect is installed for Lindqvist Druck GmbH and reads the data below on its behalf.");
    CHECK(m.action == OrganizationAction::none);
    CHECK(m.can_uninstall);
    CHECK(m.data == std::vector<Detail>{{"Name", "Lindqvist Druck GmbH"},
                                        {"Slug", "lindqvist_druck_gmbh"},
                                        {"Kinds", "Printer, Machine vendor"},
                                        {"Country", "DE"},
                                        {"Currency", "EUR"},
                                        {"Brand colour", "#0a6e5c"}});
    CHECK(m.data_problem.empty());
    CHECK(m.installation == std::vector<Detail>{{"Installed by", "Bruno Hartmann"},
                                                {"Installed on", "2024-01-01 05:00 UTC (3 hours ago)"}});
    // Words from zai_core, the raw scope beside them.
    REQUIRE(m.scopes.size() == 1);
    CHECK(m.scopes[0].raw == "directory.organization.r");
    CHECK(m.scopes[0].words == zai::describe_scope(*zai::parse_scope("directory.organization.r")));
    CHECK(m.freshness ==
          "The current access is valid for another 57 minutes (until 2024-01-01 08:57 UTC). Last renewed 3 minutes "
          "ago. The tokens stay on the server; this page never receives them.");

    SUBCASE("a plain member may not uninstall") {
        const OrganizationModel member = describe_organization(installed_view({"member"}));
        CHECK_FALSE(member.can_uninstall);
        CHECK(member.action == OrganizationAction::none);
    }
    SUBCASE("the access expired (it is renewed on next use)") {
        auto v = installed_view();
        v.installation.access_expires_at = now - 1;
        v.installation.refreshed_at = 0;
        CHECK(describe_organization(v).freshness ==
              "zai-connect holds no current access right now; it gets a fresh one when it next reads. The tokens stay "
              "on the server; this page never receives them.");
    }
    SUBCASE("the Hub could not be read: the stable code says why") {
        auto v = installed_view();
        v.data.reset();
        v.data_error = Errc::hub_timeout;
        const OrganizationModel problem = describe_organization(v);
        CHECK(problem.data.empty());
        CHECK(problem.data_problem == "zai-connect could not read the organisation's data just now. " +
                                          std::string(zai::default_message(Errc::hub_timeout)) + " (hub_timeout)");
    }
    SUBCASE("a scope zai_core cannot parse is still shown, raw") {
        auto v = installed_view();
        v.installation.granted_scopes = {"directory.organization.r", "Not A Scope!"};
        const OrganizationModel odd = describe_organization(v);
        REQUIRE(odd.scopes.size() == 2);
        CHECK(odd.scopes[1].raw == "Not A Scope!");
        CHECK(odd.scopes[1].words == "A permission zai-connect does not recognise");
    }
}

TEST_CASE("not installed: owners and admins may install, others are told whom to ask") {
    const OrganizationModel owner = describe_organization(not_installed_view({"owner"}));
    CHECK(owner.state_text == "zai-connect is not installed for Lindqvist Druck GmbH, so it reads nothing there.");
    CHECK(owner.action == OrganizationAction::install);
    CHECK_FALSE(owner.can_uninstall);
    CHECK(owner.data.empty());
    CHECK(owner.data_problem.empty());
    CHECK(owner.installation.empty());
    CHECK(owner.freshness.empty());

    CHECK(describe_organization(not_installed_view({"admin"})).action == OrganizationAction::install);
    CHECK(describe_organization(not_installed_view({"member", "purchaser"})).action == OrganizationAction::ask_an_admin);
}

TEST_CASE("access revoked: reinstall for admins, when and why, and no freshness") {
    const OrganizationModel m = describe_organization(revoked_view({"admin"}));
    CHECK(m.state == InstallationState::revoked);
    CHECK(m.state_text ==
          "Access revoked: zai-connect can read nothing for Lindqvist Druck GmbH until an owner or admin reinstalls it.");
    CHECK(m.action == OrganizationAction::reinstall);
    CHECK(m.can_uninstall);
    CHECK(m.data.empty());
    CHECK(m.data_problem.empty());  // nothing to read is not a problem here
    CHECK(m.installation == std::vector<Detail>{{"Installed by", "Bruno Hartmann"},
                                                {"Installed on", "2024-01-01 05:00 UTC (3 hours ago)"},
                                                {"Revoked on", "2024-01-01 07:50 UTC (10 minutes ago)"},
                                                {"Reason", "The connection was removed in Zaikio."}});
    CHECK(m.freshness.empty());
    CHECK(describe_organization(revoked_view({"member"})).action == OrganizationAction::ask_an_admin);

    auto denied = revoked_view();
    denied.installation.revoked_reason = "refresh_denied";
    CHECK(describe_organization(denied).installation.back().value == "Zaikio refused to renew the access.");
    denied.installation.revoked_reason = "some_new_reason";
    CHECK(describe_organization(denied).installation.back().value == "Some new reason.");
}
