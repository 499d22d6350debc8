// hubsim — signing keys and access-token claims (see keys.h).
#include "keys.h"

#include <nlohmann/json.hpp>

namespace zai::hubsim {

std::shared_ptr<const KeyRing::Set> KeyRing::make_set(std::vector<std::shared_ptr<const RsaKeyPair>> keys) {
    auto set = std::make_shared<Set>();
    std::vector<Jwk> published;
    for (auto it = keys.rbegin(); it != keys.rend(); ++it) published.push_back((*it)->public_jwk());
    // Our own keys always import: a failure here is a bug, not input.
    set->verifier = std::make_shared<const JwtVerifier>(std::move(JwtVerifier::from_jwks(published).value()));
    set->jwks = zai::jwks_json(published);
    set->keys = std::move(keys);
    return set;
}

KeyRing::KeyRing() : set_(make_set({std::make_shared<const RsaKeyPair>(RsaKeyPair::generate())})) {}

std::shared_ptr<const KeyRing::Set> KeyRing::current() const {
    std::lock_guard lock(mutex_);
    return set_;
}

std::optional<std::string> KeyRing::replace(const std::vector<std::string>& pems) {
    if (pems.empty()) return "no signing keys";
    std::vector<std::shared_ptr<const RsaKeyPair>> keys;
    for (const auto& pem : pems) {
        auto key = RsaKeyPair::from_private_pem(pem);
        if (!key) return "signing key: " + key.error().detail;
        keys.push_back(std::make_shared<const RsaKeyPair>(std::move(*key)));
    }
    auto set = make_set(std::move(keys));
    std::lock_guard lock(mutex_);
    set_ = std::move(set);
    return std::nullopt;
}

std::vector<std::string> KeyRing::private_pems() const {
    std::vector<std::string> out;
    for (const auto& k : current()->keys) out.push_back(k->private_pem());
    return out;
}

std::string KeyRing::rotate(bool drop_old) {
    auto fresh = std::make_shared<const RsaKeyPair>(RsaKeyPair::generate());
    const std::string kid = fresh->kid();
    std::lock_guard lock(mutex_);
    auto keys = drop_old ? std::vector<std::shared_ptr<const RsaKeyPair>>{} : set_->keys;
    keys.push_back(std::move(fresh));
    set_ = make_set(std::move(keys));
    return kid;
}

std::string KeyRing::sign(std::string_view claims_json) const { return sign_jwt(*current()->keys.back(), claims_json); }

std::string KeyRing::active_kid() const { return current()->keys.back()->kid(); }

std::vector<std::string> KeyRing::kids() const {
    std::vector<std::string> out;
    for (const auto& k : current()->keys) out.push_back(k->kid());
    return out;
}

std::string KeyRing::jwks_json() const { return current()->jwks; }

Expected<JwtClaims, JwtError> KeyRing::verify(std::string_view token, std::int64_t now) const {
    return current()->verifier->verify(token, JwtVerifyOptions{now, 0, true});
}

std::string access_token_claims(std::string_view sub, std::string_view audience, std::string_view jti,
                                std::int64_t nbf, std::int64_t exp, std::string_view jku,
                                const std::vector<std::string>& scopes) {
    nlohmann::ordered_json j;
    j["iss"] = "ZAI";
    j["sub"] = sub;
    j["aud"] = nlohmann::ordered_json::array({audience});
    j["jti"] = jti;
    j["nbf"] = nbf;
    j["exp"] = exp;
    j["jku"] = jku;
    j["scope"] = scopes;
    return j.dump();
}

}  // namespace zai::hubsim
