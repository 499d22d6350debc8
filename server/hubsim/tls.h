// hubsim — a self-signed TLS certificate made at start (--tls), so clients can be tested both
// trusting it (given the PEM written to --tls-cert) and refusing it (not given it, or with
// --tls-hostname naming another host).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <openssl/types.h>

namespace zai::hubsim {

class TlsIdentity {
public:
    // P-256 key; certificate for `hostname` (an IP address becomes an IP SAN), valid 30 days.
    static TlsIdentity generate(const std::string& hostname);
    TlsIdentity(TlsIdentity&&) noexcept;
    ~TlsIdentity();

    std::string certificate_pem() const;
    // Writes certificate_pem() to `path`; an error sentence on failure.
    std::optional<std::string> write_certificate(const std::string& path) const;

    X509* certificate() const;  // owned here; cpp-httplib's SSLServer takes its own reference
    EVP_PKEY* key() const;

private:
    struct Impl;
    explicit TlsIdentity(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace zai::hubsim
