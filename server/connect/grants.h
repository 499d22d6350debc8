// zai-connect — usable access tokens on demand (issue 4 §6, security.md R29–R35).
//
// `usable(id)` returns a grant whose access token is valid for at least the refresh margin,
// refreshing it first when needed:
//   - one refresh per grant at a time: callers in this process share one attempt (a "flight"),
//     and processes sharing the store take the grant's lock in the store, re-read the grant once
//     they hold it, and skip the refresh if another process already did it (R30, R31);
//   - the new tokens replace the old ones with a compare-and-swap on the grant's version (R32);
//   - organisation grants whose refresh is denied, or that have no refresh token, get a new
//     token by client credentials, as Zaikio's own client does; when that is denied too, the
//     installation is revoked (R33). A denied person grant ends its session;
//   - network errors, 5xx and timeouts keep the grant and fail this request (R34).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "config.h"
#include "hub_client.h"
#include "jwks.h"
#include "metrics.h"
#include "store.h"

namespace zai::connect {

class Grants {
public:
    Grants(Store& store, HubClient& hub, AccessTokenChecker& checker, const Config& config, Metrics& metrics);

    // A token response from the Hub as a TokenSet to store: its access token checked, expiry
    // counted from now (R19).
    Expected<TokenSet, Error> accept(const TokenResponse& t, std::int64_t now);

    // The grant with a usable access token. `refused_version`: the caller's token of that version
    // was refused upstream (401), so a newer one is needed even if it looks fresh (R54).
    // Errors: session_expired / installation_revoked when the Hub denied the grant (already
    // acted upon), not_installed / session_expired when there is no grant, hub_* otherwise.
    Expected<Grant, Error> usable(std::string_view grant_id, std::optional<std::int64_t> refused_version = {});

private:
    struct Flight {
        std::mutex mutex;
        std::condition_variable done_cv;
        bool done = false;
        std::optional<Expected<Grant, Error>> result;
    };

    Expected<Grant, Error> renew(const std::string& grant_id, std::optional<std::int64_t> refused_version);
    Expected<Grant, Error> renew_holding_lock(const Grant& grant, const std::string& owner);
    Expected<TokenSet, Error> new_tokens(const Grant& grant);
    Error denied(const Grant& grant, std::string_view why);
    bool fresh(const Grant& g, std::int64_t now) const;

    Store& store_;
    HubClient& hub_;
    AccessTokenChecker& checker_;
    const Config& config_;
    Metrics& metrics_;
    const std::string owner_prefix_;  // unique per process, for the store's lock

    std::mutex flights_mutex_;
    std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
};

// Seconds since the epoch.
std::int64_t unix_now();
std::int64_t unix_now_ms();

}  // namespace zai::connect
