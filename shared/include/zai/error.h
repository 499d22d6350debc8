// zai_core — the project's stable error codes.
//
// One list for the backend, the dashboard and the tests. Each code has a fixed spelling
// (`code_id`) that appears in JSON errors as `{"error": {"code": "<id>", "message": "..."}}`;
// ids are part of the API and never change meaning. The HTTP status for each code is chosen once,
// at the backend's edge (server/connect/edge.cpp); the dashboard's wording for each code is in
// `default_message`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace zai {

enum class Errc {
    // Parsing what the Hub or the backend sent (model and API JSON).
    invalid_json,           // not JSON at all
    wrong_type,             // a member, or the document, has the wrong JSON type
    missing_member,         // a required member is absent
    invalid_value,          // present and typed, but not acceptable (bad UUID, token_type, ...)

    // Requests to the backend.
    bad_request,            // malformed parameters
    invalid_return_path,    // return_to is not a safe local path
    invalid_organization_id,
    csrf_header_missing,    // JSON API call without the custom header
    unauthenticated,        // no session
    session_expired,        // the session ended (timeout, or the Hub denied its refresh)
    forbidden,              // signed in, but not allowed
    not_a_member,           // not a member of that organisation
    not_an_admin,           // member, but neither owner nor admin
    not_found,
    not_installed,          // the app is not installed for that organisation
    installation_revoked,   // it was, but the Hub denied the grant: an admin must reinstall
    payload_too_large,
    rate_limited,           // this session made too many requests that call the Hub (R55)

    // The OAuth callback.
    flow_state_missing,
    flow_state_unknown,     // no matching transaction for this browser
    flow_expired,
    flow_denied,            // the person cancelled at the Hub (access_denied)
    flow_hub_error,         // the Hub redirected back with another error (e.g. invalid_scope)
    flow_code_rejected,     // the code exchange failed (invalid_grant, invalid_request)
    flow_bearer_mismatch,   // the token is not for the subject the flow asked for

    // Talking to the Hub.
    hub_unavailable,        // connection refused or reset, 5xx
    hub_timeout,
    hub_bad_response,       // garbage, wrong shape, wrong bearer
    hub_rate_limited,

    internal,
};

std::string_view code_id(Errc code);
std::optional<Errc> parse_code_id(std::string_view id);

// Short English sentence for people; never contains request data.
std::string_view default_message(Errc code);

struct Error {
    Errc code;
    std::string detail;  // for logs and developers; safe to show (never a token or secret)
};

}  // namespace zai
