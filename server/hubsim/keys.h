// hubsim — the Hub's signing keys: RS256 access tokens, the published JWK set, rotation.
//
// One key is active (it signs); older keys stay published after a rotation so tokens they signed
// keep verifying until they expire (zaikio-hub.md §5.2), unless the rotation drops them (to test
// how a client copes with an unknown kid). Signing and verifying run in parallel: the lock only
// guards swapping the key list.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jwt.h"

namespace zai::hubsim {

class KeyRing {
public:
    KeyRing();  // one fresh 2048-bit key

    // Replaces the keys with these PKCS#8 PEMs (oldest first, active last), e.g. from --state.
    std::optional<std::string> replace(const std::vector<std::string>& pems);
    std::vector<std::string> private_pems() const;

    // A new active key; with `drop_old` the previous keys are no longer published. Returns its kid.
    std::string rotate(bool drop_old);

    std::string sign(std::string_view claims_json) const;  // compact JWS with the active key
    std::string active_kid() const;
    std::vector<std::string> kids() const;  // published, oldest first
    std::string jwks_json() const;          // {"keys":[...]}, newest first

    Expected<JwtClaims, JwtError> verify(std::string_view token, std::int64_t now) const;

private:
    struct Set {
        std::vector<std::shared_ptr<const RsaKeyPair>> keys;  // active last
        std::shared_ptr<const JwtVerifier> verifier;
        std::string jwks;
    };
    static std::shared_ptr<const Set> make_set(std::vector<std::shared_ptr<const RsaKeyPair>> keys);
    std::shared_ptr<const Set> current() const;

    mutable std::mutex mutex_;
    std::shared_ptr<const Set> set_;
};

// The claims of a Hub access token (§5.1) in the Hub's order: iss, sub, aud, jti, nbf, exp, jku,
// scope (plain scopes).
std::string access_token_claims(std::string_view sub, std::string_view audience, std::string_view jti,
                                std::int64_t nbf, std::int64_t exp, std::string_view jku,
                                const std::vector<std::string>& scopes);

}  // namespace zai::hubsim
