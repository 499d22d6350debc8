// zai-connect — person sessions: the cookie, the stored session, and its view of the person's
// organisations (security.md R22, R26, R37–R43).
//
// The cookie holds 256 random bits; the store keeps only their SHA-256 (R26). It is
// `__Host-zai_session; Path=/; Secure; HttpOnly; SameSite=Strict` (R37): never sent on
// cross-site requests, so a forged request from elsewhere arrives without a session.
// A session is found only through that cookie (R39) and ends after SESSION_IDLE_SECONDS without
// use or SESSION_ABSOLUTE_SECONDS after sign-in, whichever comes first (R41).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.h"
#include "grants.h"
#include "hub_client.h"
#include "store.h"
#include "zai/api.h"
#include "httplib_fwd.h"

namespace zai::connect {

inline constexpr std::string_view session_cookie_name = "__Host-zai_session";

std::optional<std::string> cookie_value(const httplib::Request& req, std::string_view name);
// "<name>=<value>; Path=/; Secure; HttpOnly; SameSite=<same_site>; Max-Age=<seconds>"
std::string cookie_header(std::string_view name, std::string_view value, std::string_view same_site,
                          std::int64_t max_age_seconds);

class Sessions {
public:
    Sessions(Store& store, Grants& grants, HubClient& hub, const Config& config, Metrics& metrics);

    enum class Found { live, none, ended };
    struct Lookup {
        Found found = Found::none;
        std::optional<Session> session;
    };

    // The request's session. An ended session is deleted and reported as `ended`. With `slide`
    // false the lookup does not count as activity (a dashboard poll, R42).
    Lookup find(const httplib::Request& req, bool slide = true);

    // Starts a session for `person` holding `tokens`; ends `previous` (the cookie the browser had,
    // if any: a new id on every sign-in, R22). Returns the cookie value: its only clear copy.
    std::string start(const Person& person, const TokenSet& tokens, const std::vector<std::string>& requested_scopes,
                      std::optional<std::string> previous);

    // The person's organisations and roles, from the session's snapshot of GET /api/v1/person,
    // read again from the Hub when older than MEMBERSHIPS_MAX_AGE_SECONDS or when `fresh` is
    // asked (install decisions, R7). If the Hub cannot be reached, a snapshot that is not
    // `fresh`-critical is used as it is. Errors: session_expired (grant denied), hub_*.
    Expected<std::vector<api::OrganizationRow>, Error> organizations(Session& session, bool fresh);

    // Ends the session (or all of the person's sessions) and tries to revoke its token at the
    // Hub; failing to revoke is counted and logged, the local logout completes (R56).
    void end(const Session& session, bool everywhere);

    std::int64_t seconds_left(const Session& s, std::int64_t now) const;
    std::string cookie_for(std::string_view value) const;
    std::string clearing_cookie() const;

private:
    Store& store_;
    Grants& grants_;
    HubClient& hub_;
    const Config& config_;
    Metrics& metrics_;
};

// The memberships snapshot kept in a session: [{"id","name","roles"}], installation not set.
std::string memberships_json(const Person& person);
std::vector<api::OrganizationRow> parse_memberships_json(std::string_view json_text);

}  // namespace zai::connect
