// Scope rules: coverage, the directory/zaikio alias, the one-bearer rules, desired scopes, flow
// rules, the install-scope builder — each Hub error id at least once (zaikio-hub.md §2.5).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "zai/scope.h"

using namespace zai;

namespace {

const std::string org_a = "b1475f65-236c-58b8-96e1-e1778b43beb7";
const std::string org_b = "c453ca95-5850-5d9a-b93e-050334c951af";
const std::string person = "b552c680-c1b5-5ebe-b249-58b1d119ff7d";

Scope s(const std::string& text) { return parse_scope(text).value(); }
std::vector<Scope> list(const std::string& text) { return parse_scope_list(text).value(); }

const std::vector<Scope> desired = list("zaikio.person.r,Org.zaikio.organization.r,warehouse.items.rw");

}  // namespace

TEST_CASE("rw covers r and w; r and w cover only themselves") {
    CHECK(covers(s("zaikio.person.rw"), s("zaikio.person.r")));
    CHECK(covers(s("zaikio.person.rw"), s("zaikio.person.w")));
    CHECK(covers(s("zaikio.person.rw"), s("zaikio.person.rw")));
    CHECK(covers(s("zaikio.person.r"), s("zaikio.person.r")));
    CHECK_FALSE(covers(s("zaikio.person.r"), s("zaikio.person.w")));
    CHECK_FALSE(covers(s("zaikio.person.r"), s("zaikio.person.rw")));
    CHECK_FALSE(covers(s("zaikio.person.w"), s("zaikio.person.r")));
    CHECK_FALSE(covers(s("zaikio.person.rw"), s("zaikio.sites.r")));
    CHECK_FALSE(covers(s("warehouse.person.rw"), s("zaikio.person.r")));
    // A granted scope belongs to the token's bearer, so bearers are not compared.
    CHECK(covers(s("zaikio.organization.r"), s("Org/" + org_a + ".zaikio.organization.r")));
    // Checkout scopes cover nothing and are covered by nothing.
    CHECK_FALSE(covers(s("Org.subscription_create"), s("Org.subscription_create")));
}

TEST_CASE("a granted set covers a required set when every required scope is covered") {
    CHECK(covers_all(list("zaikio.person.rw,zaikio.sites.r"), list("zaikio.person.r,zaikio.sites.r")));
    CHECK_FALSE(covers_all(list("zaikio.person.rw"), list("zaikio.person.r,zaikio.sites.r")));
    CHECK(covers_all(list("zaikio.person.r"), {}));
    CHECK_FALSE(covers_all({}, list("zaikio.person.r")));
}

TEST_CASE("directory.* and zaikio.* are one app only where asked") {
    CHECK_FALSE(covers(s("directory.person.r"), s("zaikio.person.r")));
    CHECK(covers(s("directory.person.r"), s("zaikio.person.r"), AppAlias::directory_is_zaikio));
    CHECK(covers(s("zaikio.person.rw"), s("directory.person.r"), AppAlias::directory_is_zaikio));
    CHECK_FALSE(covers(s("directoryx.person.r"), s("zaikio.person.r"), AppAlias::directory_is_zaikio));
    CHECK(format_scope(normalised(s("Org.directory.organization.r"))) == "Org.zaikio.organization.r");
    CHECK(format_scope(normalised(s("warehouse.items.r"))) == "warehouse.items.r");
    CHECK(format_scope(normalised(s("Org.subscription_create_directory"))) == "Org.subscription_create_zaikio");
}

TEST_CASE("one bearer type and one bearer id per request") {
    SUBCASE("implicit and Per are the same type") {
        CHECK_FALSE(check_bearer_rules(list("zaikio.person.r,Per.warehouse.items.r")));
    }
    SUBCASE("Per and Org are different_bearer_types") {
        const auto p = check_bearer_rules(list("zaikio.person.r,Org.zaikio.organization.r"));
        REQUIRE(p);
        CHECK(p->error == ScopeError::different_bearer_types);
        CHECK(scope_error_id(p->error) == "different_bearer_types");
        CHECK(p->scope == "Org.zaikio.organization.r");
    }
    SUBCASE("Org and Per>Org are different_bearer_types") {
        const auto p = check_bearer_rules(list("Org.zaikio.organization.r,Per>Org.zaikio.person.r"));
        REQUIRE(p);
        CHECK(p->error == ScopeError::different_bearer_types);
    }
    SUBCASE("two organisations are different_bearer_ids") {
        const auto p = check_bearer_rules(list("Org/" + org_a + ".zaikio.organization.r,Org/" + org_b + ".warehouse.items.r"));
        REQUIRE(p);
        CHECK(p->error == ScopeError::different_bearer_ids);
        CHECK(scope_error_id(p->error) == "different_bearer_ids");
    }
    SUBCASE("naming an organisation in one scope and not in another is different_bearer_ids") {
        const auto p = check_bearer_rules(list("Org/" + org_a + ".zaikio.organization.r,Org.warehouse.items.r"));
        REQUIRE(p);
        CHECK(p->error == ScopeError::different_bearer_ids);
    }
    SUBCASE("the same organisation throughout is fine") {
        CHECK_FALSE(check_bearer_rules(list("Org/" + org_a + ".zaikio.organization.r,Org/" + org_a + ".warehouse.items.r")));
    }
}

