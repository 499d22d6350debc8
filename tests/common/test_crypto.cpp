// zai_native crypto: RFC test vectors, strict decoders, AES-256-GCM tamper detection.
#include <doctest/doctest.h>

#include <set>

#include "crypto.h"
#include "zai/uuid.h"

using namespace zai;

TEST_CASE("R3 PKCE S256 reproduces RFC 7636 appendix B") {
    CHECK(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("PKCE values: 43 to 128 unreserved characters") {
    CHECK(is_pkce_value(std::string(43, 'a')));
    CHECK(is_pkce_value(std::string(128, '~')));
    CHECK(is_pkce_value("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    CHECK_FALSE(is_pkce_value(std::string(42, 'a')));
    CHECK_FALSE(is_pkce_value(std::string(129, 'a')));
    CHECK_FALSE(is_pkce_value(std::string(42, 'a') + "+"));
    CHECK_FALSE(is_pkce_value(std::string(42, 'a') + "="));
    CHECK_FALSE(is_pkce_value(std::string(42, 'a') + " "));
}

TEST_CASE("SHA-256 and HMAC-SHA-256 vectors") {
    SUBCASE("FIPS 180-2 abc") {
        CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        CHECK(sha256("abc").size() == 32);
    }
    SUBCASE("RFC 4231 test case 2") {
        CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
    SUBCASE("RFC 4231 test case 1 (binary key)") {
        CHECK(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There") ==
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    }
}

TEST_CASE("base64url: RFC 4648 vectors, round trips, strict decoding") {
    const std::pair<std::string, std::string> vectors[] = {
        {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        CHECK(base64url_encode(plain) == encoded);
        CHECK(base64url_decode(encoded) == plain);
    }
    SUBCASE("the URL alphabet") {
        CHECK(base64url_encode("\xfb\xff") == "-_8");
        CHECK(base64url_decode("-_8") == std::string("\xfb\xff"));
    }
    SUBCASE("every length round-trips") {
        for (std::size_t n = 0; n < 70; ++n) {
            const std::string bytes = random_bytes(n);
            CHECK(base64url_decode(base64url_encode(bytes)) == bytes);
        }
    }
    SUBCASE("invalid input") {
        CHECK_FALSE(base64url_decode("Zg=="));   // padding
        CHECK_FALSE(base64url_decode("Zg="));
        CHECK_FALSE(base64url_decode("Z"));      // impossible length
        CHECK_FALSE(base64url_decode("Zh"));     // non-zero unused bits: not canonical
        CHECK_FALSE(base64url_decode("Zm9v+w")); // standard alphabet
        CHECK_FALSE(base64url_decode("Zm9v/w"));
        CHECK_FALSE(base64url_decode("Zm 9v"));
        CHECK_FALSE(base64url_decode("Zm9v\n"));
    }
}

TEST_CASE("base64 (standard, padded) for HTTP Basic") {
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(base64_encode("\xfb\xff") == "+/8=");
    CHECK(base64_decode("Zm9vYg==") == std::string("foob"));
    CHECK(base64_decode("+/8=") == std::string("\xfb\xff"));
    CHECK(base64_decode("") == std::string());
    CHECK_FALSE(base64_decode("Zm9vYg"));     // padding required
    CHECK_FALSE(base64_decode("Zm9vYg="));
    CHECK_FALSE(base64_decode("Zg==Zg=="));   // padding in the middle
    CHECK_FALSE(base64_decode("Zm9v YmFy"));
    CHECK_FALSE(base64_decode("-_8="));       // URL alphabet
    CHECK_FALSE(base64_decode("Zh=="));       // non-zero unused bits
    CHECK_FALSE(base64_decode("===="));
    for (std::size_t n = 0; n < 40; ++n) {
        const std::string bytes = random_bytes(n);
        CHECK(base64_decode(base64_encode(bytes)) == bytes);
    }
}

TEST_CASE("R2 random tokens: 256 bits, base64url, no repeats") {
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) {
        const std::string t = random_token(32);
        REQUIRE(t.size() == 43);
        REQUIRE(base64url_decode(t).has_value());
        seen.insert(t);
    }
    CHECK(seen.size() == 10000);
    CHECK(random_hex(8).size() == 16);
    CHECK(random_bytes(0).empty());
}

TEST_CASE("random_uuid is a canonical version 4 UUID") {
    for (int i = 0; i < 100; ++i) {
        const std::string u = random_uuid();
        REQUIRE(is_uuid(u));
        CHECK(u[14] == '4');
        CHECK(std::string("89ab").find(u[19]) != std::string::npos);
    }
    CHECK(random_uuid() != random_uuid());
}

TEST_CASE("R14 constant_time_equal") {
    CHECK(constant_time_equal("", ""));
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "ab"));
    CHECK_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST_CASE("R25 AES-256-GCM seals and detects every alteration") {
    const std::string key = random_bytes(aes_key_bytes);
    const std::string aad = "token:org:b1475f65-236c-58b8-96e1-e1778b43beb7";
    const std::string secret = "a refresh token value";
    const std::string sealed = aes256gcm_seal(key, secret, aad);

    SUBCASE("round trip, layout nonce ‖ ciphertext ‖ tag") {
        CHECK(sealed.size() == aes_nonce_bytes + secret.size() + aes_tag_bytes);
        CHECK(sealed.find(secret) == std::string::npos);
        CHECK(aes256gcm_open(key, sealed, aad) == secret);
    }
    SUBCASE("a fresh nonce each time") {
        const std::string again = aes256gcm_seal(key, secret, aad);
        CHECK(again != sealed);
        CHECK(again.substr(0, aes_nonce_bytes) != sealed.substr(0, aes_nonce_bytes));
        CHECK(aes256gcm_open(key, again, aad) == secret);
    }
    SUBCASE("any flipped bit fails") {
        for (std::size_t i = 0; i < sealed.size(); ++i) {
            std::string bad = sealed;
            bad[i] = static_cast<char>(bad[i] ^ 0x01);
            CHECK_FALSE(aes256gcm_open(key, bad, aad));
        }
    }
    SUBCASE("wrong associated data, wrong key, truncation") {
        CHECK_FALSE(aes256gcm_open(key, sealed, aad + "x"));
        CHECK_FALSE(aes256gcm_open(key, sealed, ""));
        CHECK_FALSE(aes256gcm_open(random_bytes(aes_key_bytes), sealed, aad));
        CHECK_FALSE(aes256gcm_open(key, sealed.substr(0, sealed.size() - 1), aad));
        CHECK_FALSE(aes256gcm_open(key, sealed.substr(0, aes_nonce_bytes + aes_tag_bytes - 1), aad));
    }
    SUBCASE("empty plaintext and empty associated data") {
        const std::string s = aes256gcm_seal(key, "", "");
        CHECK(s.size() == aes_nonce_bytes + aes_tag_bytes);
        CHECK(aes256gcm_open(key, s, "") == std::string());
    }
    SUBCASE("a key of the wrong size is a programming error") {
        CHECK_THROWS_AS(aes256gcm_seal("short", secret, aad), CryptoError);
        CHECK_THROWS_AS(aes256gcm_open(std::string(31, 'k'), sealed, aad), CryptoError);
    }
}
