// hubsim — self-signed certificate (see tls.h).
#include "tls.h"

#include <cstdio>
#include <fstream>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto.h"

namespace zai::hubsim {
namespace {

struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct ExtFree {
    void operator()(X509_EXTENSION* e) const { X509_EXTENSION_free(e); }
};

bool is_ip(const std::string& host) {
    return !host.empty() && host.find_first_not_of("0123456789.") == std::string::npos;
}

void add_extension(X509* cert, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) throw CryptoError("X509 extension");
}

}  // namespace

struct TlsIdentity::Impl {
    std::unique_ptr<X509, X509Free> cert;
    std::unique_ptr<EVP_PKEY, PkeyFree> key;
};

TlsIdentity::TlsIdentity(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsIdentity::TlsIdentity(TlsIdentity&&) noexcept = default;
TlsIdentity::~TlsIdentity() = default;

TlsIdentity TlsIdentity::generate(const std::string& hostname) {
    auto impl = std::make_unique<Impl>();
    impl->key.reset(EVP_EC_gen("P-256"));
    impl->cert.reset(X509_new());
    if (!impl->key || !impl->cert) throw CryptoError("TLS key");
    X509* cert = impl->cert.get();
    const std::string serial = random_bytes(16);
    BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()), static_cast<int>(serial.size()), nullptr);
    ASN1_INTEGER* sn = bn ? BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) : nullptr;
    BN_free(bn);
    if (!sn || X509_set_version(cert, 2) != 1 || !X509_gmtime_adj(X509_getm_notBefore(cert), -3600) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 86400) || X509_set_pubkey(cert, impl->key.get()) != 1) {
        throw CryptoError("X509 fields");
    }
    X509_NAME* name = X509_get_subject_name(cert);
    if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("hubsim"), -1, -1,
                                   0) != 1 ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(hostname.c_str()),
                                   -1, -1, 0) != 1 ||
        X509_set_issuer_name(cert, name) != 1) {
        throw CryptoError("X509 name");
    }
    add_extension(cert, NID_subject_alt_name, (is_ip(hostname) ? "IP:" : "DNS:") + hostname);
    add_extension(cert, NID_key_usage, "critical,digitalSignature,keyCertSign");
    add_extension(cert, NID_ext_key_usage, "serverAuth");
    add_extension(cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    if (X509_sign(cert, impl->key.get(), EVP_sha256()) <= 0) throw CryptoError("X509_sign");
    return TlsIdentity(std::move(impl));
}

std::string TlsIdentity::certificate_pem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    if (!bio || PEM_write_bio_X509(bio, impl_->cert.get()) != 1) {
        BIO_free(bio);
        throw CryptoError("PEM_write_bio_X509");
    }
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    return pem;
}

std::optional<std::string> TlsIdentity::write_certificate(const std::string& path) const {
    std::ofstream out(path, std::ios::trunc);
    out << certificate_pem();
    out.close();
    if (!out) return "cannot write the TLS certificate to " + path;
    return std::nullopt;
}

X509* TlsIdentity::certificate() const { return impl_->cert.get(); }
EVP_PKEY* TlsIdentity::key() const { return impl_->key.get(); }

}  // namespace zai::hubsim
