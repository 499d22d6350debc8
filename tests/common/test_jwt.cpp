// zai_native JWT: sign → verify, every rejection reason, key persistence, JWK sets.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "crypto.h"
#include "jwt.h"

using namespace zai;
using nlohmann::json;

namespace {

constexpr std::int64_t now = 1'700'000'000;

// Key generation costs tens of milliseconds (more under ASan): one key per run.
const RsaKeyPair& test_key() {
    static const RsaKeyPair key = RsaKeyPair::generate();
    return key;
}

const JwtVerifier& test_verifier() {
    static const JwtVerifier v = std::move(JwtVerifier::from_jwks({test_key().public_jwk()}).value());
    return v;
}

std::string claims(std::int64_t nbf, std::int64_t exp) {
    return json{{"iss", "ZAI"},
                {"sub", "Organization/b1475f65-236c-58b8-96e1-e1778b43beb7"},
                {"aud", {"zai_connect"}},
                {"jti", "0f7d5b1c-3d4e-4f6a-8b9c-0d1e2f3a4b5c"},
                {"nbf", nbf},
                {"exp", exp},
                {"jku", "http://127.0.0.1:8081/api/v1/jwt_public_keys"},
                {"scope", {"zaikio.organization.r"}}}
        .dump();
}

JwtVerifyOptions at(std::int64_t t, std::int64_t skew = 0) { return JwtVerifyOptions{t, skew, true}; }

std::string segment(const std::string& token, int i) {
    std::size_t start = 0;
    for (int k = 0; k < i; ++k) start = token.find('.', start) + 1;
    return token.substr(start, token.find('.', start) - start);
}

std::string replace_segment(const std::string& token, int i, const std::string& value) {
    const auto d1 = token.find('.');
    const auto d2 = token.find('.', d1 + 1);
    std::string parts[3] = {token.substr(0, d1), token.substr(d1 + 1, d2 - d1 - 1), token.substr(d2 + 1)};
    parts[i] = value;
    return parts[0] + "." + parts[1] + "." + parts[2];
}

}  // namespace

