// Configuration: sources and their order, the .env syntax, flags, every validation rule, the
// vault's key files, masking of secrets (R62) and --help.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <sstream>

#include "config.h"
#include "temp_dir.h"

using namespace zai;
using namespace zai::connect;
using zai::connect::testing::TempDir;

namespace {

const std::string key_hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

Key key_0_to_31() {
    Key k;
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i);
    return k;
}

// Runs the test body with `dir` as the working folder (where ./.env is looked for).
class InDir {
public:
    explicit InDir(const std::filesystem::path& dir) : previous_(std::filesystem::current_path()) {
        std::filesystem::current_path(dir);
    }
    ~InDir() { std::filesystem::current_path(previous_); }
    InDir(const InDir&) = delete;
    InDir& operator=(const InDir&) = delete;

private:
    std::filesystem::path previous_;
};

Config load_ok(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    auto c = load_config(args, env);
    INFO((c ? std::string() : c.error().detail));
    REQUIRE(c.has_value());
    return *c;
}

std::string load_error(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    auto c = load_config(args, env);
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().code == Errc::invalid_value);
    return c.error().detail;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A configuration that passes validate(): the defaults plus what has no default.
Config valid_config() {
    Config c;
    c.client_secret = "client-secret-value";
    c.encryption_key_hex = key_hex;
    c.redirect_url = c.public_url + "/oauth/zaikio/callback";
    return c;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// Every environment name --help documents (lines "  NAME, --flag <value>").
std::vector<std::string> documented_names() {
    std::vector<std::string> names;
    for (const auto& line : lines_of(help_text())) {
        if (line.starts_with("  ") && !line.starts_with("   ")) names.push_back(line.substr(2, line.find(',') - 2));
    }
    return names;
}

}  // namespace

TEST_CASE("defaults point at a local hubsim and need only a secret and a key") {
    TempDir dir;
    InDir in(dir.path);
    const Config c = load_ok({}, {});
    CHECK(c.hub_url == "http://127.0.0.1:8081");
    CHECK(c.public_url == "http://127.0.0.1:8080");
    CHECK(c.redirect_url == "http://127.0.0.1:8080/oauth/zaikio/callback");
    CHECK(format_scope_list(c.person_scopes) == "directory.person.r");
    CHECK(format_scope_list(c.organization_scopes) == "directory.organization.r");
    CHECK(c.listen_host == "127.0.0.1");
    CHECK(c.listen_port == 8080);
    CHECK(c.verify_access_tokens);
    const auto problem = validate(c);
    REQUIRE(problem);
    CHECK(contains(problem->detail, "HUB_OAUTH_CLIENT_SECRET"));

    const Config ok = load_ok({"--hub-oauth-client-secret", "s3cret", "--encryption-key", key_hex}, {});
    CHECK_FALSE(validate(ok));
}

TEST_CASE("sources: .env < environment < flags") {
    TempDir dir;
    InDir in(dir.path);
    dir.write(".env",
              "THREADS=10\n"
              "KEEP_ALIVE_SECONDS=11\n"
              "HUB_CONNECTIONS=12\n"
              "HUB_OAUTH_CLIENT_ID=from-dotenv\n");
    const std::vector<std::string> env = {"KEEP_ALIVE_SECONDS=21", "HUB_CONNECTIONS=22", "PATH=/usr/bin", "NOT_A_SETTING=1",
                                          "MALFORMED"};
    SUBCASE("each later source wins") {
        const Config c = load_ok({"--hub-connections", "32"}, env);
        CHECK(c.threads == 10);
        CHECK(c.keep_alive_seconds == 21);
        CHECK(c.hub_connections == 32);
        CHECK(c.client_id == "from-dotenv");
    }
    SUBCASE("--name=value is the same as --name value") {
        CHECK(load_ok({"--hub-connections=33"}, env).hub_connections == 33);
        CHECK(load_ok({"--hub-oauth-client-id="}, env).client_id.empty());
    }
    SUBCASE("ENV_FILE names another file; --env-file beats ENV_FILE") {
        const auto other = dir.write("other.env", "THREADS=40\n");
        const auto third = dir.write("third.env", "THREADS=50\n");
        CHECK(load_ok({}, {"ENV_FILE=" + other}).threads == 40);
        CHECK(load_ok({"--env-file", third}, {"ENV_FILE=" + other}).threads == 50);
        CHECK(contains(load_error({}, {"ENV_FILE=" + dir.file("missing.env")}), "missing.env"));
    }
    SUBCASE("without ./.env the defaults stand") {
        std::filesystem::remove(dir.file(".env"));
        CHECK(load_ok({}, {}).threads == Config{}.threads);
    }
    SUBCASE("a bad value is an error even when a later source overrides it") {
        dir.write(".env", "THREADS=many\n");
        const auto e = load_error({"--threads", "8"}, {});
        CHECK(contains(e, "THREADS"));
        CHECK(contains(e, ".env line 1"));
    }
}

