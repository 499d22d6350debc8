// zai-connect — checks on the Hub's access tokens (see jwks.h).
#include "jwks.h"

#include "jwt.h"

namespace zai::connect {
namespace {

// How often an unknown key id may trigger a fetch of the key set.
constexpr std::int64_t refetch_interval_seconds = 10;
// How long a fetched key set is trusted (the Hub asks clients to cache for at most an hour).
constexpr std::int64_t keys_max_age_seconds = 3600;

Error bad_token(std::string_view why) { return Error{Errc::hub_bad_response, "access token: " + std::string(why)}; }

std::string expected_subject(const Bearer& b) { return std::string(bearer_type_name(b.type)) + "/" + b.id; }

}  // namespace

AccessTokenChecker::AccessTokenChecker(HubClient& hub, const Config& config) : hub_(hub), config_(config) {}

std::optional<Error> AccessTokenChecker::load_keys(bool refetch, std::int64_t now) {
    // Called with mutex_ held.
    const bool stale = !verifier_ || now - fetched_at_ >= keys_max_age_seconds;
    const bool may_refetch = now - fetched_at_ >= refetch_interval_seconds;
    if (!stale && !(refetch && may_refetch)) return std::nullopt;
    auto fetched = hub_.jwks();
    if (!fetched) {
        if (verifier_) return std::nullopt;  // keep using the keys we have
        return Error{fetched.error().code, "fetching the Hub's keys: " + fetched.error().detail};
    }
    fetched_at_ = now;
    auto jwks = parse_jwks(*fetched);
    if (!jwks) return Error{Errc::hub_bad_response, "the Hub's key set: " + jwks.error().detail};
    auto verifier = JwtVerifier::from_jwks(*jwks);
    if (!verifier) return Error{Errc::hub_bad_response, "the Hub's key set: " + verifier.error().detail};
    verifier_.emplace(std::move(*verifier));
    return std::nullopt;
}

Expected<std::string, Error> AccessTokenChecker::check(std::string_view access_token, const Bearer& bearer,
                                                       std::int64_t now) {
    if (!config_.verify_access_tokens) {
        auto claims = read_jwt_claims(access_token);
        return claims ? claims->jti : std::string{};
    }
    std::lock_guard lock(mutex_);
    for (bool refetch : {false, true}) {
        if (auto problem = load_keys(refetch, now)) return Unexpected{*problem};
        auto claims = verifier_->verify(access_token, JwtVerifyOptions{.now = now, .skew_seconds = skew_seconds});
        if (!claims) {
            if (claims.error() == JwtError::unknown_kid && !refetch) continue;  // keys may have rotated
            return Unexpected{bad_token(jwt_error_id(claims.error()))};
        }
        if (claims->sub != expected_subject(bearer)) return Unexpected{bad_token("sub does not name the bearer")};
        return claims->jti;
    }
    return Unexpected{bad_token("unknown_kid")};
}

}  // namespace zai::connect
