// zai-connect — encryption of secrets at rest (security.md R25, R64).
//
// Tokens and PKCE verifiers are sealed with AES-256-GCM (random 96-bit nonce) before they reach
// the database. The key lives outside the database (a file or the environment). Each sealed
// value names the id of the key that sealed it, so keys can rotate: seal with the current key,
// open with whichever key the value names.
//
// Associated data binds a sealed value to where it is stored (e.g. "grant:org:<uuid>:access"),
// so a value copied into another row does not open.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace zai::connect {

using Key = std::array<std::uint8_t, 32>;

class Vault {
public:
    // keys[0] seals; all open. At least one key (std::invalid_argument otherwise).
    explicit Vault(std::vector<Key> keys);

    // "<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>"
    std::string seal(std::string_view plaintext, std::string_view associated_data) const;
    // nullopt when the key is unknown, the value was tampered with, or the associated data differs.
    std::optional<std::string> open(std::string_view sealed, std::string_view associated_data) const;

    // First 16 hex digits of SHA-256(key): names a key without revealing it.
    static std::string key_id(const Key& key);
    const std::string& current_key_id() const { return ids_.front(); }

private:
    std::vector<Key> keys_;
    std::vector<std::string> ids_;
};

}  // namespace zai::connect
