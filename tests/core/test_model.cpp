// The Hub model: the published schema's own examples parse; token responses are read tolerantly
// where the Hub is loose and strictly where a mistake would be costly (zaikio-hub.md §1.6, §3).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "zai/model.h"

using namespace zai;
using nlohmann::json;

namespace {

// The Hub's published OpenAPI document, read from the team's reference folder (never copied).
const json& hub_schema() {
    static const json doc = [] {
        std::ifstream in(std::string(ZAI_SHARED_DOCS) + "/zaikio/hub-api-openapi.json");
        REQUIRE_MESSAGE(in.good(), "cannot read " ZAI_SHARED_DOCS "/zaikio/hub-api-openapi.json");
        std::stringstream text;
        text << in.rdbuf();
        return json::parse(text.str());
    }();
    return doc;
}

const json& example(const char* path) {
    return hub_schema()["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["example"];
}

const char* org_id = "b1475f65-236c-58b8-96e1-e1778b43beb7";

json token_json() {
    return json::parse(R"({"access_token":"eyJraWQiOiJ4In0.e30.sig","refresh_token":"d2c6a1f0b5e34c7e9a1b2c3d4e5f6a7b",
        "token_type":"bearer","scope":"zaikio.person.r","audiences":["zai_connect"],"expires_in":3600,
        "bearer":{"id":"b552c680-c1b5-5ebe-b249-58b1d119ff7d","type":"Person"}})");
}

}  // namespace

TEST_CASE("the schema's /person example parses into a Person") {
    const auto p = parse_person(example("/person"));
    REQUIRE(p.has_value());
    CHECK(p->id == "b552c680-c1b5-5ebe-b249-58b1d119ff7d");
    CHECK(p->full_name == "Jean-Luc Picard");
    CHECK(p->first_name == "Jean-Luc");
    CHECK(p->email == "jlp@example.com");
    CHECK(p->memberships.empty());
}

TEST_CASE("the schema's /organization example parses into an Organization") {
    const auto o = parse_organization(example("/organization"));
    REQUIRE(o.has_value());
    CHECK(o->id == org_id);
    CHECK(o->name == "Bounty Soap Inc.");
    CHECK(o->slug == "bounty_soap_inc");
    CHECK(o->kinds == std::vector<std::string>{"printer"});
    CHECK(o->country_code == "DE");
    CHECK(o->brand_color == "#000000");
    CHECK(o->connected);
}

TEST_CASE("the schema's membership examples parse, with roles, inside a person") {
    const json& memberships = example("/person/organization_memberships");
    const auto list = parse_memberships(memberships.dump());
    REQUIRE(list.has_value());
    REQUIRE(list->size() == memberships.size());
    CHECK(list->at(0).roles == std::vector<std::string>{"owner"});
    CHECK(list->at(0).organization.id == org_id);
    CHECK(may_install(list->at(0).roles));
    CHECK(list->at(1).organization.logo_url == std::nullopt);  // null in the example

    json person = example("/person");
    person["organization_memberships"] = memberships;
    const auto p = parse_person(person);
    REQUIRE(p.has_value());
    CHECK(p->memberships == *list);
}

TEST_CASE("owners and admins may install; other roles may not") {
    CHECK(may_install({"owner"}));
    CHECK(may_install({"member", "admin"}));
    CHECK_FALSE(may_install({"member"}));
    CHECK_FALSE(may_install({"purchaser", "developer"}));
    CHECK_FALSE(may_install({}));
    CHECK_FALSE(may_install({"Admin"}));  // role ids are lower case at the Hub
}

