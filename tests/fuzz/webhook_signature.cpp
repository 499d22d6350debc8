// Fuzz target: the Loom webhook signature check (zai::connect::verify_loom_signature,
// server/connect/webhooks.h), which decides whether an event body is parsed at all (R58).
//
// The input is split by FuzzedDataProvider into a secret, a signature header, a position, and
// (the rest) the body. The reference signature is computed here with OpenSSL's EVP_Q_mac, a
// different route than zai::hmac_sha256 (HMAC()), so the two check each other.
// Oracles:
//  - a header is accepted exactly when the secret is set and the header is the reference
//    lower-case hex HMAC-SHA256 of the body;
//  - with a secret, the reference signature is accepted, and it is refused with one character
//    changed, in upper case, cut short, extended, or for a different body.
#include <fuzzer/FuzzedDataProvider.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>

#include <openssl/evp.h>

#include "crypto.h"
#include "fuzz_check.h"
#include "webhooks.h"

namespace {

std::string reference_signature(const std::string& secret, const std::string& body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    const auto* ok = EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                               reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, sizeof mac, &len);
    ZAI_FUZZ_CHECK(ok != nullptr && len == 32);
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (std::size_t i = 0; i < len; ++i) {
        hex.push_back(digits[mac[i] >> 4]);
        hex.push_back(digits[mac[i] & 0xf]);
    }
    return hex;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using zai::connect::verify_loom_signature;
    FuzzedDataProvider in(data, size);
    const std::string secret = in.ConsumeRandomLengthString(64);
    const std::string header = in.ConsumeRandomLengthString(80);
    const std::size_t at = in.ConsumeIntegral<std::uint8_t>() % 64;
    const std::string body = in.ConsumeRemainingBytesAsString();

    const std::string expected = reference_signature(secret, body);
    ZAI_FUZZ_CHECK(zai::hmac_sha256_hex(secret, body) == expected);
    ZAI_FUZZ_CHECK(verify_loom_signature(secret, header, body) == (!secret.empty() && header == expected));
    if (secret.empty()) {
        ZAI_FUZZ_CHECK(!verify_loom_signature(secret, expected, body));
        return 0;
    }

    ZAI_FUZZ_CHECK(verify_loom_signature(secret, expected, body));
    std::string changed = expected;
    changed[at] = static_cast<char>(changed[at] ^ 1);
    ZAI_FUZZ_CHECK(!verify_loom_signature(secret, changed, body));
    std::string upper = expected;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    ZAI_FUZZ_CHECK(upper == expected || !verify_loom_signature(secret, upper, body));
    ZAI_FUZZ_CHECK(!verify_loom_signature(secret, expected.substr(0, at), body));
    ZAI_FUZZ_CHECK(!verify_loom_signature(secret, expected + expected[at], body));
    ZAI_FUZZ_CHECK(!verify_loom_signature(secret, expected, body + static_cast<char>(at)));
    return 0;
}
