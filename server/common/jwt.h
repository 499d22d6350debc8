// zai_native — RS256 JSON Web Tokens and RSA JWKs, the way the Zaikio Hub uses them.
//
// The Hub signs access tokens with RS256 only, header exactly {"kid":"<hex>","alg":"RS256"} (no
// `typ`), and publishes its keys as {"keys":[{"kty":"RSA","n","e","kid"}]} with nothing else in
// each key (zaikio-hub.md §5.1, §5.2). Here:
//   RsaKeyPair   generate (2048-bit), persist as PKCS#8 PEM, export the public JWK, sign
//   sign_jwt     header + claims → compact JWS (hubsim mints tokens with it)
//   JwtVerifier  a published key set, imported once; verifies tokens (zai-connect uses it)
// A key's id is the lower-case hex SHA-256 of its DER SubjectPublicKeyInfo, so the same key
// always has the same kid (the Hub's ids look like that: 64 hex characters).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zai/error.h"
#include "zai/expected.h"

namespace zai {

struct Jwk {
    std::string kty = "RSA";
    std::string n;  // modulus, base64url big-endian without leading zeros
    std::string e;  // public exponent, base64url ("AQAB" = 65537)
    std::string kid;

    friend bool operator==(const Jwk&, const Jwk&) = default;
};

// {"keys":[{"kty","n","e","kid"}, ...]}: exactly the members the Hub's schema allows.
std::string jwks_json(const std::vector<Jwk>& keys);
// Reads a JWK set. Keys that are not RSA are skipped (a set may hold other kinds); an RSA key
// without n, e or kid is an error, as is anything that is not {"keys": [...]}.
Expected<std::vector<Jwk>, Error> parse_jwks(std::string_view json_text);

class RsaKeyPair {
public:
    // A fresh key (OpenSSL 3 EVP_RSA_gen). Throws CryptoError when OpenSSL fails.
    static RsaKeyPair generate(int bits = 2048);
    // A private key saved with `private_pem` (PKCS#8, unencrypted). invalid_value when the text
    // is not such a key or the key is not RSA.
    static Expected<RsaKeyPair, Error> from_private_pem(std::string_view pem);

    RsaKeyPair(RsaKeyPair&&) noexcept;
    RsaKeyPair& operator=(RsaKeyPair&&) noexcept;
    ~RsaKeyPair();

    std::string private_pem() const;  // a secret: store it like one (file mode 0600)
    const Jwk& public_jwk() const { return jwk_; }
    const std::string& kid() const { return jwk_.kid; }

    // RSASSA-PKCS1-v1_5 with SHA-256 over `data`; the raw signature bytes. Thread-safe.
    std::string sign_rs256(std::string_view data) const;

private:
    struct Impl;
    explicit RsaKeyPair(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    Jwk jwk_;
};

// header {"kid":<key id>,"alg":"RS256"} . claims . signature, each base64url without padding.
// `claims_json` must be a JSON object's text; it is used as given.
std::string sign_jwt(const RsaKeyPair& key, std::string_view claims_json);

enum class JwtError {
    malformed,      // not three base64url segments of JSON objects, alg is not RS256, bad claim types
    unknown_kid,    // no published key has the token's kid
    bad_signature,  // the signature does not verify with that key
    expired,        // now >= exp + skew
    not_yet_valid,  // now + skew < nbf
};
std::string_view jwt_error_id(JwtError e);  // "malformed", "unknown_kid", ...

struct JwtClaims {
    std::string kid;  // from the header
    std::string iss;
    std::string sub;
    std::string jti;
    std::string jku;
    std::vector<std::string> aud;    // a single string audience becomes one element
    std::vector<std::string> scope;  // the Hub's scope array (plain scopes)
    std::optional<std::int64_t> nbf;
    std::optional<std::int64_t> exp;
    std::optional<std::int64_t> iat;
    std::string payload_json;  // the whole claims object, for anything not above
};

struct JwtVerifyOptions {
    std::int64_t now = 0;           // unix seconds; injected so tests control time
    std::int64_t skew_seconds = 0;  // tolerance for both exp and nbf (added, never subtracted)
    bool require_exp = true;        // a token without exp is malformed
};

// Public keys imported once; `verify` may be called from many threads at the same time.
class JwtVerifier {
public:
    // invalid_value when an RSA key cannot be imported (bad base64url, modulus below 2048 bits).
    static Expected<JwtVerifier, Error> from_jwks(const std::vector<Jwk>& keys);

    JwtVerifier(JwtVerifier&&) noexcept;
    JwtVerifier& operator=(JwtVerifier&&) noexcept;
    ~JwtVerifier();

    bool has_kid(std::string_view kid) const;
    // Checks, in this order: shape and alg, key id, signature, then exp and nbf. Claims are only
    // read for time checks after the signature holds. A token without kid is checked against the
    // only key when the set has exactly one, otherwise it is unknown_kid.
    Expected<JwtClaims, JwtError> verify(std::string_view token, const JwtVerifyOptions& options) const;

private:
    struct Impl;
    explicit JwtVerifier(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The claims without checking signature or time: only for reading an id out of a token that is
// verified elsewhere (or deliberately not). malformed as for `verify`.
Expected<JwtClaims, JwtError> read_jwt_claims(std::string_view token);

}  // namespace zai
