// zai_native — the cryptography both servers use, on OpenSSL 3.
//
//   random_bytes / random_token / random_hex / random_uuid   CSPRNG (RAND_bytes)
//   base64url_* / base64_* / hex_encode                      encodings (strict decoders)
//   sha256 / hmac_sha256 / constant_time_equal               hashes, MACs, safe comparison
//   pkce_challenge / is_pkce_value                            RFC 7636 S256 and its charset
//   aes256gcm_seal / aes256gcm_open                           AEAD for secrets at rest
//
// Byte strings are `std::string`/`std::string_view` holding raw octets. Failures of OpenSSL
// itself (no entropy, allocation) throw `CryptoError`; bad input is a value (`std::nullopt`).
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "zai/error.h"

namespace zai {

// OpenSSL failed (not bad input). `what()` names the operation and OpenSSL's reason.
class CryptoError : public std::runtime_error {
public:
    explicit CryptoError(std::string_view operation);
    Errc code() const noexcept { return Errc::internal; }
};

// --- randomness (RAND_bytes) --------------------------------------------------------------------

std::string random_bytes(std::size_t n);
// `bytes` random octets as base64url without padding: 32 bytes → 43 characters (256 bits).
std::string random_token(std::size_t bytes = 32);
// `bytes` random octets as lower-case hex (2 characters per byte).
std::string random_hex(std::size_t bytes);
// A version 4 UUID in the canonical lower-case form (zai::is_uuid accepts it).
std::string random_uuid();

// --- encodings ----------------------------------------------------------------------------------

// RFC 4648 §5 alphabet, no padding (JWT segments, tokens, PKCE).
std::string base64url_encode(std::string_view bytes);
// Refuses padding, characters outside the alphabet, impossible lengths and non-zero unused bits,
// so every accepted text has exactly one decoding.
std::optional<std::string> base64url_decode(std::string_view text);

// RFC 4648 §4 alphabet with '=' padding (HTTP Basic).
std::string base64_encode(std::string_view bytes);
// Requires correct padding; refuses whitespace, foreign characters and non-zero unused bits.
std::optional<std::string> base64_decode(std::string_view text);

std::string hex_encode(std::string_view bytes);  // lower case

// --- hashes and MACs ----------------------------------------------------------------------------

std::string sha256(std::string_view data);      // 32 raw bytes
std::string sha256_hex(std::string_view data);  // 64 lower-case hex characters
std::string hmac_sha256(std::string_view key, std::string_view data);      // 32 raw bytes
std::string hmac_sha256_hex(std::string_view key, std::string_view data);  // e.g. X-Loom-Signature

// Compares in time independent of where the inputs differ (CRYPTO_memcmp). Inputs of different
// length are unequal at once: lengths are not secret here (hashes, MACs, fixed-size tokens).
bool constant_time_equal(std::string_view a, std::string_view b);

// --- PKCE (RFC 7636) ----------------------------------------------------------------------------

// code_challenge for method S256: base64url(SHA-256(ASCII(verifier))), no padding.
std::string pkce_challenge(std::string_view verifier);
// A code_verifier (or a plain/S256 code_challenge): 43–128 characters of [A-Za-z0-9-._~].
bool is_pkce_value(std::string_view s);

// --- AES-256-GCM --------------------------------------------------------------------------------

inline constexpr std::size_t aes_key_bytes = 32;
inline constexpr std::size_t aes_nonce_bytes = 12;  // 96-bit random nonce per message
inline constexpr std::size_t aes_tag_bytes = 16;

// Encrypts and authenticates `plaintext` together with `associated_data` (authenticated, not
// encrypted: e.g. the row a token belongs to, so a sealed value cannot be moved to another row).
// Returns nonce ‖ ciphertext ‖ tag. The key must be `aes_key_bytes` long (else CryptoError);
// key ids and key rotation are the caller's business.
std::string aes256gcm_seal(std::string_view key, std::string_view plaintext, std::string_view associated_data);

// The plaintext, or nullopt when the value was altered, is too short, or `key` or
// `associated_data` differ from those used to seal it.
std::optional<std::string> aes256gcm_open(std::string_view key, std::string_view sealed,
                                          std::string_view associated_data);

}  // namespace zai
