// zai_core — spellings and default wording of the stable error codes.
#include "zai/error.h"

#include <array>
#include <utility>

namespace zai {
namespace {

struct CodeInfo {
    Errc code;
    std::string_view id;
    std::string_view message;
};

// One row per code; the order is the enum's (checked by a test) so lookup by code is an index.
constexpr std::array codes{
    CodeInfo{Errc::invalid_json, "invalid_json", "The response was not valid JSON."},
    CodeInfo{Errc::wrong_type, "wrong_type", "The response had an unexpected shape."},
    CodeInfo{Errc::missing_member, "missing_member", "The response lacked a required field."},
    CodeInfo{Errc::invalid_value, "invalid_value", "The response contained an unacceptable value."},
    CodeInfo{Errc::bad_request, "bad_request", "The request was malformed."},
    CodeInfo{Errc::invalid_return_path, "invalid_return_path", "That return address is not a page of this app."},
    CodeInfo{Errc::invalid_organization_id, "invalid_organization_id", "That is not a valid organisation id."},
    CodeInfo{Errc::csrf_header_missing, "csrf_header_missing", "The request lacked the API header."},
    CodeInfo{Errc::unauthenticated, "unauthenticated", "Please sign in."},
    CodeInfo{Errc::session_expired, "session_expired", "Your session has ended. Please sign in again."},
    CodeInfo{Errc::forbidden, "forbidden", "You are not allowed to do that."},
    CodeInfo{Errc::not_a_member, "not_a_member", "You are not a member of this organisation."},
    CodeInfo{Errc::not_an_admin, "not_an_admin", "Only an owner or admin of the organisation can do that."},
    CodeInfo{Errc::not_found, "not_found", "Not found."},
    CodeInfo{Errc::not_installed, "not_installed", "The app is not installed for this organisation."},
    CodeInfo{Errc::installation_revoked, "installation_revoked", "Access was revoked. An owner or admin can reinstall the app."},
    CodeInfo{Errc::payload_too_large, "payload_too_large", "The request was too large."},
    CodeInfo{Errc::rate_limited, "rate_limited", "Too many requests. Please wait a moment and retry."},
    CodeInfo{Errc::flow_state_missing, "flow_state_missing", "The sign-in response was incomplete. Please try again."},
    CodeInfo{Errc::flow_state_unknown, "flow_state_unknown", "This sign-in was not started here, or was already finished. Please try again."},
    CodeInfo{Errc::flow_expired, "flow_expired", "The sign-in took too long. Please try again."},
    CodeInfo{Errc::flow_denied, "flow_denied", "Access was not granted at Zaikio."},
    CodeInfo{Errc::flow_hub_error, "flow_hub_error", "Zaikio could not start the sign-in."},
    CodeInfo{Errc::flow_code_rejected, "flow_code_rejected", "Zaikio did not accept the sign-in. Please try again."},
    CodeInfo{Errc::flow_bearer_mismatch, "flow_bearer_mismatch", "Zaikio granted access for a different person or organisation than requested."},
    CodeInfo{Errc::hub_unavailable, "hub_unavailable", "Zaikio is not reachable right now. Please retry."},
    CodeInfo{Errc::hub_timeout, "hub_timeout", "Zaikio did not answer in time. Please retry."},
    CodeInfo{Errc::hub_bad_response, "hub_bad_response", "Zaikio sent an answer the app could not use. Please retry."},
    CodeInfo{Errc::hub_rate_limited, "hub_rate_limited", "Too many requests to Zaikio. Please retry shortly."},
    CodeInfo{Errc::internal, "internal", "Something went wrong on our side."},
};

constexpr bool in_enum_order() {
    for (std::size_t i = 0; i < codes.size(); ++i) {
        if (static_cast<std::size_t>(codes[i].code) != i) return false;
    }
    return true;
}
static_assert(in_enum_order(), "codes[] must list Errc in declaration order");
static_assert(codes.back().code == Errc::internal, "codes[] must end with the last Errc");

}  // namespace

std::string_view code_id(Errc code) { return codes[static_cast<std::size_t>(code)].id; }

std::optional<Errc> parse_code_id(std::string_view id) {
    for (const auto& c : codes) {
        if (c.id == id) return c.code;
    }
    return std::nullopt;
}

std::string_view default_message(Errc code) { return codes[static_cast<std::size_t>(code)].message; }

}  // namespace zai