TEST_CASE("requested scopes must be among the app's desired scopes") {
    CHECK_FALSE(check_desired(list("zaikio.person.r"), desired));
    CHECK_FALSE(check_desired(list("Org/" + org_a + ".zaikio.organization.r"), desired));
    CHECK_FALSE(check_desired(list("Org.warehouse.items.r,Org.warehouse.items.w"), desired));
    const auto wider = check_desired(list("zaikio.person.rw"), desired);
    REQUIRE(wider);
    CHECK(wider->error == ScopeError::scope_is_not_included_in_desired_scopes);
    CHECK(scope_error_id(wider->error) == "scope_is_not_included_in_desired_scopes");
    CHECK(wider->scope == "zaikio.person.rw");
    const auto other = check_desired(list("zaikio.sites.r"), desired);
    REQUIRE(other);
    CHECK(other->error == ScopeError::scope_is_not_included_in_desired_scopes);
    SUBCASE("the guide's directory.* names match zaikio.* desired scopes under the alias") {
        CHECK(check_desired(list("directory.person.r"), desired));
        CHECK_FALSE(check_desired(list("directory.person.r"), desired, AppAlias::directory_is_zaikio));
    }
}

TEST_CASE("interactive flows may name an organisation but never a person") {
    CHECK_FALSE(check_flow(list("Org/" + org_a + ".zaikio.organization.r"), Flow::interactive));
    CHECK_FALSE(check_flow(list("Per>Org/" + org_a + ".zaikio.organization.r"), Flow::interactive));
    const auto per = check_flow(list("Per/" + person + ".zaikio.person.r"), Flow::interactive);
    REQUIRE(per);
    CHECK(per->error == ScopeError::unpermitted_bearer_id);
    CHECK(scope_error_id(per->error) == "unpermitted_bearer_id");
    const auto legacy = check_flow(list("Per/" + person + ">Org/" + org_a + ".warehouse.items.r"), Flow::interactive);
    REQUIRE(legacy);
    CHECK(legacy->error == ScopeError::unpermitted_bearer_id);
}

TEST_CASE("client credentials must name their bearer") {
    CHECK_FALSE(check_flow(list("Org/" + org_a + ".zaikio.organization.r"), Flow::client_credentials));
    CHECK_FALSE(check_flow(list("Per/" + person + ".zaikio.person.r"), Flow::client_credentials));
    const auto none = check_flow(list("Org.zaikio.organization.r"), Flow::client_credentials);
    REQUIRE(none);
    CHECK(none->error == ScopeError::bearer_does_not_exist);
    CHECK(scope_error_id(none->error) == "bearer_does_not_exist");
}

TEST_CASE("validate_request applies grammar, bearer, flow and desired checks in that order") {
    struct Row {
        std::string scope;
        Flow flow;
        const char* expected;  // Hub error id, or "" for success
    };
    const std::vector<Row> rows = {
        {"zaikio.person.r", Flow::interactive, ""},
        {"Org.zaikio.organization.r", Flow::interactive, ""},
        {"Org/" + org_a + ".zaikio.organization.r", Flow::client_credentials, ""},
        {"zaikio.person", Flow::interactive, "malformed_scope"},
        {"zaikio.person.r,Org.zaikio.organization.r", Flow::interactive, "different_bearer_types"},
        {"Org/" + org_a + ".zaikio.organization.r,Org/" + org_b + ".zaikio.organization.r", Flow::interactive, "different_bearer_ids"},
        {"Per/" + person + ".zaikio.person.r", Flow::interactive, "unpermitted_bearer_id"},
        {"Org.zaikio.organization.r", Flow::client_credentials, "bearer_does_not_exist"},
        {"zaikio.sites.r", Flow::interactive, "scope_is_not_included_in_desired_scopes"},
        // a malformed scope wins over a bearer mix
        {"zaikio.person.r,Org.zaikio.Organization.r", Flow::interactive, "malformed_scope"},
        // a bearer mix wins over undesired scopes
        {"zaikio.sites.r,Org.zaikio.sites.r", Flow::interactive, "different_bearer_types"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.scope);
        const auto result = validate_request(row.scope, desired, row.flow);
        if (std::string(row.expected).empty()) {
            CHECK(result.has_value());
        } else {
            REQUIRE_FALSE(result.has_value());
            CHECK(scope_error_id(result.error().error) == row.expected);
        }
    }
}