TEST_CASE(".env syntax") {
    TempDir dir;
    InDir in(dir.path);
    SUBCASE("comments, blank lines, export, quotes, CRLF") {
        dir.write(".env",
                  "# a comment\n"
                  "\n"
                  "   \n"
                  "export HUB_OAUTH_CLIENT_ID=exported\r\n"
                  "HUB_OAUTH_CLIENT_SECRET=\"quoted # not a comment\"  # a comment\n"
                  "WEBHOOK_SECRET='single'\n"
                  "  DATA_DIR  =  spaced value  \n"
                  "STATIC_DIR=a#b\n"
                  "TRUSTED_PROXIES=\n");
        const Config c = load_ok({}, {});
        CHECK(c.client_id == "exported");
        CHECK(c.client_secret == "quoted # not a comment");
        CHECK(c.webhook_secret == "single");
        CHECK(c.data_dir == "spaced value");
        CHECK(c.static_dir == "a#b");
        CHECK(c.trusted_proxies.empty());
    }
    struct Bad {
        const char* text;
        const char* expected;
    };
    const Bad bad[] = {
        {"THREADS 8\n", "line 1: expected NAME=value"},
        {"# ok\nTHREADZ=8\n", "line 2: THREADZ is not a setting"},
        {"THREADS=8\nTHREADS=9\n", "line 2: THREADS was already set"},
        {"WEBHOOK_SECRET=\"open\n", "line 1: the quote is not closed"},
        {"WEBHOOK_SECRET='a' b\n", "line 1: unexpected text after the closing quote"},
        {"ENV_FILE=x\n", "ENV_FILE cannot be set inside a .env file"},
    };
    for (const auto& b : bad) {
        INFO(std::string(b.text));
        dir.write(".env", b.text);
        CHECK(contains(load_error({}, {}), b.expected));
    }
}

TEST_CASE("flags") {
    TempDir dir;
    InDir in(dir.path);
    CHECK(contains(load_error({"--hub-ur", "x"}, {}), "unknown flag --hub-ur"));
    CHECK(contains(load_error({"serve"}, {}), "unexpected argument 'serve'"));
    CHECK(contains(load_error({"--threads"}, {}), "flag --threads needs a value"));
    CHECK(contains(load_error({"--threads", "--hub-url", "x"}, {}), "flag --threads needs a value"));
    CHECK(contains(load_error({"--HUB-URL", "x"}, {}), "unknown flag --HUB-URL"));
    SUBCASE("every documented setting has its flag") {
        for (const auto& name : documented_names()) {
            std::string flag = "--";
            for (char ch : name) flag += ch == '_' ? '-' : static_cast<char>(std::tolower(ch));
            INFO(flag);
            CHECK(contains(help_text(), name + ", " + flag + " "));
        }
    }
}

