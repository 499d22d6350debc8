// zai_native — RS256 JWTs and RSA JWKs on OpenSSL 3 (see jwt.h).
#include "jwt.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto.h"

namespace zai {
namespace {

using nlohmann::json;

constexpr std::size_t max_token_bytes = 16 * 1024;
constexpr int min_rsa_bits = 2048;

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct BnFree {
    void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
struct ParamBldFree {
    void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
    void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};

std::string bn_bytes(const BIGNUM* bn) {
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

std::string rsa_param_b64(EVP_PKEY* pkey, const char* name) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) throw CryptoError("EVP_PKEY_get_bn_param");
    const Bn bn(raw);
    return base64url_encode(bn_bytes(bn.get()));
}

Jwk jwk_of(EVP_PKEY* pkey) {
    Jwk j;
    j.n = rsa_param_b64(pkey, OSSL_PKEY_PARAM_RSA_N);
    j.e = rsa_param_b64(pkey, OSSL_PKEY_PARAM_RSA_E);
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(pkey, &der);
    if (len <= 0) throw CryptoError("i2d_PUBKEY");
    j.kid = sha256_hex(std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len)));
    OPENSSL_free(der);
    return j;
}

Error key_error(std::string detail) {
    ERR_clear_error();
    return Error{Errc::invalid_value, std::move(detail)};
}

// RSA public key from base64url n and e; nullptr with `why` set when unusable.
Pkey import_rsa_public(const Jwk& k, std::string& why) {
    const auto n = base64url_decode(k.n);
    const auto e = base64url_decode(k.e);
    if (!n || !e || n->empty() || e->empty()) {
        why = "key " + k.kid + ": n or e is not base64url";
        return nullptr;
    }
    const Bn bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()), nullptr));
    const Bn bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()), nullptr));
    if (!bn_n || !bn_e) throw CryptoError("BN_bin2bn");
    if (BN_num_bits(bn_n.get()) < min_rsa_bits) {
        why = "key " + k.kid + ": modulus shorter than 2048 bits";
        return nullptr;
    }
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
        throw CryptoError("OSSL_PARAM_BLD");
    }
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) throw CryptoError("EVP_PKEY_fromdata_init");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        ERR_clear_error();
        why = "key " + k.kid + ": OpenSSL refused n/e";
        return nullptr;
    }
    return Pkey(raw);
}

// Optional string member; false when present with another type.
bool read_string(const json& obj, const char* key, std::string& out) {
    const auto it = obj.find(key);
    if (it == obj.end()) return true;
    if (!it->is_string()) return false;
    out = it->get<std::string>();
    return true;
}

bool read_time(const json& obj, const char* key, std::optional<std::int64_t>& out) {
    const auto it = obj.find(key);
    if (it == obj.end()) return true;
    if (it->is_number_integer()) {
        out = it->get<std::int64_t>();
        return true;
    }
    if (it->is_number_float() && std::isfinite(it->get<double>()) && std::abs(it->get<double>()) < 1e15) {
        out = static_cast<std::int64_t>(std::floor(it->get<double>()));
        return true;
    }
    return false;
}

bool read_string_list(const json& obj, const char* key, std::vector<std::string>& out, bool single_allowed) {
    const auto it = obj.find(key);
    if (it == obj.end()) return true;
    if (single_allowed && it->is_string()) {
        out.push_back(it->get<std::string>());
        return true;
    }
    if (!it->is_array()) return false;
    for (const auto& v : *it) {
        if (!v.is_string()) return false;
        out.push_back(v.get<std::string>());
    }
    return true;
}

