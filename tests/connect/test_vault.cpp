// The vault: AES-256-GCM at rest with key ids, rotation and row binding (R25, R64).
#include <doctest/doctest.h>

#include "vault.h"

using namespace zai::connect;

namespace {

Key key_of(std::uint8_t fill) {
    Key k;
    k.fill(fill);
    return k;
}

}  // namespace

TEST_CASE("R25 sealed values open only with their key and their associated data") {
    const Vault vault({key_of(1)});
    const std::string token = "eyJhbGciOiJSUzI1NiJ9.secret-access-token";
    const auto sealed = vault.seal(token, "grant:org:1:access");
    CHECK(sealed.find(token) == std::string::npos);
    CHECK(sealed.starts_with(vault.current_key_id() + "."));
    CHECK(vault.open(sealed, "grant:org:1:access") == token);
    CHECK_FALSE(vault.open(sealed, "grant:org:2:access"));  // moved to another row
    CHECK_FALSE(Vault({key_of(2)}).open(sealed, "grant:org:1:access"));
    SUBCASE("two seals of one value differ (random nonce)") {
        CHECK(vault.seal(token, "a") != vault.seal(token, "a"));
    }
    SUBCASE("tampering is detected, never a crash") {
        std::string bad = sealed;
        bad.back() = bad.back() == 'A' ? 'B' : 'A';
        CHECK_FALSE(vault.open(bad, "grant:org:1:access"));
        CHECK_FALSE(vault.open("", "x"));
        CHECK_FALSE(vault.open("no-dot", "x"));
        CHECK_FALSE(vault.open(vault.current_key_id() + ".!!!", "x"));
        CHECK_FALSE(vault.open(vault.current_key_id() + ".", "x"));
    }
}

TEST_CASE("R64 key rotation: seal with the new key, open values sealed with the old one") {
    const Vault old_vault({key_of(1)});
    const auto old_sealed = old_vault.seal("refresh-token", "ad");
    const Vault rotated({key_of(2), key_of(1)});
    CHECK(rotated.open(old_sealed, "ad") == "refresh-token");
    const auto new_sealed = rotated.seal("refresh-token", "ad");
    CHECK(new_sealed.starts_with(Vault::key_id(key_of(2)) + "."));
    CHECK_FALSE(old_vault.open(new_sealed, "ad"));
    CHECK(Vault::key_id(key_of(1)) != Vault::key_id(key_of(2)));
    CHECK(Vault::key_id(key_of(1)).size() == 16);
}

TEST_CASE("a vault needs a key") { CHECK_THROWS_AS(Vault({}), std::invalid_argument); }
