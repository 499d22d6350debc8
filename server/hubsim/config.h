// hubsim — every tunable, with its default beside it. main.cpp maps each to one flag (`--help`).
//
// `Switches` holds what ../shared/docs/zaikio-hub.md marks UNCONFIRMED: where the real Hub's
// behaviour is unknown, hubsim does the documented or RFC behaviour by default and lets tests
// flip it, so zai-connect can be shown to cope with either.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace zai::hubsim {

// Lifetimes in seconds; the control API changes them at run time (POST /__hubsim/lifetimes).
struct Lifetimes {
    std::int64_t access_token = 3600;        // --access-token-lifetime. UNCONFIRMED: docs 60 min, fixtures 600 s (§4.1)
    std::int64_t refresh_token = 7 * 86400;  // --refresh-token-lifetime: 7 days, single use (§4.1)
    std::int64_t code = 600;                 // --code-lifetime: authorization codes (RFC 6749 §4.1.2: ≤ 10 min)
    std::int64_t device_code = 600;          // --device-code-lifetime: device authorizations (RFC 8628)
};

// The documents' open questions, one switch each (zaikio-hub.md section in brackets).
struct Switches {
    bool state_on_error = true;                      // --state-on-error: echo `state` on error redirects (§1.4)
    bool directory_alias = true;                     // --directory-alias: directory.* means zaikio.* (§2.4)
    bool space_separated_scopes = false;             // --space-separated-scopes: also split scope on ' ' (§2.1)
    bool require_response_type = false;             // --require-response-type: authorize needs response_type=code (§1.3)
    bool public_refresh_requires_client_id = false;  // --public-refresh-requires-client-id (§1.5)
    bool client_credentials_refresh_token = true;    // --cc-refresh-token: client credentials also get one (§4.3)
    bool device_url_aliases = false;                 // --device-url-aliases: add verification_url[_complete] (§4.7)
    int invalid_client_status = 401;                 // --invalid-client-status: wrong client secret (§1.7)
    int cc_scope_error_status = 402;                 // --cc-scope-error-status: {"errors":{"scopes":[..]}} (§1.7)
    int device_error_status = 400;                   // --device-error-status: authorization_pending etc. (§1.7)
    int unpermitted_scope_status = 403;              // --unpermitted-scope-status: JA says 403, the schema 401 (§5.3)
    std::string revoked_connection_event = "zaikio.revoked_connection";  // --revoked-connection-event (§6.3)
};

// Loom delivery (§6.1: answer within 1 s, retried "for several hours" — schedule UNCONFIRMED).
struct WebhookPolicy {
    int timeout_ms = 1000;                // --webhook-timeout-ms: connect + read timeout per attempt
    int first_retry_ms = 5000;            // --webhook-retry-ms: delay before the 2nd attempt, doubling after
    int max_retry_ms = 3600 * 1000;       // --webhook-retry-max-ms: cap of that delay
    int max_attempts = 12;                // --webhook-max-attempts: then the delivery is given up
};

// The built-in demo app `zai_connect` (the backend). Ignored by --seed files except for
// confidential apps without a secret of their own, which take `secret`.
struct AppOptions {
    std::string secret;  // --app-secret or env HUBSIM_APP_SECRET; required
    std::vector<std::string> redirect_urls;  // --app-redirect-url (repeatable); default below
    std::string desired_scopes = "zaikio.person.r,Org.zaikio.organization.r";  // --app-desired-scopes
    std::string webhook_url;     // --app-webhook-url: where Loom events go; empty = none
    std::string webhook_secret;  // --app-webhook-secret or env HUBSIM_APP_WEBHOOK_SECRET
};
inline constexpr const char* default_redirect_url = "http://127.0.0.1:8080/oauth/zaikio/callback";

struct Config {
    // Where to listen ------------------------------------------------------------------------
    std::string host = "127.0.0.1";  // --host
    int port = 8081;                 // --port; 0 picks a free port (printed on stdout)
    std::string public_url;          // --public-url: base of jku and device URLs; default scheme://host:port
    bool tls = false;                // --tls: HTTPS with a self-signed certificate made at start
    std::string tls_cert_path;       // --tls-cert FILE: where that certificate is written (PEM); required with --tls
    std::string tls_hostname = "127.0.0.1";  // --tls-hostname: the name in the certificate (another name = wrong host)

    // HTTP server (cpp-httplib 0.11.4: one worker per keep-alive connection) -------------------
    int threads = 16;                          // --threads
    std::size_t max_body_bytes = 64 * 1024;    // --max-body-bytes
    int read_timeout_seconds = 5;              // --read-timeout
    int write_timeout_seconds = 5;             // --write-timeout
    int keep_alive_seconds = 5;                // --keep-alive-timeout
    int keep_alive_max_requests = 1000;        // --keep-alive-max-requests
    bool log_requests = true;                  // --log-requests: one line per request on stderr
    std::size_t request_log_capacity = 10000;  // --request-log-capacity: entries kept for /__hubsim/requests

    // Data -----------------------------------------------------------------------------------
    std::string seed_path;   // --seed FILE: replaces the built-in demo data (format: seed.h)
    std::string state_path;  // --state FILE: connections, refresh tokens, revocations, keys survive restarts
    AppOptions app;

    // Protocol -------------------------------------------------------------------------------
    Lifetimes lifetimes;
    std::int64_t device_interval_seconds = 5;       // --device-interval: polling interval; 0 = never slow_down
    std::int64_t pending_authorization_seconds = 900;  // --authorize-page-lifetime: an unfinished sign-in
    bool control = false;                           // --control: enable /__hubsim/ (tests and demos only)
    WebhookPolicy webhooks;
    Switches switches;
};

}  // namespace zai::hubsim