std::optional<json> decode_json_object(std::string_view segment) {
    const auto text = base64url_decode(segment);
    if (!text) return std::nullopt;
    json j = json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

struct Parsed {
    std::string_view signing_input;  // header.payload
    std::string signature;
    JwtClaims claims;
};

Expected<Parsed, JwtError> parse_token(std::string_view token) {
    const auto bad = Unexpected{JwtError::malformed};
    if (token.size() > max_token_bytes) return bad;
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) return bad;
    const auto header = decode_json_object(token.substr(0, dot1));
    const auto payload = decode_json_object(token.substr(dot1 + 1, dot2 - dot1 - 1));
    auto signature = base64url_decode(token.substr(dot2 + 1));
    if (!header || !payload || !signature || signature->empty()) return bad;

    const auto alg = header->find("alg");
    if (alg == header->end() || !alg->is_string() || alg->get<std::string>() != "RS256") return bad;
    Parsed p;
    p.signing_input = token.substr(0, dot2);
    p.signature = std::move(*signature);
    JwtClaims& c = p.claims;
    const bool ok = read_string(*header, "kid", c.kid) && read_string(*payload, "iss", c.iss) &&
                    read_string(*payload, "sub", c.sub) && read_string(*payload, "jti", c.jti) &&
                    read_string(*payload, "jku", c.jku) && read_string_list(*payload, "aud", c.aud, true) &&
                    read_string_list(*payload, "scope", c.scope, false) && read_time(*payload, "nbf", c.nbf) &&
                    read_time(*payload, "exp", c.exp) && read_time(*payload, "iat", c.iat);
    if (!ok) return bad;
    c.payload_json = payload->dump();
    return p;
}

}  // namespace

// --- JWK sets ---------------------------------------------------------------------------------

std::string jwks_json(const std::vector<Jwk>& keys) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& k : keys) list.push_back({{"kty", k.kty}, {"n", k.n}, {"e", k.e}, {"kid", k.kid}});
    return nlohmann::ordered_json{{"keys", list}}.dump();
}

Expected<std::vector<Jwk>, Error> parse_jwks(std::string_view json_text) {
    const json j = json::parse(json_text, nullptr, false);
    if (j.is_discarded()) return Unexpected{Error{Errc::invalid_json, "JWK set is not JSON"}};
    if (!j.is_object()) return Unexpected{Error{Errc::wrong_type, "JWK set is not an object"}};
    const auto keys = j.find("keys");
    if (keys == j.end()) return Unexpected{Error{Errc::missing_member, "keys"}};
    if (!keys->is_array()) return Unexpected{Error{Errc::wrong_type, "keys is not an array"}};
    std::vector<Jwk> out;
    for (std::size_t i = 0; i < keys->size(); ++i) {
        const json& k = (*keys)[i];
        const std::string at = "keys[" + std::to_string(i) + "]";
        if (!k.is_object()) return Unexpected{Error{Errc::wrong_type, at + " is not an object"}};
        const auto kty = k.find("kty");
        if (kty == k.end() || !kty->is_string()) return Unexpected{Error{Errc::missing_member, at + ".kty"}};
        if (kty->get<std::string>() != "RSA") continue;
        Jwk jwk;
        for (auto [name, field] : {std::pair{"n", &jwk.n}, std::pair{"e", &jwk.e}, std::pair{"kid", &jwk.kid}}) {
            const auto it = k.find(name);
            if (it == k.end()) return Unexpected{Error{Errc::missing_member, at + "." + name}};
            if (!it->is_string()) return Unexpected{Error{Errc::wrong_type, at + "." + name + " is not a string"}};
            *field = it->get<std::string>();
        }
        out.push_back(std::move(jwk));
    }
    return out;
}

// --- RsaKeyPair ---------------------------------------------------------------------------------

struct RsaKeyPair::Impl {
    Pkey pkey;
};

RsaKeyPair::RsaKeyPair(std::unique_ptr<Impl> impl) : impl_(std::move(impl)), jwk_(jwk_of(impl_->pkey.get())) {}
RsaKeyPair::RsaKeyPair(RsaKeyPair&&) noexcept = default;
RsaKeyPair& RsaKeyPair::operator=(RsaKeyPair&&) noexcept = default;
RsaKeyPair::~RsaKeyPair() = default;

RsaKeyPair RsaKeyPair::generate(int bits) {
    Pkey pkey(EVP_RSA_gen(static_cast<unsigned int>(bits)));
    if (!pkey) throw CryptoError("EVP_RSA_gen");
    return RsaKeyPair(std::make_unique<Impl>(Impl{std::move(pkey)}));
}

Expected<RsaKeyPair, Error> RsaKeyPair::from_private_pem(std::string_view pem) {
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) throw CryptoError("BIO_new_mem_buf");
    // A password callback that declines, so an encrypted key fails instead of prompting.
    auto no_password = [](char*, int, int, void*) { return 0; };
    Pkey pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr));
    if (!pkey) return Unexpected{key_error("not an unencrypted PEM private key")};
    if (EVP_PKEY_is_a(pkey.get(), "RSA") != 1) return Unexpected{key_error("private key is not RSA")};
    if (EVP_PKEY_get_bits(pkey.get()) < min_rsa_bits) return Unexpected{key_error("RSA key shorter than 2048 bits")};
    return RsaKeyPair(std::make_unique<Impl>(Impl{std::move(pkey)}));
}