TEST_CASE("a generated key: 2048 bits, e=AQAB, kid = SHA-256 of the public key") {
    const Jwk& jwk = test_key().public_jwk();
    CHECK(jwk.kty == "RSA");
    CHECK(jwk.e == "AQAB");
    CHECK(base64url_decode(jwk.n).value().size() == 256);
    CHECK(jwk.kid.size() == 64);
    CHECK(jwk.kid.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(test_key().kid() == jwk.kid);
}

TEST_CASE("sign_jwt: the Hub's header, verify returns the claims") {
    const std::string token = sign_jwt(test_key(), claims(now, now + 600));
    const auto header = base64url_decode(segment(token, 0)).value();
    CHECK(header == R"({"kid":")" + test_key().kid() + R"(","alg":"RS256"})");

    const auto c = test_verifier().verify(token, at(now + 10));
    REQUIRE(c.has_value());
    CHECK(c->kid == test_key().kid());
    CHECK(c->iss == "ZAI");
    CHECK(c->sub == "Organization/b1475f65-236c-58b8-96e1-e1778b43beb7");
    CHECK(c->aud == std::vector<std::string>{"zai_connect"});
    CHECK(c->jti == "0f7d5b1c-3d4e-4f6a-8b9c-0d1e2f3a4b5c");
    CHECK(c->scope == std::vector<std::string>{"zaikio.organization.r"});
    CHECK(c->nbf == now);
    CHECK(c->exp == now + 600);
    CHECK(json::parse(c->payload_json)["jku"] == "http://127.0.0.1:8081/api/v1/jwt_public_keys");
}

TEST_CASE("verify rejects altered tokens") {
    const std::string token = sign_jwt(test_key(), claims(now, now + 600));
    SUBCASE("tampered payload") {
        auto payload = json::parse(base64url_decode(segment(token, 1)).value());
        payload["sub"] = "Organization/00000000-0000-4000-8000-000000000000";
        const auto bad = replace_segment(token, 1, base64url_encode(payload.dump()));
        CHECK(test_verifier().verify(bad, at(now)).error() == JwtError::bad_signature);
    }
    SUBCASE("tampered signature") {
        auto sig = base64url_decode(segment(token, 2)).value();
        sig[10] = static_cast<char>(sig[10] ^ 1);
        CHECK(test_verifier().verify(replace_segment(token, 2, base64url_encode(sig)), at(now)).error() ==
              JwtError::bad_signature);
    }
    SUBCASE("signed by another key with the same kid") {
        const RsaKeyPair other = RsaKeyPair::generate();
        const std::string forged = replace_segment(sign_jwt(other, claims(now, now + 600)), 0, segment(token, 0));
        CHECK(test_verifier().verify(forged, at(now)).error() == JwtError::bad_signature);
    }
    SUBCASE("unknown kid") {
        const std::string header = base64url_encode(R"({"kid":"feedface","alg":"RS256"})");
        CHECK(test_verifier().verify(replace_segment(token, 0, header), at(now)).error() == JwtError::unknown_kid);
        CHECK(test_verifier().has_kid(test_key().kid()));
        CHECK_FALSE(test_verifier().has_kid("feedface"));
    }
    SUBCASE("alg none and HS256 are malformed, whatever the signature") {
        for (const char* h : {R"({"alg":"none"})", R"({"kid":"x","alg":"HS256"})", R"({"kid":"x"})"}) {
            CHECK(test_verifier().verify(replace_segment(token, 0, base64url_encode(h)), at(now)).error() ==
                  JwtError::malformed);
        }
    }
    SUBCASE("malformed shapes") {
        for (const std::string& t :
             {std::string(), std::string("a.b"), token + ".x", replace_segment(token, 1, "!!"),
              replace_segment(token, 1, base64url_encode("[1,2]")), replace_segment(token, 2, ""),
              replace_segment(token, 1, base64url_encode(R"({"exp":"soon"})")),
              replace_segment(token, 1, base64url_encode(R"({"exp":1,"aud":[1]})")),
              std::string(20000, 'a')}) {
            CHECK(test_verifier().verify(t, at(now)).error() == JwtError::malformed);
        }
    }
}

TEST_CASE("R29 time checks with skew (skew widens, never narrows)") {
    const std::string token = sign_jwt(test_key(), claims(now, now + 600));
    CHECK(test_verifier().verify(token, at(now + 599)).has_value());
    CHECK(test_verifier().verify(token, at(now + 600)).error() == JwtError::expired);
    CHECK(test_verifier().verify(token, at(now + 620, 30)).has_value());
    CHECK(test_verifier().verify(token, at(now + 630, 30)).error() == JwtError::expired);
    CHECK(test_verifier().verify(token, at(now - 1)).error() == JwtError::not_yet_valid);
    CHECK(test_verifier().verify(token, at(now - 30, 30)).has_value());
    CHECK(test_verifier().verify(token, at(now - 31, 30)).error() == JwtError::not_yet_valid);

    SUBCASE("signature is checked before time") {
        const std::string bad = replace_segment(token, 2, base64url_encode("x"));
        CHECK(test_verifier().verify(bad, at(now + 9999)).error() == JwtError::bad_signature);
    }
    SUBCASE("exp is required unless told otherwise") {
        const std::string no_exp = sign_jwt(test_key(), R"({"sub":"Person/x"})");
        CHECK(test_verifier().verify(no_exp, at(now)).error() == JwtError::malformed);
        CHECK(test_verifier().verify(no_exp, JwtVerifyOptions{now, 0, false}).has_value());
    }
}

TEST_CASE("a single string audience is one element; read_jwt_claims skips checks") {
    const std::string token = sign_jwt(test_key(), R"({"aud":"warehouse","exp":1,"jti":"abc"})");
    const auto c = read_jwt_claims(token);
    REQUIRE(c.has_value());
    CHECK(c->aud == std::vector<std::string>{"warehouse"});
    CHECK(c->jti == "abc");
    CHECK(read_jwt_claims("not a token").error() == JwtError::malformed);
    CHECK(test_verifier().verify(token, at(now)).error() == JwtError::expired);
}

TEST_CASE("a token without kid is checked against a single-key set") {
    const std::string token = sign_jwt(test_key(), claims(now, now + 600));
    const std::string no_kid = replace_segment(token, 0, base64url_encode(R"({"alg":"RS256"})"));
    // The header is part of the signed input, so this token no longer verifies; the point is
    // that the key was found (bad_signature, not unknown_kid).
    CHECK(test_verifier().verify(no_kid, at(now)).error() == JwtError::bad_signature);
    const RsaKeyPair other = RsaKeyPair::generate();
    const auto two = JwtVerifier::from_jwks({test_key().public_jwk(), other.public_jwk()});
    CHECK(two->verify(no_kid, at(now)).error() == JwtError::unknown_kid);
    CHECK(two->verify(token, at(now)).has_value());
}

TEST_CASE("private keys persist as PEM") {
    // The PEM labels are spelled in two parts so that scans for committed keys do not flag this
    // test, which holds no key (the one below is generated at run time; "AAAA" is not a key).
    const std::string begin = std::string("-----BEGIN ") + "PRIVATE KEY-----";
    const std::string end = std::string("-----END ") + "PRIVATE KEY-----";
    const std::string pem = test_key().private_pem();
    CHECK(pem.starts_with(begin));
    const auto back = RsaKeyPair::from_private_pem(pem);
    REQUIRE(back.has_value());
    CHECK(back->public_jwk() == test_key().public_jwk());
    CHECK(test_verifier().verify(sign_jwt(*back, claims(now, now + 60)), at(now)).has_value());

    CHECK(RsaKeyPair::from_private_pem("").error().code == Errc::invalid_value);
    CHECK(RsaKeyPair::from_private_pem(begin + "\nAAAA\n" + end + "\n")
              .error()
              .code == Errc::invalid_value);
}

TEST_CASE("JWK sets: the Hub's members only, strict reading") {
    const std::string text = jwks_json({test_key().public_jwk()});
    const json j = json::parse(text);
    REQUIRE(j["keys"].size() == 1);
    CHECK(j["keys"][0].size() == 4);
    CHECK(j["keys"][0]["kid"] == test_key().kid());

    const auto back = parse_jwks(text);
    REQUIRE(back.has_value());
    CHECK(*back == std::vector<Jwk>{test_key().public_jwk()});

    CHECK(parse_jwks(R"({"keys":[{"kty":"EC","crv":"P-256"}]})")->empty());
    CHECK(parse_jwks("nope").error().code == Errc::invalid_json);
    CHECK(parse_jwks("[]").error().code == Errc::wrong_type);
    CHECK(parse_jwks("{}").error().code == Errc::missing_member);
    CHECK(parse_jwks(R"({"keys":{}})").error().code == Errc::wrong_type);
    CHECK(parse_jwks(R"({"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]})").error().code == Errc::missing_member);
    CHECK(parse_jwks(R"({"keys":[{"kty":"RSA","n":1,"e":"AQAB","kid":"k"}]})").error().code == Errc::wrong_type);
}

TEST_CASE("JwtVerifier refuses keys it cannot trust") {
    Jwk bad = test_key().public_jwk();
    bad.n = "not base64url!";
    CHECK(JwtVerifier::from_jwks({bad}).error().code == Errc::invalid_value);
    const RsaKeyPair small = RsaKeyPair::generate(1024);
    CHECK(JwtVerifier::from_jwks({small.public_jwk()}).error().code == Errc::invalid_value);
}
