// zai-connect — checks on the access tokens the Hub issues (issue 4 §7).
//
// Zaikio access tokens are RS256 JWTs (zaikio-hub.md §5). Before a token is stored, its
// signature is verified against the Hub's published keys (GET /api/v1/jwt_public_keys, cached;
// fetched again, at most every 10 s, when a token names an unknown key id), exp/nbf are checked
// with a small skew, and `sub` must name the bearer the token response claims. With
// VERIFY_ACCESS_TOKENS=false only the token's `jti` is read (for revocation events).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include <optional>

#include "config.h"
#include "hub_client.h"
#include "jwt.h"
#include "zai/model.h"

namespace zai::connect {

class AccessTokenChecker {
public:
    AccessTokenChecker(HubClient& hub, const Config& config);

    // The token's jti when it passes; hub_bad_response (or the failure to fetch keys) otherwise.
    Expected<std::string, Error> check(std::string_view access_token, const Bearer& bearer, std::int64_t now);

    static constexpr std::int64_t skew_seconds = 60;

private:
    // Fetches the key set when there is none, when it is older than an hour, or when `refetch`
    // asks and the last fetch is at least 10 s old. Keeps the old keys if the fetch fails.
    std::optional<Error> load_keys(bool refetch, std::int64_t now);

    HubClient& hub_;
    const Config& config_;
    std::mutex mutex_;
    std::optional<JwtVerifier> verifier_;
    std::int64_t fetched_at_ = 0;
};

}  // namespace zai::connect