TEST_CASE("person and organisation readers name the member that is wrong") {
    json person = example("/person");
    SUBCASE("missing id") {
        person.erase("id");
        const auto p = parse_person(person);
        REQUIRE_FALSE(p.has_value());
        CHECK(p.error().code == Errc::missing_member);
        CHECK(p.error().detail == "id is missing");
    }
    SUBCASE("a membership's organisation with a non-UUID id") {
        person["organization_memberships"] = example("/person/organization_memberships");
        person["organization_memberships"][1]["organization"]["id"] = "42";
        const auto p = parse_person(person);
        REQUIRE_FALSE(p.has_value());
        CHECK(p.error().code == Errc::invalid_value);
        CHECK(p.error().detail == "organization_memberships[1].organization.id is not a UUID");
    }
    SUBCASE("roles that are not strings") {
        person["organization_memberships"] = example("/person/organization_memberships");
        person["organization_memberships"][0]["roles"] = json::array({1});
        const auto p = parse_person(person);
        REQUIRE_FALSE(p.has_value());
        CHECK(p.error().code == Errc::wrong_type);
        CHECK(p.error().detail == "organization_memberships[0].roles is not an array of strings");
    }
    SUBCASE("garbage") {
        CHECK(parse_person(std::string_view("<html>")).error().code == Errc::invalid_json);
        CHECK(parse_person(std::string_view("[]")).error().code == Errc::wrong_type);
        CHECK(parse_person(std::string_view("")).error().code == Errc::invalid_json);
        CHECK(parse_organization(std::string_view("{\"id\": null}")).error().code == Errc::missing_member);
    }
}

TEST_CASE("token responses: the canonical example") {
    const auto t = parse_token_response(token_json());
    REQUIRE(t.has_value());
    CHECK(t->access_token == "eyJraWQiOiJ4In0.e30.sig");
    CHECK(t->refresh_token == "d2c6a1f0b5e34c7e9a1b2c3d4e5f6a7b");
    CHECK(format_scope_list(t->scopes) == "zaikio.person.r");
    CHECK(t->audiences == std::vector<std::string>{"zai_connect"});
    CHECK(t->expires_in == 3600);
    CHECK(t->bearer.type == BearerType::person);
    CHECK(t->bearer.id == "b552c680-c1b5-5ebe-b249-58b1d119ff7d");
    CHECK_FALSE(t->bearer_on_behalf_of.has_value());
}

TEST_CASE("token responses: tolerant where the Hub is loose") {
    json j = token_json();
    SUBCASE("token_type in any case") {
        for (const char* type : {"bearer", "Bearer", "BEARER"}) {
            j["token_type"] = type;
            CHECK(parse_token_response(j).has_value());
        }
    }
    SUBCASE("an Organization bearer with several scopes") {
        j["bearer"] = {{"id", org_id}, {"type", "Organization"}};
        j["scope"] = "directory.organization.r,directory.something.r";
        const auto t = parse_token_response(j);
        REQUIRE(t.has_value());
        CHECK(t->bearer.type == BearerType::organization);
        CHECK(t->scopes.size() == 2);
    }
    SUBCASE("unknown members are ignored; refresh_token, scope and audiences may be absent") {
        j["xml_please"] = {{"nested", true}};
        j.erase("refresh_token");
        j.erase("scope");
        j.erase("audiences");
        const auto t = parse_token_response(j);
        REQUIRE(t.has_value());
        CHECK_FALSE(t->refresh_token.has_value());
        CHECK(t->scopes.empty());
    }
    SUBCASE("an empty grant") {
        j["scope"] = "";
        CHECK(parse_token_response(j).value().scopes.empty());
    }
    SUBCASE("on behalf of a person, with roles") {
        j["bearer"] = {{"id", org_id}, {"type", "Organization"}};
        j["bearer_on_behalf_of"] = {{"id", "b552c680-c1b5-5ebe-b249-58b1d119ff7d"}, {"type", "Person"}, {"roles", {"owner", "admin"}}};
        const auto t = parse_token_response(j);
        REQUIRE(t.has_value());
        REQUIRE(t->bearer_on_behalf_of.has_value());
        CHECK(t->bearer_on_behalf_of->roles == std::vector<std::string>{"owner", "admin"});
    }
}

