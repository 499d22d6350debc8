// zai-connect — configuration: every tunable, its default, and where it comes from.
//
// Sources, later wins: built-in defaults < `.env` file < environment < command-line flags.
// Each setting has one environment name (below) and one flag (`--lower-case-with-dashes` of the
// same name without a prefix, e.g. HUB_URL ↔ --hub-url; `--hub-url X` or `--hub-url=X`).
// `--help` lists them all. Defaults point at a local hubsim, so `scripts/serve` needs little
// configuration (the client secret and an encryption key).
//
// `.env` (ENV_FILE or --env-file names it; else ./.env when present): `KEY=value` lines, blank
// lines and `#` comment lines, an optional `export ` prefix, values optionally in matching single
// or double quotes taken literally (no escapes, no inline comments). A line that is not of this
// form, a key that is not a setting, or a key given twice is an error naming the file and line.
// In the environment, names that are not settings are ignored (it holds PATH, HOME, ...).
//
// HUB_ENVIRONMENT=production|sandbox|staging is another way to write HUB_URL (§1.1 of
// zaikio-hub.md): the two are one setting, so the later source wins as for any other; both in
// the same source is an error, since neither reading is obviously meant.
// Every value given is checked, even one a later source overrides.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zai/error.h"
#include "zai/expected.h"
#include "zai/scope.h"
#include "vault.h"

namespace zai::connect {

struct Config {
    // The Hub ---------------------------------------------------------------------------------
    std::string hub_url = "http://127.0.0.1:8081";  // HUB_URL; or HUB_ENVIRONMENT=production|sandbox|staging
    std::string hub_ca_file;                        // HUB_CA_FILE: extra CA bundle (e.g. hubsim's self-signed cert)
    std::string client_id = "zai_connect";          // HUB_OAUTH_CLIENT_ID
    std::string client_secret;                      // HUB_OAUTH_CLIENT_SECRET (required)
    std::string redirect_url;                       // HUB_OAUTH_REDIRECT_URL; default <public_url>/oauth/zaikio/callback
    // HUB_PERSON_SCOPES, HUB_ORGANIZATION_SCOPES: the install guide's names (the Hub reads directory.* as zaikio.*)
    std::vector<Scope> person_scopes = {resource_scope("directory", "person", Permission::r)};
    std::vector<Scope> organization_scopes = {resource_scope("directory", "organization", Permission::r)};
    bool verify_access_tokens = true;               // VERIFY_ACCESS_TOKENS: check JWTs against the Hub's keys

    // This app --------------------------------------------------------------------------------
    std::string public_url = "http://127.0.0.1:8080";  // PUBLIC_URL: where browsers reach us
    std::string listen_host = "127.0.0.1";             // LISTEN (host:port)
    int listen_port = 8080;
    std::string static_dir;                            // STATIC_DIR: the built dashboard (build/web/dist)
    std::string data_dir = "data";                     // DATA_DIR: holds zai-connect.sqlite3
    std::string encryption_key_file;                   // ENCRYPTION_KEY_FILE (or ENCRYPTION_KEY, 64 hex chars)
    std::string encryption_key_hex;                    //   the key itself, when given inline
    std::vector<std::string> old_encryption_key_files; // OLD_ENCRYPTION_KEY_FILES: comma list, decrypt only
    std::string webhook_secret;                        // WEBHOOK_SECRET: Loom shared secret; empty = webhooks off
    std::vector<std::string> trusted_proxies;          // TRUSTED_PROXIES: comma list of addresses
    std::string tls_cert_file;                         // TLS_CERT_FILE + TLS_KEY_FILE: serve HTTPS directly
    std::string tls_key_file;

    // Sessions and flows ----------------------------------------------------------------------
    std::int64_t session_idle_seconds = 2 * 3600;       // SESSION_IDLE_SECONDS
    std::int64_t session_absolute_seconds = 24 * 3600;  // SESSION_ABSOLUTE_SECONDS (≤ 7 days, R36)
    std::int64_t transaction_seconds = 600;             // TRANSACTION_SECONDS (R15)
    int max_pending_transactions = 5;                   // MAX_PENDING_TRANSACTIONS per browser (R8)
    std::int64_t memberships_max_age_seconds = 120;     // MEMBERSHIPS_MAX_AGE_SECONDS: re-read /person after

    // Tokens ----------------------------------------------------------------------------------
    std::int64_t refresh_margin_seconds = 60;  // REFRESH_MARGIN_SECONDS, capped at half a token's life (R29)
    std::int64_t refresh_lock_lease_ms = 15000;  // REFRESH_LOCK_LEASE_MS: a crashed holder's lock expires
    std::int64_t refresh_wait_ms = 20000;        // REFRESH_WAIT_MS: how long a request waits for another's refresh

    // HTTP server and client ------------------------------------------------------------------
    // cpp-httplib gives each connection a worker until it has been idle KEEP_ALIVE_SECONDS, so the
    // pool bounds concurrent connections, not requests: a 200-request storm on 64 workers took 9.2 s
    // with a 5 s keep-alive. 256 workers made it 0.2 s but each busy worker keeps a SQLite
    // connection, and RSS with 10,000 sessions went from 34 to 88 MB (budget 64): a short
    // keep-alive frees workers instead (scripts/bench).
    int threads = 64;                          // THREADS: worker pool (one per keep-alive connection)
    int keep_alive_seconds = 2;                // KEEP_ALIVE_SECONDS
    std::size_t max_body_bytes = 64 * 1024;    // MAX_BODY_BYTES
    int session_hub_requests_per_minute = 300; // SESSION_HUB_REQUESTS_PER_MINUTE: R55; 0 = no limit
    int hub_connect_timeout_ms = 2000;         // HUB_CONNECT_TIMEOUT_MS
    int hub_read_timeout_ms = 5000;            // HUB_READ_TIMEOUT_MS
    int hub_connections = 8;                   // HUB_CONNECTIONS: keep-alive connections to the Hub
};

// Reads defaults, the `.env` file (ENV_FILE, default ./.env if present), the environment
// (`environ_vars`, NAME=value strings) and `args` (argv without the program name; `--help` is
// the caller's business). Unknown flags and unparsable values are errors.
Expected<Config, Error> load_config(const std::vector<std::string>& args, const std::vector<std::string>& environ_vars);
std::string help_text();

// Refuses inconsistent settings with one clear sentence (missing secret, http redirect URL to a
// non-loopback host, redirect URL not under the public URL, malformed scopes, short key, ...).
// Reads the key files, the TLS files and the CA file to check that they are usable.
std::optional<Error> validate(const Config& c);

// The effective configuration, one `NAME=value` per line, secrets masked as `****` (empty when
// unset; never their length).
std::string describe(const Config& c);

// The vault for secrets at rest (R25, R64): the key of ENCRYPTION_KEY_FILE or ENCRYPTION_KEY
// seals; the keys of OLD_ENCRYPTION_KEY_FILES only open values sealed before a rotation. A key
// file holds 32 raw bytes, or 64 hex digits with an optional line end; ENCRYPTION_KEY is 64 hex
// digits. Errors name the setting and file, never key material or its length.
Expected<Vault, Error> load_vault(const Config& c);

}  // namespace zai::connect