std::string RsaKeyPair::private_pem() const {
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), impl_->pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        throw CryptoError("PEM_write_bio_PrivateKey");
    }
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

std::string RsaKeyPair::sign_rs256(std::string_view data) const {
    MdCtx ctx(EVP_MD_CTX_new());
    std::size_t len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, impl_->pkey.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) !=
            1) {
        throw CryptoError("RS256 sign");
    }
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
        throw CryptoError("RS256 sign");
    }
    sig.resize(len);
    return sig;
}

std::string sign_jwt(const RsaKeyPair& key, std::string_view claims_json) {
    // Written by hand: the Hub's header order is kid, alg (a JSON library would sort it).
    const std::string header = R"({"kid":")" + key.kid() + R"(","alg":"RS256"})";
    std::string input = base64url_encode(header) + "." + base64url_encode(claims_json);
    const std::string sig = key.sign_rs256(input);
    return input + "." + base64url_encode(sig);
}

// --- verification -------------------------------------------------------------------------------

std::string_view jwt_error_id(JwtError e) {
    switch (e) {
        case JwtError::malformed: return "malformed";
        case JwtError::unknown_kid: return "unknown_kid";
        case JwtError::bad_signature: return "bad_signature";
        case JwtError::expired: return "expired";
        case JwtError::not_yet_valid: return "not_yet_valid";
    }
    return "malformed";
}

struct JwtVerifier::Impl {
    std::vector<std::pair<std::string, Pkey>> keys;  // kid → public key
};

JwtVerifier::JwtVerifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JwtVerifier::JwtVerifier(JwtVerifier&&) noexcept = default;
JwtVerifier& JwtVerifier::operator=(JwtVerifier&&) noexcept = default;
JwtVerifier::~JwtVerifier() = default;

Expected<JwtVerifier, Error> JwtVerifier::from_jwks(const std::vector<Jwk>& keys) {
    auto impl = std::make_unique<Impl>();
    for (const auto& k : keys) {
        if (k.kty != "RSA") continue;
        std::string why;
        Pkey pkey = import_rsa_public(k, why);
        if (!pkey) return Unexpected{Error{Errc::invalid_value, why}};
        impl->keys.emplace_back(k.kid, std::move(pkey));
    }
    return JwtVerifier(std::move(impl));
}

bool JwtVerifier::has_kid(std::string_view kid) const {
    return std::any_of(impl_->keys.begin(), impl_->keys.end(), [&](const auto& k) { return k.first == kid; });
}

Expected<JwtClaims, JwtError> JwtVerifier::verify(std::string_view token, const JwtVerifyOptions& options) const {
    auto parsed = parse_token(token);
    if (!parsed) return Unexpected{parsed.error()};
    JwtClaims& c = parsed->claims;

    const EVP_PKEY* key = nullptr;
    if (c.kid.empty() && impl_->keys.size() == 1) key = impl_->keys.front().second.get();
    for (const auto& [kid, pkey] : impl_->keys) {
        if (!c.kid.empty() && kid == c.kid) key = pkey.get();
    }
    if (!key) return Unexpected{JwtError::unknown_kid};

    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, const_cast<EVP_PKEY*>(key)) != 1) {
        throw CryptoError("RS256 verify init");
    }
    const auto& input = parsed->signing_input;
    const int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(parsed->signature.data()),
                                    parsed->signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                                    input.size());
    if (ok != 1) {
        ERR_clear_error();
        return Unexpected{JwtError::bad_signature};
    }

    if (!c.exp && options.require_exp) return Unexpected{JwtError::malformed};
    if (c.exp && options.now >= *c.exp + options.skew_seconds) return Unexpected{JwtError::expired};
    if (c.nbf && options.now + options.skew_seconds < *c.nbf) return Unexpected{JwtError::not_yet_valid};
    return std::move(c);
}

Expected<JwtClaims, JwtError> read_jwt_claims(std::string_view token) {
    auto parsed = parse_token(token);
    if (!parsed) return Unexpected{parsed.error()};
    return std::move(parsed->claims);
}

}  // namespace zai