TEST_CASE("values: numbers, booleans, lists, LISTEN, URLs") {
    TempDir dir;
    InDir in(dir.path);
    SUBCASE("numbers must be whole numbers in range, naming the setting and source") {
        const auto e = load_error({}, {"THREADS=8x"});
        CHECK(contains(e, "THREADS (the environment): '8x' is not a whole number"));
        CHECK(contains(load_error({"--threads", ""}, {}), "THREADS (flag --threads)"));
        CHECK(contains(load_error({"--threads", " 8"}, {}), "not a whole number"));
        CHECK(contains(load_error({"--threads", "99999999999"}, {}), "out of range"));
        CHECK(contains(load_error({"--max-body-bytes", "-1"}, {}), "MAX_BODY_BYTES"));
        CHECK(load_ok({"--session-idle-seconds", "-5"}, {}).session_idle_seconds == -5);  // validate's business
        CHECK(load_ok({"--refresh-lock-lease-ms", "9000000000"}, {}).refresh_lock_lease_ms == 9'000'000'000);
    }
    SUBCASE("booleans") {
        for (const char* no : {"false", "0", "no", "off", "FALSE"}) {
            CHECK_FALSE(load_ok({"--verify-access-tokens", no}, {}).verify_access_tokens);
        }
        CHECK(load_ok({"--verify-access-tokens", "Yes"}, {}).verify_access_tokens);
        CHECK(contains(load_error({"--verify-access-tokens", "maybe"}, {}), "is not true or false"));
    }
    SUBCASE("comma lists are trimmed") {
        const Config c = load_ok({"--trusted-proxies", " 10.0.0.1, ::1 ,,", "--old-encryption-key-files", "a,b"}, {});
        CHECK(c.trusted_proxies == std::vector<std::string>{"10.0.0.1", "::1"});
        CHECK(c.old_encryption_key_files == std::vector<std::string>{"a", "b"});
    }
    SUBCASE("LISTEN is host:port, IPv6 in brackets") {
        Config c = load_ok({"--listen", "0.0.0.0:9000"}, {});
        CHECK(c.listen_host == "0.0.0.0");
        CHECK(c.listen_port == 9000);
        c = load_ok({"--listen", "[::1]:0"}, {});
        CHECK(c.listen_host == "::1");
        CHECK(c.listen_port == 0);
        for (const char* bad : {"localhost", "::1:80", ":80", "host:", "host:65536", "host:http", "[::1]80", "[::1"}) {
            INFO(std::string(bad));
            CHECK(contains(load_error({"--listen", bad}, {}), "LISTEN"));
        }
    }
    SUBCASE("URLs lose a trailing slash so routes can be appended; the redirect URL follows PUBLIC_URL") {
        const Config c = load_ok({"--public-url", "https://app.example.com/", "--hub-url", "https://hub.example.com/"}, {});
        CHECK(c.public_url == "https://app.example.com");
        CHECK(c.hub_url == "https://hub.example.com");
        CHECK(c.redirect_url == "https://app.example.com/oauth/zaikio/callback");
        CHECK(load_ok({"--hub-oauth-redirect-url", "https://x/cb"}, {}).redirect_url == "https://x/cb");
    }
    SUBCASE("scope lists use the Hub's grammar") {
        const Config c = load_ok({"--hub-person-scopes", "zaikio.person.r,directory.organization_members.r"}, {});
        CHECK(format_scope_list(c.person_scopes) == "zaikio.person.r,directory.organization_members.r");
        const auto e = load_error({}, {"HUB_PERSON_SCOPES=zaikio.person.rwx"});
        CHECK(contains(e, "HUB_PERSON_SCOPES (the environment): malformed_scope 'zaikio.person.rwx'"));
        CHECK(contains(load_error({"--hub-organization-scopes", ""}, {}), "HUB_ORGANIZATION_SCOPES"));
        CHECK(contains(load_error({"--hub-organization-scopes", "a b"}, {}), "malformed_scope"));
    }
}

TEST_CASE("HUB_ENVIRONMENT is another spelling of HUB_URL") {
    TempDir dir;
    InDir in(dir.path);
    CHECK(load_ok({"--hub-environment", "production"}, {}).hub_url == "https://hub.zaikio.com");
    CHECK(load_ok({}, {"HUB_ENVIRONMENT=sandbox"}).hub_url == "https://hub.sandbox.zaikio.com");
    CHECK(load_ok({"--hub-environment=staging"}, {}).hub_url == "https://hub.staging.zaikio.com");
    CHECK(contains(load_error({"--hub-environment", "live"}, {}), "'live' is not production, sandbox or staging"));
    SUBCASE("a later source wins, whichever spelling it uses") {
        CHECK(load_ok({"--hub-url", "https://hub.example.com"}, {"HUB_ENVIRONMENT=sandbox"}).hub_url ==
              "https://hub.example.com");
        CHECK(load_ok({"--hub-environment", "sandbox"}, {"HUB_URL=https://hub.example.com"}).hub_url ==
              "https://hub.sandbox.zaikio.com");
        dir.write(".env", "HUB_URL=https://hub.example.com\n");
        CHECK(load_ok({}, {"HUB_ENVIRONMENT=staging"}).hub_url == "https://hub.staging.zaikio.com");
    }
    SUBCASE("both in one source is ambiguous") {
        CHECK(contains(load_error({}, {"HUB_URL=https://hub.example.com", "HUB_ENVIRONMENT=sandbox"}),
                       "HUB_URL and HUB_ENVIRONMENT are both given"));
        CHECK(contains(load_error({"--hub-environment", "sandbox", "--hub-url", "https://x"}, {}), "both given"));
        dir.write(".env", "HUB_ENVIRONMENT=sandbox\nHUB_URL=https://x\n");
        CHECK(contains(load_error({}, {}), "both given"));
    }
}

TEST_CASE("validate refuses inconsistent configurations with one sentence each") {
    TempDir dir;
    REQUIRE_FALSE(validate(valid_config()));

    struct Rule {
        std::string name;
        std::function<void(Config&)> change;
        std::string expected;
    };
    const std::vector<Rule> rules = {
        {"missing client secret", [](Config& c) { c.client_secret.clear(); }, "HUB_OAUTH_CLIENT_SECRET is required"},
        {"empty client id", [](Config& c) { c.client_id.clear(); }, "HUB_OAUTH_CLIENT_ID must not be empty"},
        {"no key at all", [](Config& c) { c.encryption_key_hex.clear(); }, "An encryption key is required"},
        {"file and inline key", [&](Config& c) { c.encryption_key_file = dir.write("k", std::string(32, 'k')); },
         "not both"},
        {"inline key too short", [](Config& c) { c.encryption_key_hex = key_hex.substr(2); }, "exactly 64 hex digits"},
        {"inline key not hex", [](Config& c) { c.encryption_key_hex = std::string(64, 'g'); }, "exactly 64 hex digits"},
        {"key file of 31 bytes",
         [&](Config& c) {
             c.encryption_key_hex.clear();
             c.encryption_key_file = dir.write("short.key", std::string(31, 'k'));
         },
         "must hold exactly 32 bytes, or 64 hex digits"},
        {"missing key file",
         [&](Config& c) {
             c.encryption_key_hex.clear();
             c.encryption_key_file = dir.file("missing.key");
         },
         "ENCRYPTION_KEY_FILE " + dir.file("missing.key") + " cannot be read."},
        {"bad old key file", [&](Config& c) { c.old_encryption_key_files = {dir.write("old.key", "tiny")}; },
         "OLD_ENCRYPTION_KEY_FILES"},
        {"public URL not http(s)", [](Config& c) { c.public_url = "ftp://app.example.com"; },
         "PUBLIC_URL must be an absolute http:// or https:// URL"},
        {"public URL with a path", [](Config& c) { c.public_url = "https://app.example.com/app"; },
         "PUBLIC_URL must be an origin"},
        {"public URL over http to another host",
         [](Config& c) {
             c.public_url = "http://app.example.com";
             c.redirect_url = "http://app.example.com/oauth/zaikio/callback";
         },
         "PUBLIC_URL may use http:// only for 127.0.0.1, [::1] or localhost"},
        {"hub URL not http(s)", [](Config& c) { c.hub_url = "hub.zaikio.com"; }, "HUB_URL must be an absolute"},
        {"hub URL over http to another host", [](Config& c) { c.hub_url = "http://hub.zaikio.com"; },
         "HUB_URL may use http:// only for"},
        {"hub URL with user info", [](Config& c) { c.hub_url = "https://user:pw@hub.zaikio.com"; },
         "HUB_URL must be an origin"},
        {"redirect URL relative", [](Config& c) { c.redirect_url = "/oauth/zaikio/callback"; },
         "HUB_OAUTH_REDIRECT_URL must be an absolute"},
        {"R60 redirect URL over http to another host",
         [](Config& c) {
             c.public_url = "https://app.example.com";
             c.redirect_url = "http://app.example.com/oauth/zaikio/callback";
         },
         "HUB_OAUTH_REDIRECT_URL may use http:// only for"},
        {"redirect URL on another origin",
         [](Config& c) { c.redirect_url = "http://localhost:8080/oauth/zaikio/callback"; }, "must be on PUBLIC_URL's origin"},
        {"redirect URL on another port",
         [](Config& c) { c.redirect_url = "http://127.0.0.1:9090/oauth/zaikio/callback"; },
         "must be on PUBLIC_URL's origin"},
        {"redirect URL on another path", [](Config& c) { c.redirect_url = "http://127.0.0.1:8080/callback"; },
         "must have the path /oauth/zaikio/callback"},
        {"redirect URL with a query", [](Config& c) { c.redirect_url += "?x=1"; }, "and no query"},
        {"no person scopes", [](Config& c) { c.person_scopes.clear(); }, "HUB_PERSON_SCOPES must name at least one"},
        {"an organisation scope for sign-in",
         [](Config& c) { c.person_scopes = *parse_scope_list("Org.directory.organization.r"); },
         "HUB_PERSON_SCOPES may hold person scopes only"},
        {"a person id in the sign-in scopes",
         [](Config& c) { c.person_scopes = *parse_scope_list("Per/6b1bd9a2-5c2f-4f0e-9a57-3f8a1a0d0a01.directory.person.r"); },
         "HUB_PERSON_SCOPES:"},
        {"no organisation scopes", [](Config& c) { c.organization_scopes.clear(); },
         "HUB_ORGANIZATION_SCOPES must name at least one"},
        {"a person-for-organisation install scope",
         [](Config& c) { c.organization_scopes = *parse_scope_list("Per>Org.directory.organization.r"); },
         "HUB_ORGANIZATION_SCOPES:"},
        {"TLS certificate without key", [&](Config& c) { c.tls_cert_file = dir.write("cert.pem", "x"); },
         "TLS_CERT_FILE and TLS_KEY_FILE go together"},
        {"TLS key without certificate", [&](Config& c) { c.tls_key_file = dir.write("key.pem", "x"); },
         "TLS_CERT_FILE and TLS_KEY_FILE go together"},
        {"TLS files that do not exist",
         [&](Config& c) {
             c.tls_cert_file = dir.file("no-cert.pem");
             c.tls_key_file = dir.file("no-key.pem");
         },
         "TLS_CERT_FILE " + dir.file("no-cert.pem") + " cannot be read"},
        {"missing CA file", [&](Config& c) { c.hub_ca_file = dir.file("no-ca.pem"); }, "HUB_CA_FILE"},
        {"static folder that is not a folder", [&](Config& c) { c.static_dir = dir.write("file", "x"); },
         "STATIC_DIR"},
        {"empty data folder", [](Config& c) { c.data_dir.clear(); }, "DATA_DIR must not be empty"},
        {"R36 absolute session lifetime over 7 days", [](Config& c) { c.session_absolute_seconds = 7 * 86400 + 1; },
         "SESSION_ABSOLUTE_SECONDS must be between 1 and 604800"},
        {"idle longer than absolute",
         [](Config& c) { c.session_idle_seconds = c.session_absolute_seconds + 1; },
         "SESSION_IDLE_SECONDS must be at least 1 and at most SESSION_ABSOLUTE_SECONDS"},
        {"idle of zero", [](Config& c) { c.session_idle_seconds = 0; }, "SESSION_IDLE_SECONDS"},
        {"R9 transactions over 15 minutes", [](Config& c) { c.transaction_seconds = 901; }, "TRANSACTION_SECONDS"},
        {"R8 no pending transactions", [](Config& c) { c.max_pending_transactions = 0; }, "MAX_PENDING_TRANSACTIONS"},
        {"negative membership age", [](Config& c) { c.memberships_max_age_seconds = -1; }, "MEMBERSHIPS_MAX_AGE_SECONDS"},
        {"negative refresh margin", [](Config& c) { c.refresh_margin_seconds = -1; }, "REFRESH_MARGIN_SECONDS"},
        {"zero lock lease", [](Config& c) { c.refresh_lock_lease_ms = 0; }, "REFRESH_LOCK_LEASE_MS"},
        {"zero refresh wait", [](Config& c) { c.refresh_wait_ms = 0; }, "REFRESH_WAIT_MS"},
        {"three threads", [](Config& c) { c.threads = 3; }, "THREADS must be at least 4"},
        {"zero keep-alive", [](Config& c) { c.keep_alive_seconds = 0; }, "KEEP_ALIVE_SECONDS"},
        {"zero body size", [](Config& c) { c.max_body_bytes = 0; }, "MAX_BODY_BYTES"},
        {"R55 negative Hub request budget", [](Config& c) { c.session_hub_requests_per_minute = -1; },
         "SESSION_HUB_REQUESTS_PER_MINUTE"},
        {"zero connect timeout", [](Config& c) { c.hub_connect_timeout_ms = 0; }, "HUB_CONNECT_TIMEOUT_MS"},
        {"zero read timeout", [](Config& c) { c.hub_read_timeout_ms = 0; }, "HUB_READ_TIMEOUT_MS"},
        {"no Hub connections", [](Config& c) { c.hub_connections = 0; }, "HUB_CONNECTIONS"},
        {"port out of range", [](Config& c) { c.listen_port = 70000; }, "LISTEN"},
        {"a proxy that is not an address", [](Config& c) { c.trusted_proxies = {"10.0.0.1", "proxy.local"}; },
         "TRUSTED_PROXIES: 'proxy.local' is not an IP address"},
    };
    for (const auto& rule : rules) {
        INFO(rule.name);
        Config c = valid_config();
        rule.change(c);
        const auto problem = validate(c);
        REQUIRE(problem);
        CHECK(problem->code == Errc::invalid_value);
        CHECK(contains(problem->detail, rule.expected));
        CHECK(std::count(problem->detail.begin(), problem->detail.end(), '\n') == 0);
        CHECK_FALSE(contains(problem->detail, "client-secret-value"));
        CHECK_FALSE(contains(problem->detail, key_hex.substr(0, 16)));
    }

    SUBCASE("what is allowed at the edges") {
        Config c = valid_config();
        c.session_absolute_seconds = 7 * 86400;
        c.session_idle_seconds = c.session_absolute_seconds;
        c.transaction_seconds = 900;
        c.threads = 4;
        c.listen_port = 0;
        c.trusted_proxies = {"127.0.0.1", "::1"};
        CHECK_FALSE(validate(c));
        for (const char* host : {"http://localhost:8080", "http://[::1]:8080", "https://app.example.com"}) {
            INFO(std::string(host));
            c.public_url = host;
            c.redirect_url = std::string(host) + "/oauth/zaikio/callback";
            c.hub_url = host;
            CHECK_FALSE(validate(c));
        }
        c.tls_cert_file = dir.write("cert.pem", "x");
        c.tls_key_file = dir.write("key.pem", "x");
        c.hub_ca_file = c.tls_cert_file;
        c.static_dir = dir.path.string();
        CHECK_FALSE(validate(c));
    }
}

TEST_CASE("R25 R64 the vault's keys come from files or ENCRYPTION_KEY") {
    TempDir dir;
    const Vault expected({key_0_to_31()});
    auto opens_with_expected_key = [&](const Config& c) {
        auto vault = load_vault(c);
        INFO((vault ? std::string() : vault.error().detail));
        REQUIRE(vault.has_value());
        CHECK(vault->current_key_id() == expected.current_key_id());
        return expected.open(vault->seal("token", "ad"), "ad") == "token";
    };
    std::string raw(32, '\0');
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<char>(i);

    Config c = valid_config();
    CHECK(opens_with_expected_key(c));
    c.encryption_key_hex = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
    CHECK(opens_with_expected_key(c));
    c.encryption_key_hex.clear();
    for (const auto& [name, bytes] : {std::pair{"raw.key", raw}, std::pair{"hex.key", key_hex},
                                      std::pair{"hex-lf.key", key_hex + "\n"}, std::pair{"hex-crlf.key", key_hex + "\r\n"}}) {
        INFO(std::string(name));
        c.encryption_key_file = dir.write(name, bytes);
        CHECK(opens_with_expected_key(c));
        CHECK_FALSE(validate(c));
    }
    for (const auto& [name, bytes] : {std::pair{"raw-and-lf.key", raw + "\n"}, std::pair{"hex-and-digit.key", key_hex + "0"},
                                      std::pair{"hex-two-lf.key", key_hex + "\n\n"}, std::pair{"empty.key", std::string()},
                                      std::pair{"big.key", std::string(4096, 'a')}}) {
        INFO(std::string(name));
        c.encryption_key_file = dir.write(name, bytes);
        const auto vault = load_vault(c);
        REQUIRE_FALSE(vault.has_value());
        // Exactly this sentence: it names the file, never the key or its length.
        CHECK(vault.error().detail == "ENCRYPTION_KEY_FILE " + c.encryption_key_file +
                                          " must hold exactly 32 bytes, or 64 hex digits and an optional line end.");
    }
    c.encryption_key_file = dir.path.string();  // a folder
    CHECK_FALSE(load_vault(c).has_value());

    SUBCASE("old key files open what they sealed; the current key seals") {
        Key old_key;
        old_key.fill(7);
        const std::string sealed_before = Vault({old_key}).seal("old token", "ad");
        c.encryption_key_file = dir.write("current.key", key_hex);
        c.old_encryption_key_files = {dir.write("old.key", std::string(32, '\x07'))};
        auto vault = load_vault(c);
        REQUIRE(vault.has_value());
        CHECK(vault->open(sealed_before, "ad") == "old token");
        CHECK(vault->current_key_id() == expected.current_key_id());
        c.old_encryption_key_files.push_back(dir.file("gone.key"));
        CHECK(contains(load_vault(c).error().detail, "OLD_ENCRYPTION_KEY_FILES " + dir.file("gone.key")));
    }
}

TEST_CASE("R62 describe prints every setting, secrets masked without their length") {
    Config c = valid_config();
    c.client_secret = "client-secret-value";
    c.webhook_secret = "webhook-secret-value";
    c.trusted_proxies = {"10.0.0.1", "10.0.0.2"};
    c.listen_host = "::1";
    const std::string text = describe(c);
    CHECK_FALSE(contains(text, "client-secret-value"));
    CHECK_FALSE(contains(text, "webhook-secret-value"));
    CHECK_FALSE(contains(text, key_hex));
    CHECK_FALSE(contains(text, key_hex.substr(0, 8)));
    CHECK(contains(text, "HUB_OAUTH_CLIENT_SECRET=****\n"));
    CHECK(contains(text, "WEBHOOK_SECRET=****\n"));
    CHECK(contains(text, "ENCRYPTION_KEY=****\n"));
    CHECK(contains(text, "TRUSTED_PROXIES=10.0.0.1,10.0.0.2\n"));
    CHECK(contains(text, "LISTEN=[::1]:8080\n"));
    CHECK(contains(text, "HUB_PERSON_SCOPES=directory.person.r\n"));
    CHECK(contains(text, "HUB_OAUTH_REDIRECT_URL=http://127.0.0.1:8080/oauth/zaikio/callback\n"));

    SUBCASE("a secret's length does not show") {
        Config longer = c;
        longer.client_secret = std::string(200, 'z');
        longer.webhook_secret = "w";
        CHECK(describe(longer) == text);
    }
    SUBCASE("an unset secret shows as empty, not as ****") {
        c.webhook_secret.clear();
        CHECK(contains(describe(c), "WEBHOOK_SECRET=\n"));
    }
    SUBCASE("one line per setting --help documents, except the two that are not stored") {
        const auto lines = lines_of(text);
        for (const auto& name : documented_names()) {
            INFO(name);
            const auto n = std::count_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.starts_with(name + "="); });
            CHECK(n == (name == "HUB_ENVIRONMENT" || name == "ENV_FILE" ? 0 : 1));
        }
        CHECK(lines.size() + 2 == documented_names().size());
    }
    SUBCASE("what it prints reads back as the same configuration (secrets aside)") {
        TempDir dir;
        InDir in(dir.path);
        c.client_secret.clear();
        c.webhook_secret.clear();
        c.encryption_key_hex.clear();
        c.verify_access_tokens = false;
        c.threads = 17;
        c.organization_scopes = *parse_scope_list("zaikio.organization.r,directory.organization_members.r");
        const Config reread = load_ok({}, lines_of(describe(c)));
        CHECK(describe(reread) == describe(c));
        CHECK(reread.trusted_proxies == c.trusted_proxies);
        CHECK(reread.listen_host == "::1");
        CHECK_FALSE(reread.verify_access_tokens);
        CHECK(reread.organization_scopes == c.organization_scopes);
    }
}

