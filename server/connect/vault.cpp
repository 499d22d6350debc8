// zai-connect — encryption of secrets at rest (see vault.h).
#include "vault.h"

#include <stdexcept>

#include "crypto.h"

namespace zai::connect {
namespace {

std::string_view key_bytes(const Key& k) { return {reinterpret_cast<const char*>(k.data()), k.size()}; }

}  // namespace

Vault::Vault(std::vector<Key> keys) : keys_(std::move(keys)) {
    if (keys_.empty()) throw std::invalid_argument("a vault needs at least one key");
    for (const auto& k : keys_) ids_.push_back(key_id(k));
}

std::string Vault::key_id(const Key& key) { return sha256_hex(key_bytes(key)).substr(0, 16); }

std::string Vault::seal(std::string_view plaintext, std::string_view associated_data) const {
    return ids_.front() + "." + base64url_encode(aes256gcm_seal(key_bytes(keys_.front()), plaintext, associated_data));
}

std::optional<std::string> Vault::open(std::string_view sealed, std::string_view associated_data) const {
    const auto dot = sealed.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    const std::string_view id = sealed.substr(0, dot);
    for (std::size_t i = 0; i < ids_.size(); ++i) {
        if (ids_[i] != id) continue;
        const auto bytes = base64url_decode(sealed.substr(dot + 1));
        if (!bytes) return std::nullopt;
        return aes256gcm_open(key_bytes(keys_[i]), *bytes, associated_data);
    }
    return std::nullopt;
}

}  // namespace zai::connect
