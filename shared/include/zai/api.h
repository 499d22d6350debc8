// zai_core — the JSON API between the dashboard (web/) and the backend (server/connect/).
//
// Both sides include this header: the backend builds these views and serialises them with
// `to_json`; the dashboard parses them with the `parse_*` functions. A member added here exists
// on both sides by construction. Tokens never appear in any view (security.md R24).
//
//   GET  /api/session                          → SessionView        (always 200, never a redirect)
//   GET  /api/organizations/<id>               → OrganizationView
//   POST /api/organizations/<id>/uninstall     → OrganizationView   (after the grant is gone)
//   any error                                  → {"error": {"code": "<Errc id>", "message": "..."}}
//
// JSON API requests must carry `api_header_name: api_header_value` (R46).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "zai/error.h"
#include "zai/expected.h"
#include "zai/model.h"

namespace zai::api {

inline constexpr std::string_view api_header_name = "X-CSRF";
inline constexpr std::string_view api_header_value = "1";

struct PersonSummary {
    std::string id;
    std::string full_name;
    std::string email;

    friend bool operator==(const PersonSummary&, const PersonSummary&) = default;
};

// One organisation as the signed-in person sees it.
struct OrganizationRow {
    std::string id;
    std::string name;
    std::vector<std::string> roles;  // the person's roles there
    InstallationState installation = InstallationState::not_installed;

    bool can_install() const { return may_install(roles); }

    friend bool operator==(const OrganizationRow&, const OrganizationRow&) = default;
};

struct SessionView {
    bool authenticated = false;
    std::optional<PersonSummary> person;
    std::vector<OrganizationRow> organizations;
    std::int64_t expires_in = 0;  // seconds until the session ends (idle or absolute, whichever first)
    std::string action_nonce;     // session-bound value that /install and /logout require (R49, R50)

    bool administers_any() const;  // may the person install for at least one organisation?

    friend bool operator==(const SessionView&, const SessionView&) = default;
};

struct InstallationView {
    InstallationState state = InstallationState::not_installed;
    std::string installed_by;          // the admin's name
    std::int64_t installed_at = 0;     // unix seconds
    std::int64_t revoked_at = 0;
    std::string revoked_reason;
    std::vector<std::string> granted_scopes;  // raw scopes; the dashboard words them with describe_scope
    std::int64_t access_expires_at = 0;       // the current access token's expiry; never the token
    std::int64_t refreshed_at = 0;

    friend bool operator==(const InstallationView&, const InstallationView&) = default;
};

struct OrganizationView {
    OrganizationRow organization;
    InstallationView installation;
    std::optional<Organization> data;  // read from the Hub on the organisation's behalf
    std::optional<Errc> data_error;    // why `data` is missing although installed (e.g. hub_unavailable)
    std::int64_t server_time = 0;      // unix seconds, to word "expires in 12 min"

    bool can_uninstall() const {
        return organization.can_install() && installation.state != InstallationState::not_installed;
    }

    friend bool operator==(const OrganizationView&, const OrganizationView&) = default;
};

void to_json(nlohmann::json& j, const SessionView& v);
void to_json(nlohmann::json& j, const OrganizationView& v);

std::string session_view_json(const SessionView& v);
std::string organization_view_json(const OrganizationView& v);

Expected<SessionView, Error> parse_session_view(std::string_view json_text);
Expected<OrganizationView, Error> parse_organization_view(std::string_view json_text);

// {"error": {"code": "...", "message": "..."}}; the message defaults to default_message(code).
// Never throws: bytes of `message` that are not UTF-8 are written as U+FFFD.
std::string error_json(Errc code, std::string_view message = {});
// Reads an error body. Anything else (HTML from a proxy, garbage, an unknown code) yields
// `Errc::internal` with a description in `detail`, so callers always get a code.
Error parse_error(std::string_view json_text);

}  // namespace zai::api
