// zai_core — the Hub's objects as the app uses them, read from the Hub's JSON.
//
// Readers are tolerant where the Hub is loose and strict where a mistake would be costly:
//  - unknown members are ignored (the Hub adds fields over time);
//  - a missing or mistyped required member is an `Error` (`missing_member`, `wrong_type`) naming
//    the member's JSON path, never an exception and never a default that hides the problem;
//  - `token_type` is compared case-insensitively ("bearer", "Bearer"), `scope` is one comma list,
//    `expires_in` must be a non-negative integer (the docs once showed a timestamp there).
// Shapes: ../shared/zaikio/hub-api-openapi.json and zaikio-hub.md §1.6, §3.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "zai/error.h"
#include "zai/expected.h"
#include "zai/scope.h"

namespace zai {

struct Organization {
    std::string id;
    std::string name;
    std::string slug;
    std::vector<std::string> kinds;  // printer, supplier, ... (at least one at the Hub)
    std::optional<std::string> country_code;
    std::optional<std::string> currency;
    std::optional<std::string> brand_color;  // "#rrggbb"
    std::optional<std::string> logo_url;
    bool connected = false;  // connected to the app that owns the token

    friend bool operator==(const Organization&, const Organization&) = default;
};

// Roles are defined by the Hub (GET /api/v1/roles); only these two matter to the app.
inline constexpr std::string_view role_owner = "owner";
inline constexpr std::string_view role_admin = "admin";

// Owners and admins may install apps for their organisation (zaikio-hub.md §3.4).
bool may_install(const std::vector<std::string>& roles);

struct Membership {
    std::string id;
    std::vector<std::string> roles;
    Organization organization;

    friend bool operator==(const Membership&, const Membership&) = default;
};

struct Person {
    std::string id;
    std::optional<std::string> first_name;
    std::string name;
    std::string full_name;
    std::string email;
    std::vector<Membership> memberships;  // `organization_memberships`

    friend bool operator==(const Person&, const Person&) = default;
};

struct Bearer {
    BearerType type = BearerType::person;
    std::string id;

    friend bool operator==(const Bearer&, const Bearer&) = default;
};

struct BearerOnBehalfOf {
    BearerType type = BearerType::person;
    std::string id;
    std::vector<std::string> roles;

    friend bool operator==(const BearerOnBehalfOf&, const BearerOnBehalfOf&) = default;
};

struct TokenResponse {
    std::string access_token;
    std::optional<std::string> refresh_token;  // absent for client credentials, some day
    std::string token_type;                    // as received; "bearer" in any case
    std::vector<Scope> scopes;                 // `scope`, plain scopes without bearer prefix
    std::vector<std::string> audiences;
    std::int64_t expires_in = 0;  // seconds from receipt
    Bearer bearer;
    std::optional<BearerOnBehalfOf> bearer_on_behalf_of;

    friend bool operator==(const TokenResponse&, const TokenResponse&) = default;
};

Expected<Organization, Error> parse_organization(std::string_view json_text);
Expected<Organization, Error> parse_organization(const nlohmann::json& j);
Expected<Person, Error> parse_person(std::string_view json_text);
Expected<Person, Error> parse_person(const nlohmann::json& j);
// GET /person/organization_memberships: a bare array.
Expected<std::vector<Membership>, Error> parse_memberships(std::string_view json_text);
Expected<TokenResponse, Error> parse_token_response(std::string_view json_text);
Expected<TokenResponse, Error> parse_token_response(const nlohmann::json& j);

// The Hub's token response JSON (§1.6): `scope` joined with commas, `token_type` as given.
std::string token_response_json(const TokenResponse& t);

// An organisation's installation of this app, as zai-connect records it.
enum class InstallationState { not_installed, installed, revoked };

std::string_view installation_state_id(InstallationState s);  // "not_installed", ...
std::optional<InstallationState> parse_installation_state_id(std::string_view id);

struct Installation {
    std::string organization_id;
    InstallationState state = InstallationState::not_installed;
    std::string installed_by_person_id;
    std::string installed_by_name;
    std::int64_t installed_at = 0;  // unix seconds
    std::int64_t revoked_at = 0;    // unix seconds, 0 unless revoked
    std::string revoked_reason;     // e.g. "refresh_denied", "connection_revoked"
    std::vector<Scope> requested_scopes;
    std::vector<Scope> granted_scopes;

    friend bool operator==(const Installation&, const Installation&) = default;
};

}  // namespace zai