TEST_CASE("--help lists every setting with its flag and default") {
    const std::string help = help_text();
    const auto names = documented_names();
    CHECK(names.size() == 36);  // 34 Config settings (LISTEN sets two fields), HUB_ENVIRONMENT, ENV_FILE
    for (const char* name : {"HUB_URL", "HUB_ENVIRONMENT", "HUB_OAUTH_CLIENT_ID", "HUB_OAUTH_CLIENT_SECRET",
                             "HUB_OAUTH_REDIRECT_URL", "HUB_PERSON_SCOPES", "HUB_ORGANIZATION_SCOPES", "PUBLIC_URL",
                             "DATA_DIR", "ENCRYPTION_KEY_FILE", "ENCRYPTION_KEY", "WEBHOOK_SECRET", "LISTEN", "ENV_FILE",
                             "THREADS", "SESSION_ABSOLUTE_SECONDS", "SESSION_HUB_REQUESTS_PER_MINUTE"}) {
        INFO(std::string(name));
        CHECK(std::count(names.begin(), names.end(), name) == 1);
    }
    CHECK(contains(help, "  HUB_URL, --hub-url <url>\n"));
    CHECK(contains(help, "Default: http://127.0.0.1:8081\n"));
    CHECK(contains(help, "Default: directory.person.r\n"));
    CHECK(contains(help, "Default: <PUBLIC_URL>/oauth/zaikio/callback\n"));
    CHECK(contains(help, "Default: 127.0.0.1:8080\n"));
    const auto lines = lines_of(help);
    std::size_t defaults = 0;
    for (const auto& l : lines) defaults += contains(l, " Default: ") ? 1 : 0;
    CHECK(defaults == names.size());
}