TEST_CASE("every Hub scope error id has a stable spelling that round-trips") {
    for (const char* id : {"malformed_scope", "different_bearer_types", "different_bearer_ids",
                           "scope_is_not_included_in_desired_scopes", "bearer_does_not_exist", "unpermitted_bearer_id",
                           "ungranted_scope", "scope_was_not_granted_in_parent",
                           "delegation_access_token_cannot_delegate", "parent_has_no_delegation_permission"}) {
        CAPTURE(id);
        const auto e = parse_scope_error_id(id);
        REQUIRE(e);
        CHECK(scope_error_id(*e) == id);
    }
    CHECK_FALSE(parse_scope_error_id("invalid_scope_name"));
}

TEST_CASE("install scopes are the desired organisation scopes for one organisation") {
    const auto org_scopes = list("directory.organization.r,Org.warehouse.items.rw");
    SUBCASE("with an organisation id") {
        const auto built = install_scopes(org_a, org_scopes);
        REQUIRE(built.has_value());
        CHECK(format_scope_list(*built) == "Org/" + org_a + ".directory.organization.r,Org/" + org_a + ".warehouse.items.rw");
        CHECK_FALSE(check_bearer_rules(*built));
        CHECK_FALSE(check_flow(*built, Flow::interactive));
    }
    SUBCASE("without an id the Hub lets the admin choose") {
        const auto built = install_scopes(std::nullopt, org_scopes);
        REQUIRE(built.has_value());
        CHECK(format_scope_list(*built) == "Org.directory.organization.r,Org.warehouse.items.rw");
    }
    SUBCASE("an id that is not a UUID is refused") {
        for (const char* bad : {"123", "", "B1475F65-236C-58B8-96E1-E1778B43BEB7", "b1475f65-236c-58b8-96e1-e1778b43beb7.evil"}) {
            CAPTURE(bad);
            const auto built = install_scopes(std::string_view(bad), org_scopes);
            REQUIRE_FALSE(built.has_value());
            CHECK(built.error().error == ScopeError::malformed_scope);
        }
    }
    SUBCASE("person scopes are not organisation scopes") {
        CHECK_FALSE(install_scopes(org_a, list("Per.zaikio.person.r")).has_value());
        CHECK_FALSE(install_scopes(org_a, {}).has_value());
    }
    SUBCASE("a desired scope the id would make longer than a scope may be (found by fuzz_scope_request)") {
        const auto longest = list("Org." + std::string(256 - 4 - 9, 'a') + ".items.rw");  // exactly 256 bytes
        REQUIRE(install_scopes(std::nullopt, longest).has_value());
        const auto built = install_scopes(org_a, longest);
        REQUIRE_FALSE(built.has_value());
        CHECK(built.error().error == ScopeError::malformed_scope);
    }
}

TEST_CASE("scopes in words") {
    CHECK(describe_scope(s("zaikio.person.r")) == "Read the person's profile (name, e-mail, memberships)");
    CHECK(describe_scope(s("Org.directory.organization.r")) == "Read the organisation's profile (name, kinds, country)");
    CHECK(describe_scope(s("Org.zaikio.machines.rw")) == "Read and change machines");
    CHECK(describe_scope(s("Org.zaikio.unknown_thing.w")) == "Change unknown thing in Zaikio");
    CHECK(describe_scope(s("warehouse.stock_items.r")) == "Read stock items in the app warehouse");
    CHECK(describe_scope(s("Org.subscription_create_warehouse.pro")) ==
          "Start a subscription checkout for the app warehouse (plan pro)");
}
