// zai_native — cryptography on OpenSSL 3 (see crypto.h).
#include "crypto.h"

#include <array>
#include <climits>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace zai {
namespace {

constexpr std::string_view b64_standard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view b64_url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string openssl_reason() {
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return "no OpenSSL error recorded";
    std::array<char, 256> buf{};
    ERR_error_string_n(e, buf.data(), buf.size());
    return buf.data();
}

std::string encode64(std::string_view in, std::string_view alphabet, bool pad) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        out.push_back(alphabet[(v >> 18) & 63]);
        out.push_back(alphabet[(v >> 12) & 63]);
        out.push_back(alphabet[(v >> 6) & 63]);
        out.push_back(alphabet[v & 63]);
    }
    const std::size_t rest = in.size() - i;
    if (rest == 1) {
        const unsigned v = static_cast<unsigned char>(in[i]) << 16;
        out.push_back(alphabet[(v >> 18) & 63]);
        out.push_back(alphabet[(v >> 12) & 63]);
        if (pad) out += "==";
    } else if (rest == 2) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out.push_back(alphabet[(v >> 18) & 63]);
        out.push_back(alphabet[(v >> 12) & 63]);
        out.push_back(alphabet[(v >> 6) & 63]);
        if (pad) out.push_back('=');
    }
    return out;
}

// Decodes unpadded base64 text of `alphabet`; nullopt for anything that is not the one
// canonical encoding of some byte string.
std::optional<std::string> decode64(std::string_view in, std::string_view alphabet) {
    if (in.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(in.size() * 3 / 4);
    unsigned acc = 0;
    int bits = 0;
    for (char c : in) {
        const auto v = alphabet.find(c);
        if (v == std::string_view::npos) return std::nullopt;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;  // unused bits must be zero
    return out;
}

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

CipherCtx new_cipher_ctx() {
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx) throw CryptoError("EVP_CIPHER_CTX_new");
    return ctx;
}

int int_size(std::string_view s, const char* what) {
    if (s.size() > static_cast<std::size_t>(INT_MAX)) throw CryptoError(what);
    return static_cast<int>(s.size());
}

}  // namespace

CryptoError::CryptoError(std::string_view operation)
    : std::runtime_error(std::string(operation) + " failed: " + openssl_reason()) {}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (n > static_cast<std::size_t>(INT_MAX) ||
        RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
        throw CryptoError("RAND_bytes");
    }
    return out;
}

std::string random_token(std::size_t bytes) { return base64url_encode(random_bytes(bytes)); }

std::string random_hex(std::size_t bytes) { return hex_encode(random_bytes(bytes)); }

std::string random_uuid() {
    std::string b = random_bytes(16);
    b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3f) | 0x80);  // RFC 4122 variant
    const std::string h = hex_encode(b);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string base64url_encode(std::string_view bytes) { return encode64(bytes, b64_url, false); }

std::optional<std::string> base64url_decode(std::string_view text) { return decode64(text, b64_url); }

std::string base64_encode(std::string_view bytes) { return encode64(bytes, b64_standard, true); }

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t pad = 0;
    while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
    return decode64(text.substr(0, text.size() - pad), b64_standard);
}

std::string hex_encode(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 0xf]);
    }
    return out;
}

std::string sha256(std::string_view data) {
    std::string out(32, '\0');
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len, EVP_sha256(),
                   nullptr) != 1 ||
        len != out.size()) {
        throw CryptoError("SHA-256");
    }
    return out;
}

std::string sha256_hex(std::string_view data) { return hex_encode(sha256(data)); }

std::string hmac_sha256(std::string_view key, std::string_view data) {
    std::string out(32, '\0');
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.data(), int_size(key, "HMAC key size"), bytes_of(data), data.size(),
              reinterpret_cast<unsigned char*>(out.data()), &len) ||
        len != out.size()) {
        throw CryptoError("HMAC-SHA-256");
    }
    return out;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) { return hex_encode(hmac_sha256(key, data)); }

bool constant_time_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string pkce_challenge(std::string_view verifier) { return base64url_encode(sha256(verifier)); }

bool is_pkce_value(std::string_view s) {
    if (s.size() < 43 || s.size() > 128) return false;
    for (char c : s) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '.' || c == '_' || c == '~';
        if (!ok) return false;
    }
    return true;
}

std::string aes256gcm_seal(std::string_view key, std::string_view plaintext, std::string_view associated_data) {
    if (key.size() != aes_key_bytes) throw CryptoError("AES-256-GCM seal (key is not 32 bytes)");
    const std::string nonce = random_bytes(aes_nonce_bytes);
    auto ctx = new_cipher_ctx();
    std::string out = nonce;
    out.resize(aes_nonce_bytes + plaintext.size() + aes_tag_bytes);
    auto* cipher = reinterpret_cast<unsigned char*>(out.data()) + aes_nonce_bytes;
    int len = 0;
    int total = 0;
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes_of(key), bytes_of(nonce)) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes_of(associated_data), int_size(associated_data, "AAD size")) !=
            1 ||
        EVP_EncryptUpdate(ctx.get(), cipher, &len, bytes_of(plaintext), int_size(plaintext, "plaintext size")) != 1) {
        throw CryptoError("AES-256-GCM seal");
    }
    total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), cipher + total, &len) != 1) throw CryptoError("AES-256-GCM seal");
    total += len;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(aes_tag_bytes), cipher + total) != 1) {
        throw CryptoError("AES-256-GCM tag");
    }
    return out;
}

std::optional<std::string> aes256gcm_open(std::string_view key, std::string_view sealed,
                                          std::string_view associated_data) {
    if (key.size() != aes_key_bytes) throw CryptoError("AES-256-GCM open (key is not 32 bytes)");
    if (sealed.size() < aes_nonce_bytes + aes_tag_bytes) return std::nullopt;
    const std::string_view nonce = sealed.substr(0, aes_nonce_bytes);
    const std::string_view cipher = sealed.substr(aes_nonce_bytes, sealed.size() - aes_nonce_bytes - aes_tag_bytes);
    std::string tag(sealed.substr(sealed.size() - aes_tag_bytes));
    auto ctx = new_cipher_ctx();
    std::string plain(cipher.size(), '\0');
    auto* out = reinterpret_cast<unsigned char*>(plain.data());
    int len = 0;
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes_of(key), bytes_of(nonce)) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes_of(associated_data), int_size(associated_data, "AAD size")) !=
            1 ||
        EVP_DecryptUpdate(ctx.get(), out, &len, bytes_of(cipher), int_size(cipher, "ciphertext size")) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(aes_tag_bytes), tag.data()) != 1) {
        throw CryptoError("AES-256-GCM open");
    }
    int final_len = 0;
    // A failed final step is the authentication check failing: altered data, key or AAD.
    if (EVP_DecryptFinal_ex(ctx.get(), out + len, &final_len) != 1) {
        ERR_clear_error();
        return std::nullopt;
    }
    plain.resize(static_cast<std::size_t>(len + final_len));
    return plain;
}

}  // namespace zai