TEST_CASE("token responses: strict where a mistake would be costly") {
    struct Row {
        const char* what;
        void (*mutate)(json&);
        Errc code;
        const char* detail;
    };
    const Row rows[] = {
        {"no access_token", [](json& j) { j.erase("access_token"); }, Errc::missing_member, "access_token is missing"},
        {"empty access_token", [](json& j) { j["access_token"] = ""; }, Errc::invalid_value, "access_token is empty"},
        {"no token_type", [](json& j) { j.erase("token_type"); }, Errc::missing_member, "token_type is missing"},
        {"mac token", [](json& j) { j["token_type"] = "mac"; }, Errc::invalid_value, "token_type is not bearer"},
        {"no expires_in", [](json& j) { j.erase("expires_in"); }, Errc::missing_member, "expires_in is missing"},
        {"expires_in as the docs' timestamp", [](json& j) { j["expires_in"] = "2019-12-03T08:57:35.958Z"; }, Errc::wrong_type, "expires_in is not an integer"},
        {"expires_in as a float", [](json& j) { j["expires_in"] = 3600.5; }, Errc::wrong_type, "expires_in is not an integer"},
        {"negative expires_in", [](json& j) { j["expires_in"] = -1; }, Errc::invalid_value, "expires_in is negative"},
        {"no bearer", [](json& j) { j.erase("bearer"); }, Errc::missing_member, "bearer is missing"},
        {"bearer without id", [](json& j) { j["bearer"].erase("id"); }, Errc::missing_member, "bearer.id is missing"},
        {"bearer of an unknown type", [](json& j) { j["bearer"]["type"] = "Robot"; }, Errc::invalid_value, "bearer.type is neither Person nor Organization"},
        {"bearer id not a UUID", [](json& j) { j["bearer"]["id"] = "123"; }, Errc::invalid_value, "bearer.id is not a UUID"},
        {"scope as an array", [](json& j) { j["scope"] = json::array({"zaikio.person.r"}); }, Errc::wrong_type, "scope is not a string"},
        {"scope list with spaces", [](json& j) { j["scope"] = "zaikio.person.r, zaikio.sites.r"; }, Errc::invalid_value, "scope is not a comma-separated scope list"},
        {"audiences not strings", [](json& j) { j["audiences"] = json::array({1}); }, Errc::wrong_type, "audiences is not an array of strings"},
        {"empty refresh_token", [](json& j) { j["refresh_token"] = ""; }, Errc::invalid_value, "refresh_token is empty"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.what);
        json j = token_json();
        row.mutate(j);
        const auto t = parse_token_response(j);
        REQUIRE_FALSE(t.has_value());
        CHECK(t.error().code == row.code);
        CHECK(t.error().detail == row.detail);
    }
    CHECK(parse_token_response(std::string_view("{\"access_token\":")).error().code == Errc::invalid_json);
    CHECK(parse_token_response(std::string_view("null")).error().code == Errc::wrong_type);
}

TEST_CASE("token_response_json writes what parse_token_response reads") {
    auto t = parse_token_response(token_json()).value();
    t.scopes = parse_scope_list("zaikio.person.r,warehouse.items.rw").value();
    const auto text = token_response_json(t);
    CHECK(json::parse(text)["scope"] == "zaikio.person.r,warehouse.items.rw");
    CHECK(json::parse(text)["expires_in"].is_number_integer());
    CHECK(parse_token_response(std::string_view(text)).value() == t);
}

TEST_CASE("installation states have stable ids") {
    for (auto s : {InstallationState::not_installed, InstallationState::installed, InstallationState::revoked}) {
        CHECK(parse_installation_state_id(installation_state_id(s)) == s);
    }
    CHECK(installation_state_id(InstallationState::revoked) == "revoked");
    CHECK_FALSE(parse_installation_state_id("uninstalled"));
}
