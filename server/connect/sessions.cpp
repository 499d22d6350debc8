// zai-connect — person sessions.
#include "sessions.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "crypto.h"
#include "edge.h"
#include "http.h"
#include "policy.h"

namespace zai::connect {

std::optional<std::string> cookie_value(const httplib::Request& req, std::string_view name) {
    return zai::cookie_value(req.get_header_value("Cookie"), name);
}

std::string cookie_header(std::string_view name, std::string_view value, std::string_view same_site,
                          std::int64_t max_age_seconds) {
    std::string h(name);
    h += "=";
    h += value;
    h += "; Path=/; Secure; HttpOnly; SameSite=";
    h += same_site;
    h += "; Max-Age=" + std::to_string(max_age_seconds);
    return h;
}

std::string memberships_json(const Person& person) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& m : person.memberships) {
        rows.push_back({{"id", m.organization.id}, {"name", m.organization.name}, {"roles", m.roles}});
    }
    return rows.dump();
}

std::vector<api::OrganizationRow> parse_memberships_json(std::string_view text) {
    std::vector<api::OrganizationRow> rows;
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_array()) return rows;
    for (const auto& item : j) {
        if (!item.is_object()) continue;
        api::OrganizationRow row;
        row.id = item.value("id", "");
        row.name = item.value("name", "");
        row.roles = item.value("roles", std::vector<std::string>{});
        rows.push_back(std::move(row));
    }
    return rows;
}

Sessions::Sessions(Store& store, Grants& grants, HubClient& hub, const Config& config, Metrics& metrics)
    : store_(store), grants_(grants), hub_(hub), config_(config), metrics_(metrics) {}

std::int64_t Sessions::seconds_left(const Session& s, std::int64_t now) const {
    return session_seconds_left(SessionClock{s.last_seen_at, s.absolute_expires_at}, config_.session_idle_seconds, now);
}

std::string Sessions::cookie_for(std::string_view value) const {
    return cookie_header(session_cookie_name, value, "Strict", config_.session_absolute_seconds);
}

std::string Sessions::clearing_cookie() const { return cookie_header(session_cookie_name, "", "Strict", 0); }

Sessions::Lookup Sessions::find(const httplib::Request& req, bool slide) {
    const auto value = cookie_value(req, session_cookie_name);
    if (!value || value->empty() || value->size() > 128) return {};
    const std::string hash = sha256_hex(*value);
    auto s = store_.find_session(hash);
    if (!s) return {Found::ended, std::nullopt};  // a cookie that names no session: ended or forged
    const std::int64_t now = unix_now();
    if (seconds_left(*s, now) <= 0) {
        store_.delete_session(hash);
        metrics_.count("zai_sessions_ended_total", R"(reason="timeout")");
        return {Found::ended, std::nullopt};
    }
    if (slide && should_touch(s->last_seen_at, now, config_.session_idle_seconds)) {
        store_.touch_session(hash, now);
        s->last_seen_at = now;
    }
    return {Found::live, std::move(s)};
}

std::string Sessions::start(const Person& person, const TokenSet& tokens,
                            const std::vector<std::string>& requested_scopes, std::optional<std::string> previous) {
    if (previous && !previous->empty() && previous->size() <= 128) store_.delete_session(sha256_hex(*previous));
    const std::string value = random_token(32);
    const std::int64_t now = unix_now();

    Session s;
    s.id_hash = sha256_hex(value);
    s.person_id = person.id;
    s.person_name = person.full_name;
    s.email = person.email;
    s.memberships_json = memberships_json(person);
    s.memberships_at = now;
    s.created_at = now;
    s.last_seen_at = now;
    s.absolute_expires_at = now + config_.session_absolute_seconds;
    s.action_nonce = random_token(16);

    Grant g;
    g.id = person_grant_id(s.id_hash);
    g.bearer_type = BearerType::person;
    g.bearer_id = person.id;
    g.tokens = tokens;
    g.requested_scopes = requested_scopes;
    g.refreshed_at = now;

    store_.create_session(s, g);
    metrics_.count("zai_logins_total");
    return value;
}

Expected<std::vector<api::OrganizationRow>, Error> Sessions::organizations(Session& session, bool fresh) {
    const std::int64_t now = unix_now();
    if (!fresh && now - session.memberships_at < config_.memberships_max_age_seconds) {
        return parse_memberships_json(session.memberships_json);
    }
    // When the Hub cannot answer, a routine re-read keeps the snapshot; a decision needs fresh data.
    auto fall_back = [&](Error e) -> Expected<std::vector<api::OrganizationRow>, Error> {
        if (fresh || e.code == Errc::session_expired) return Unexpected{std::move(e)};
        return parse_memberships_json(session.memberships_json);
    };
    const std::string grant_id = person_grant_id(session.id_hash);
    auto grant = grants_.usable(grant_id);
    if (!grant) return fall_back(grant.error());
    auto person = hub_.person(grant->tokens.access_token);
    if (!person && person.error().denied) {
        // Refused although it looked valid (revoked at the Hub): one forced renewal, one retry (R54).
        grant = grants_.usable(grant_id, grant->version);
        if (!grant) return fall_back(grant.error());
        person = hub_.person(grant->tokens.access_token);
    }
    if (!person) return fall_back(Error{person.error().code, person.error().detail});
    if (person->id != session.person_id) return fall_back(Error{Errc::hub_bad_response, "the Hub returned another person"});
    session.memberships_json = memberships_json(*person);
    session.memberships_at = now;
    store_.update_memberships(session.id_hash, session.memberships_json, now);
    return parse_memberships_json(session.memberships_json);
}

void Sessions::end(const Session& session, bool everywhere) {
    if (const auto grant = store_.find_grant(person_grant_id(session.id_hash)); grant && !grant->tokens.access_token.empty()) {
        if (auto revoked = hub_.revoke(grant->tokens.access_token); !revoked) {
            metrics_.count("zai_revocation_failures_total");
            log_line("logout: revoking the token at the Hub failed (" + std::string(code_id(revoked.error().code)) +
                     "); the session ends anyway");
        }
    }
    if (everywhere) {
        store_.delete_sessions_of_person(session.person_id);
    } else {
        store_.delete_session(session.id_hash);
    }
    metrics_.count("zai_logouts_total");
}

}  // namespace zai::connect
