// zai-connect — usable access tokens on demand (see grants.h for the rules).
#include "grants.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "crypto.h"
#include "policy.h"

namespace zai::connect {
namespace {

constexpr std::string_view org_prefix = "org:";
constexpr std::string_view session_prefix = "session:";
constexpr auto lock_poll = std::chrono::milliseconds(25);
// A longer expires_in is read as a day (R19): refreshing early is harmless, while now + an absurd
// value from the Hub would overflow.
constexpr std::int64_t max_token_lifetime_seconds = 24 * 3600;

bool is_organization_grant(std::string_view id) { return id.starts_with(org_prefix); }

Error missing(std::string_view grant_id) {
    if (is_organization_grant(grant_id)) return Error{Errc::not_installed, "no grant for this organisation"};
    return Error{Errc::session_expired, "the session's grant is gone"};
}

std::atomic<std::uint64_t> lock_attempts{0};

}  // namespace

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::int64_t unix_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Grants::Grants(Store& store, HubClient& hub, AccessTokenChecker& checker, const Config& config, Metrics& metrics)
    : store_(store), hub_(hub), checker_(checker), config_(config), metrics_(metrics),
      owner_prefix_(random_token(9) + ":") {}

bool Grants::fresh(const Grant& g, std::int64_t now) const {
    const auto& t = g.tokens;
    return !t.access_token.empty() &&
           !needs_refresh(t.expires_at, t.expires_at - g.refreshed_at, config_.refresh_margin_seconds, now);
}

Expected<TokenSet, Error> Grants::accept(const TokenResponse& t, std::int64_t now) {
    auto jti = checker_.check(t.access_token, t.bearer, now);
    if (!jti) return Unexpected{jti.error()};
    TokenSet set;
    set.access_token = t.access_token;
    set.refresh_token = t.refresh_token;
    set.expires_at = now + std::min(t.expires_in, max_token_lifetime_seconds);
    set.jti = std::move(*jti);
    for (const auto& s : t.scopes) set.scopes.push_back(format_scope(s));
    return set;
}

Expected<Grant, Error> Grants::usable(std::string_view grant_id, std::optional<std::int64_t> refused_version) {
    const std::string id(grant_id);
    auto g = store_.find_grant(id);
    if (!g) return Unexpected{missing(id)};
    if (fresh(*g, unix_now()) && (!refused_version || g->version != *refused_version)) return std::move(*g);

    std::shared_ptr<Flight> flight;
    bool leader = false;
    {
        std::lock_guard lock(flights_mutex_);
        auto& slot = flights_[id];
        if (!slot) {
            slot = std::make_shared<Flight>();
            leader = true;
        }
        flight = slot;
    }
    if (!leader) {
        std::unique_lock lock(flight->mutex);
        flight->done_cv.wait(lock, [&] { return flight->done; });
        return *flight->result;
    }

    auto result = renew(id, refused_version);
    {
        std::lock_guard lock(flight->mutex);
        flight->result = result;
        flight->done = true;
    }
    flight->done_cv.notify_all();
    {
        std::lock_guard lock(flights_mutex_);
        flights_.erase(id);
    }
    return result;
}

Expected<Grant, Error> Grants::renew(const std::string& grant_id, std::optional<std::int64_t> refused_version) {
    const std::string owner = owner_prefix_ + std::to_string(++lock_attempts);
    const std::int64_t give_up_at = unix_now_ms() + config_.refresh_wait_ms;
    auto good_enough = [&](const Grant& g) {
        return fresh(g, unix_now()) && (!refused_version || g.version != *refused_version);
    };
    for (bool first = true;; first = false) {
        auto g = store_.find_grant(grant_id);
        if (!g) return Unexpected{missing(grant_id)};
        if (good_enough(*g)) return std::move(*g);

        const std::int64_t now_ms = unix_now_ms();
        if (store_.try_lock_grant(grant_id, owner, now_ms + config_.refresh_lock_lease_ms, now_ms)) {
            // Another process may have refreshed between our read and the lock: read again (R31).
            g = store_.find_grant(grant_id);
            if (!g) return Unexpected{missing(grant_id)};
            if (good_enough(*g)) {
                store_.unlock_grant(grant_id, owner);
                return std::move(*g);
            }
            return renew_holding_lock(*g, owner);
        }
        if (first) metrics_.count("zai_refresh_lock_waits_total");
        if (now_ms >= give_up_at) {
            metrics_.count("zai_refresh_lock_timeouts_total");
            return Unexpected{Error{Errc::hub_timeout, "another refresh of this grant did not finish in time"}};
        }
        std::this_thread::sleep_for(lock_poll);
    }
}

Expected<Grant, Error> Grants::renew_holding_lock(const Grant& grant, const std::string& owner) {
    auto tokens = new_tokens(grant);
    if (!tokens) {
        // After a denial the grant is gone, and its lock with it; otherwise let others try.
        const auto code = tokens.error().code;
        if (code != Errc::session_expired && code != Errc::installation_revoked) store_.unlock_grant(grant.id, owner);
        return Unexpected{tokens.error()};
    }
    const std::int64_t now = unix_now();
    if (!store_.replace_tokens(grant.id, grant.version, *tokens, now)) {
        // Our lease ran out and someone else replaced the tokens: theirs are as good as ours.
        auto current = store_.find_grant(grant.id);
        if (!current) return Unexpected{missing(grant.id)};
        return std::move(*current);
    }
    Grant updated = grant;
    updated.tokens = std::move(*tokens);
    updated.version = grant.version + 1;
    updated.refreshed_at = now;
    return updated;
}

Error Grants::denied(const Grant& grant, std::string_view why) {
    const std::int64_t now = unix_now();
    if (is_organization_grant(grant.id)) {
        store_.revoke_installation(grant.bearer_id, "refresh_denied", now);
        metrics_.count("zai_installations_revoked_total", R"(reason="refresh_denied")");
        return Error{Errc::installation_revoked, std::string(why)};
    }
    store_.delete_session(std::string_view(grant.id).substr(session_prefix.size()));
    metrics_.count("zai_sessions_ended_total", R"(reason="refresh_denied")");
    return Error{Errc::session_expired, std::string(why)};
}

Expected<TokenSet, Error> Grants::new_tokens(const Grant& grant) {
    const bool organization = is_organization_grant(grant.id);
    auto same_bearer = [&](const TokenResponse& t) {
        return t.bearer.type == grant.bearer_type && t.bearer.id == grant.bearer_id;
    };

    if (grant.tokens.refresh_token) {
        auto r = hub_.refresh(*grant.tokens.refresh_token);
        if (r) {
            if (!same_bearer(*r)) {
                metrics_.count("zai_refresh_total", R"(result="wrong_bearer")");
                return Unexpected{Error{Errc::hub_bad_response, "the refreshed token is for another bearer"}};
            }
            auto set = accept(*r, unix_now());
            if (!set) return set;
            if (!set->refresh_token) set->refresh_token = grant.tokens.refresh_token;  // R32: keep the old one
            metrics_.count("zai_refresh_total", R"(result="ok")");
            return set;
        }
        if (!r.error().denied) {
            metrics_.count("zai_refresh_total", R"(result="failed")");
            return Unexpected{Error{r.error().code, r.error().detail}};
        }
        metrics_.count("zai_refresh_total", R"(result="denied")");
        if (!organization) return Unexpected{denied(grant, "the Hub denied the refresh: " + r.error().detail)};
    } else if (!organization) {
        return Unexpected{denied(grant, "the session's grant cannot be refreshed")};
    }

    // An installed organisation: client credentials for the scopes it granted us.
    std::vector<Scope> scopes;
    for (const auto& text : grant.requested_scopes) {
        if (auto s = parse_scope(text)) scopes.push_back(std::move(*s));
    }
    auto cc = hub_.client_credentials(scopes);
    if (!cc) {
        metrics_.count("zai_client_credentials_total", cc.error().denied ? R"(result="denied")" : R"(result="failed")");
        if (cc.error().denied) return Unexpected{denied(grant, "the Hub denied client credentials: " + cc.error().detail)};
        return Unexpected{Error{cc.error().code, cc.error().detail}};
    }
    if (!same_bearer(*cc)) return Unexpected{Error{Errc::hub_bad_response, "client credentials for another bearer"}};
    auto set = accept(*cc, unix_now());
    if (set) {
        set->refresh_token.reset();  // as Zaikio's client: client-credential refresh tokens are not kept
        metrics_.count("zai_client_credentials_total", R"(result="ok")");
    }
    return set;
}

}  // namespace zai::connect
