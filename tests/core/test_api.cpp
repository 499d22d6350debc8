// The dashboard ↔ backend contract: what one side writes, the other reads back unchanged.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "zai/api.h"

using namespace zai;
using namespace zai::api;
using nlohmann::json;

namespace {

SessionView signed_in() {
    SessionView v;
    v.authenticated = true;
    v.person = PersonSummary{"b552c680-c1b5-5ebe-b249-58b1d119ff7d", "Jean-Luc Picard", "jlp@example.com"};
    v.organizations = {
        {"b1475f65-236c-58b8-96e1-e1778b43beb7", "Bounty Soap Inc.", {"owner"}, InstallationState::installed},
        {"c453ca95-5850-5d9a-b93e-050334c951af", "Crispy Mountain GmbH", {"member"}, InstallationState::not_installed},
        {"f5b6a0a2-1b1c-5c7e-8f7e-0d3b8f1b2c3d", "Zeta \"Quotes\" & Co", {"admin"}, InstallationState::revoked},
    };
    v.expires_in = 3599;
    v.action_nonce = "n0nce";
    return v;
}

OrganizationView org_view() {
    OrganizationView v;
    v.organization = {"b1475f65-236c-58b8-96e1-e1778b43beb7", "Bounty Soap Inc.", {"owner"}, InstallationState::installed};
    v.installation.state = InstallationState::installed;
    v.installation.installed_by = "Jean-Luc Picard";
    v.installation.installed_at = 1700000000;
    v.installation.granted_scopes = {"zaikio.organization.r"};
    v.installation.access_expires_at = 1700003600;
    v.installation.refreshed_at = 1700000000;
    Organization o;
    o.id = v.organization.id;
    o.name = "Bounty Soap Inc.";
    o.slug = "bounty_soap_inc";
    o.kinds = {"printer"};
    o.country_code = "DE";
    v.data = o;
    v.server_time = 1700000100;
    return v;
}

}  // namespace

TEST_CASE("a session view round-trips") {
    const auto v = signed_in();
    const auto back = parse_session_view(session_view_json(v));
    REQUIRE(back.has_value());
    CHECK(*back == v);
    CHECK(back->administers_any());
}

TEST_CASE("a signed-out session view is small and round-trips") {
    const SessionView out;
    const auto text = session_view_json(out);
    CHECK(json::parse(text)["person"].is_null());
    CHECK(parse_session_view(text).value() == out);
    CHECK_FALSE(out.administers_any());
}

TEST_CASE("rows derive what the person may do from roles") {
    const auto v = signed_in();
    CHECK(v.organizations[0].can_install());
    CHECK_FALSE(v.organizations[1].can_install());
    CHECK(v.organizations[2].can_install());
    SessionView members_only = v;
    members_only.organizations = {v.organizations[1]};
    CHECK_FALSE(members_only.administers_any());
}

TEST_CASE("an organisation view round-trips, with and without data") {
    auto v = org_view();
    CHECK(parse_organization_view(organization_view_json(v)).value() == v);
    CHECK(v.can_uninstall());
    v.data.reset();
    v.data_error = Errc::hub_unavailable;
    const auto text = organization_view_json(v);
    CHECK(json::parse(text)["data_error"] == "hub_unavailable");
    CHECK(parse_organization_view(text).value() == v);
    v.organization.roles = {"member"};
    CHECK_FALSE(v.can_uninstall());
}

TEST_CASE("views refuse what they cannot use") {
    json j = json::parse(session_view_json(signed_in()));
    SUBCASE("unknown installation state") {
        j["organizations"][0]["installation"] = "half";
        const auto v = parse_session_view(j.dump());
        REQUIRE_FALSE(v.has_value());
        CHECK(v.error().code == Errc::invalid_value);
        CHECK(v.error().detail == "organizations[0].installation is not an installation state");
    }
    SUBCASE("organizations not an array") {
        j["organizations"] = json::object();
        CHECK(parse_session_view(j.dump()).error().code == Errc::wrong_type);
    }
    SUBCASE("HTML instead of JSON") {
        CHECK(parse_session_view("<!doctype html>").error().code == Errc::invalid_json);
    }
    SUBCASE("unknown data_error code") {
        json o = json::parse(organization_view_json(org_view()));
        o["data_error"] = "gremlins";
        CHECK(parse_organization_view(o.dump()).error().code == Errc::invalid_value);
    }
}

TEST_CASE("errors carry a stable code and a message") {
    const auto text = error_json(Errc::not_an_admin);
    const json j = json::parse(text);
    CHECK(j["error"]["code"] == "not_an_admin");
    CHECK(j["error"]["message"] == std::string(default_message(Errc::not_an_admin)));
    const Error e = parse_error(text);
    CHECK(e.code == Errc::not_an_admin);
    CHECK(parse_error(error_json(Errc::hub_timeout, "slow")).detail == "slow");
    SUBCASE("anything else still yields a code") {
        CHECK(parse_error("<html>502 Bad Gateway</html>").code == Errc::internal);
        CHECK(parse_error(R"({"error":{"code":"gremlins"}})").code == Errc::internal);
        CHECK(parse_error(R"({"error":"invalid_grant"})").code == Errc::internal);
        CHECK(parse_error("").code == Errc::internal);
    }
    SUBCASE("a message cut inside a UTF-8 sequence (found by fuzz_api_json)") {
        const Error cut = parse_error(error_json(Errc::hub_bad_response, "Gr\xC3"));
        CHECK(cut.code == Errc::hub_bad_response);
        CHECK(cut.detail == "Gr\xEF\xBF\xBD");
    }
}
