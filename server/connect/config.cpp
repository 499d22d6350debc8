// zai-connect — configuration: one table of settings drives loading, --help and describe().
#include "config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "http.h"

namespace zai::connect {
namespace {

constexpr std::int64_t max_session_seconds = 7 * 24 * 3600;  // the Hub's refresh-token lifetime (R36)
constexpr std::int64_t max_transaction_seconds = 15 * 60;    // the flow cookie's limit (R9)
constexpr int min_threads = 4;
constexpr std::string_view callback_path = "/oauth/zaikio/callback";

// A problem with one value, without the setting's name (the caller adds where it came from).
using Problem = std::optional<std::string>;

struct Setting {
    std::string_view name;         // environment name; the flag is derived from it
    std::string_view placeholder;  // for --help: <url>, <n>, ...
    std::string_view description;
    std::function<Problem(Config&, std::string_view)> set;
    std::function<std::string(const Config&)> get;  // empty for settings that are not a Config field
    bool secret = false;
    std::string_view default_text = {};  // for --help, when get(Config{}) would not tell the truth
};

std::string flag_of(std::string_view name) {
    std::string f = "--";
    for (char ch : name) f += ch == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return f;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
    return out;
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> items;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const auto item = trim(text.substr(0, comma));
        if (!item.empty()) items.emplace_back(item);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
    return items;
}

// "https://x/" → "https://x": the routes are appended to these URLs.
std::string without_trailing_slash(std::string_view url) {
    while (url.size() > 1 && url.back() == '/') url.remove_suffix(1);
    return std::string(url);
}

template <class T>
Problem parse_number(std::string_view text, T& out) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) return "'" + std::string(text) + "' is out of range";
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return "'" + std::string(text) + "' is not a whole number";
    }
    out = value;
    return std::nullopt;
}

Problem parse_bool(std::string_view text, bool& out) {
    const std::string t = lower(text);
    if (t == "1" || t == "true" || t == "yes" || t == "on") {
        out = true;
    } else if (t == "0" || t == "false" || t == "no" || t == "off") {
        out = false;
    } else {
        return "'" + std::string(text) + "' is not true or false";
    }
    return std::nullopt;
}

// host:port, IPv6 in brackets.
Problem parse_listen(Config& c, std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (text.starts_with("[")) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || text.substr(close + 1, 1) != ":") {
            return "'" + std::string(text) + "' is not [IPv6 address]:port";
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return "'" + std::string(text) + "' is not host:port";
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) return "write an IPv6 address in brackets, e.g. [::1]:8080";
    }
    if (host.empty()) return "'" + std::string(text) + "' has no host";
    int p = 0;
    if (parse_number(port, p) || p < 0 || p > 65535) return "'" + std::string(port) + "' is not a port (0-65535)";
    c.listen_host = std::string(host);
    c.listen_port = p;
    return std::nullopt;
}

Setting text(std::string_view name, std::string Config::*field, std::string_view placeholder,
             std::string_view description, bool secret = false) {
    return {name, placeholder, description,
            [field](Config& c, std::string_view v) -> Problem {
                c.*field = std::string(v);
                return std::nullopt;
            },
            [field](const Config& c) { return c.*field; }, secret};
}

Setting url(std::string_view name, std::string Config::*field, std::string_view description) {
    return {name, "<url>", description,
            [field](Config& c, std::string_view v) -> Problem {
                c.*field = without_trailing_slash(v);
                return std::nullopt;
            },
            [field](const Config& c) { return c.*field; }};
}

template <class T>
Setting number(std::string_view name, T Config::*field, std::string_view description) {
    return {name, "<n>", description,
            [field](Config& c, std::string_view v) { return parse_number(v, c.*field); },
            [field](const Config& c) { return std::to_string(c.*field); }};
}

Setting boolean(std::string_view name, bool Config::*field, std::string_view description) {
    return {name, "<true|false>", description,
            [field](Config& c, std::string_view v) { return parse_bool(v, c.*field); },
            [field](const Config& c) { return std::string(c.*field ? "true" : "false"); }};
}

Setting scopes(std::string_view name, std::vector<Scope> Config::*field, std::string_view description) {
    return {name, "<scope,scope>", description,
            [field](Config& c, std::string_view v) -> Problem {
                auto parsed = parse_scope_list(v);
                if (!parsed) {
                    const auto& p = parsed.error();
                    return std::string(scope_error_id(p.error)) + (p.scope.empty() ? "" : " '" + p.scope + "'") + ": " +
                           p.reason;
                }
                c.*field = std::move(*parsed);
                return std::nullopt;
            },
            [field](const Config& c) { return format_scope_list(c.*field); }};
}

Setting list(std::string_view name, std::vector<std::string> Config::*field, std::string_view placeholder,
             std::string_view description) {
    return {name, placeholder, description,
            [field](Config& c, std::string_view v) -> Problem {
                c.*field = split_list(v);
                return std::nullopt;
            },
            [field](const Config& c) { return join(c.*field); }};
}

Problem set_hub_environment(Config& c, std::string_view v) {
    if (v == "production") {
        c.hub_url = "https://hub.zaikio.com";
    } else if (v == "sandbox") {
        c.hub_url = "https://hub.sandbox.zaikio.com";
    } else if (v == "staging") {
        c.hub_url = "https://hub.staging.zaikio.com";
    } else {
        return "'" + std::string(v) + "' is not production, sandbox or staging";
    }
    return std::nullopt;
}

constexpr std::string_view env_file_name = "ENV_FILE";
constexpr std::string_view hub_url_name = "HUB_URL";
constexpr std::string_view hub_environment_name = "HUB_ENVIRONMENT";

const std::vector<Setting>& settings() {
    static const std::vector<Setting> table = [] {
        using C = Config;
        std::vector<Setting> t;
        t.push_back(url(hub_url_name, &C::hub_url, "The Hub's base URL (hubsim by default)."));
        t.push_back({hub_environment_name, "<production|sandbox|staging>",
                     "Sets HUB_URL to the Zaikio Hub of that environment (https://hub[.sandbox|.staging].zaikio.com).",
                     set_hub_environment, {}, false, "(none)"});
        t.push_back(text("HUB_CA_FILE", &C::hub_ca_file, "<path>",
                         "Extra CA certificates (PEM) to trust for the Hub, e.g. hubsim's self-signed one."));
        t.push_back(text("HUB_OAUTH_CLIENT_ID", &C::client_id, "<id>", "This app's OAuth client id at the Hub."));
        t.push_back(text("HUB_OAUTH_CLIENT_SECRET", &C::client_secret, "<secret>",
                         "This app's OAuth client secret (required; never printed).", true));
        t.push_back({"HUB_OAUTH_REDIRECT_URL", "<url>",
                     "The callback URL registered at the Hub; must be PUBLIC_URL's origin + /oauth/zaikio/callback.",
                     [](C& c, std::string_view v) -> Problem {
                         c.redirect_url = std::string(v);
                         return std::nullopt;
                     },
                     [](const C& c) { return c.redirect_url; }, false, "<PUBLIC_URL>/oauth/zaikio/callback"});
        t.push_back(scopes("HUB_PERSON_SCOPES", &C::person_scopes, "Scopes asked for at sign-in (comma list)."));
        t.push_back(scopes("HUB_ORGANIZATION_SCOPES", &C::organization_scopes,
                           "Scopes asked for at install, each sent as Org/<id>.<scope> (comma list)."));
        t.push_back(boolean("VERIFY_ACCESS_TOKENS", &C::verify_access_tokens,
                            "Check access-token JWTs against the Hub's published keys."));
        t.push_back(url("PUBLIC_URL", &C::public_url, "Where browsers reach zai-connect (an origin, no path)."));
        t.push_back({"LISTEN", "<host:port>", "Address to listen on; port 0 picks a free one.",
                     parse_listen,
                     [](const C& c) {
                         const bool v6 = c.listen_host.find(':') != std::string::npos;
                         return (v6 ? "[" + c.listen_host + "]" : c.listen_host) + ":" + std::to_string(c.listen_port);
                     }});
        t.push_back(text("STATIC_DIR", &C::static_dir, "<path>", "The built dashboard (build/web/dist)."));
        t.push_back(text("DATA_DIR", &C::data_dir, "<path>", "Folder of the database zai-connect.sqlite3."));
        t.push_back(text("ENCRYPTION_KEY_FILE", &C::encryption_key_file, "<path>",
                         "Key for tokens at rest: a file of 32 random bytes or 64 hex digits."));
        t.push_back(text("ENCRYPTION_KEY", &C::encryption_key_hex, "<64 hex digits>",
                         "The same key given inline instead of ENCRYPTION_KEY_FILE (never printed).", true));
        t.push_back(list("OLD_ENCRYPTION_KEY_FILES", &C::old_encryption_key_files, "<path,path>",
                         "Earlier keys, only to read values sealed before a key rotation."));
        t.push_back(text("WEBHOOK_SECRET", &C::webhook_secret, "<secret>",
                         "Shared secret of Loom webhooks; empty turns /webhooks/zaikio off (never printed).", true));
        t.push_back(list("TRUSTED_PROXIES", &C::trusted_proxies, "<ip,ip>",
                         "Addresses whose X-Forwarded-* headers are believed."));
        t.push_back(text("TLS_CERT_FILE", &C::tls_cert_file, "<path>",
                         "Serve HTTPS with this certificate chain (PEM); needs TLS_KEY_FILE."));
        t.push_back(text("TLS_KEY_FILE", &C::tls_key_file, "<path>", "The private key (PEM) of TLS_CERT_FILE."));
        t.push_back(number("SESSION_IDLE_SECONDS", &C::session_idle_seconds, "A session ends after this long unused."));
        t.push_back(number("SESSION_ABSOLUTE_SECONDS", &C::session_absolute_seconds,
                           "A session ends this long after sign-in, at most 7 days."));
        t.push_back(number("TRANSACTION_SECONDS", &C::transaction_seconds,
                           "Time to finish a sign-in or install at the Hub, at most 15 minutes."));
        t.push_back(number("MAX_PENDING_TRANSACTIONS", &C::max_pending_transactions,
                           "Unfinished sign-ins kept per browser; the oldest is dropped beyond this."));
        t.push_back(number("MEMBERSHIPS_MAX_AGE_SECONDS", &C::memberships_max_age_seconds,
                           "Re-read the person's organisations from the Hub after this long."));
        t.push_back(number("REFRESH_MARGIN_SECONDS", &C::refresh_margin_seconds,
                           "Refresh a token this long before it expires (at most half its lifetime)."));
        t.push_back(number("REFRESH_LOCK_LEASE_MS", &C::refresh_lock_lease_ms,
                           "A refresh lock of a crashed process frees itself after this long."));
        t.push_back(number("REFRESH_WAIT_MS", &C::refresh_wait_ms,
                           "How long a request waits for another's refresh of the same grant."));
        t.push_back(number("THREADS", &C::threads, "HTTP worker threads (one per keep-alive connection), at least 4."));
        t.push_back(number("KEEP_ALIVE_SECONDS", &C::keep_alive_seconds, "Idle keep-alive connections close after this."));
        t.push_back(number("MAX_BODY_BYTES", &C::max_body_bytes, "Largest request body accepted."));
        t.push_back(number("SESSION_HUB_REQUESTS_PER_MINUTE", &C::session_hub_requests_per_minute,
                           "Requests per session and minute that call the Hub (organisation views, uninstall); "
                           "0 = no limit."));
        t.push_back(number("HUB_CONNECT_TIMEOUT_MS", &C::hub_connect_timeout_ms, "Connect timeout for calls to the Hub."));
        t.push_back(number("HUB_READ_TIMEOUT_MS", &C::hub_read_timeout_ms, "Read timeout for calls to the Hub."));
        t.push_back(number("HUB_CONNECTIONS", &C::hub_connections, "Keep-alive connections to the Hub."));
        t.push_back({env_file_name, "<path>", "The .env file to read (environment or flag only).",
                     [](C&, std::string_view) -> Problem { return std::nullopt; }, {}, false, "./.env if present"});
        return t;
    }();
    return table;
}

const Setting* find_by_name(std::string_view name) {
    for (const auto& s : settings()) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

const Setting* find_by_flag(std::string_view flag) {
    for (const auto& s : settings()) {
        if (flag_of(s.name) == flag) return &s;
    }
    return nullptr;
}

Error config_error(std::string message) { return Error{Errc::invalid_value, std::move(message)}; }

// One value from one source.
struct Assignment {
    const Setting* setting;
    std::string value;
    std::string source;  // "flag --threads", "environment", ".env line 3"
};

Expected<std::vector<Assignment>, Error> read_flags(const std::vector<std::string>& args) {
    std::vector<Assignment> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (!arg.starts_with("--")) return Unexpected{config_error("unexpected argument '" + arg + "'; --help lists the flags")};
        const auto eq = arg.find('=');
        const std::string flag = arg.substr(0, eq);
        const Setting* s = find_by_flag(flag);
        if (s == nullptr) return Unexpected{config_error("unknown flag " + flag + "; --help lists the flags")};
        std::string value;
        if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
        } else if (i + 1 < args.size() && !args[i + 1].starts_with("--")) {
            value = args[++i];
        } else {
            return Unexpected{config_error("flag " + flag + " needs a value")};
        }
        out.push_back({s, std::move(value), "flag " + flag});
    }
    return out;
}

std::vector<Assignment> read_environment(const std::vector<std::string>& vars) {
    std::vector<Assignment> out;
    for (const auto& var : vars) {
        const auto eq = var.find('=');
        if (eq == std::string::npos) continue;
        if (const Setting* s = find_by_name(std::string_view(var).substr(0, eq))) {
            out.push_back({s, var.substr(eq + 1), "the environment"});
        }
    }
    return out;
}

Expected<std::vector<Assignment>, Error> read_env_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Unexpected{config_error("cannot read the .env file " + path)};
    std::vector<Assignment> out;
    std::string line_text;
    for (int line = 1; std::getline(in, line_text); ++line) {
        const std::string where = path + " line " + std::to_string(line);
        std::string_view l = line_text;
        if (l.ends_with('\r')) l.remove_suffix(1);
        l = trim(l);
        if (l.empty() || l.front() == '#') continue;
        if (l.starts_with("export ")) l = trim(l.substr(7));
        const auto eq = l.find('=');
        if (eq == std::string_view::npos) return Unexpected{config_error(where + ": expected NAME=value")};
        const std::string_view name = trim(l.substr(0, eq));
        std::string_view value = trim(l.substr(eq + 1));
        if (!value.empty() && (value.front() == '"' || value.front() == '\'')) {
            const auto close = value.find(value.front(), 1);
            if (close == std::string_view::npos) return Unexpected{config_error(where + ": the quote is not closed")};
            const auto rest = trim(value.substr(close + 1));
            if (!rest.empty() && rest.front() != '#') {
                return Unexpected{config_error(where + ": unexpected text after the closing quote")};
            }
            value = value.substr(1, close - 1);
        }
        const Setting* s = find_by_name(name);
        if (s == nullptr) {
            return Unexpected{config_error(where + ": " + std::string(name) + " is not a setting; --help lists them")};
        }
        if (s->name == env_file_name) return Unexpected{config_error(where + ": ENV_FILE cannot be set inside a .env file")};
        for (const auto& earlier : out) {
            if (earlier.setting == s) {
                return Unexpected{config_error(where + ": " + std::string(name) + " was already set (" + earlier.source + ")")};
            }
        }
        out.push_back({s, std::string(value), where});
    }
    return out;
}

// The .env file to read: --env-file, else ENV_FILE, else ./.env when it exists.
std::optional<std::string> env_file_path(const std::vector<Assignment>& flags, const std::vector<Assignment>& env) {
    std::optional<std::string> path;
    for (const auto* source : {&env, &flags}) {
        for (const auto& a : *source) {
            if (a.setting->name == env_file_name) path = a.value;
        }
    }
    if (path) return path;
    std::error_code ec;
    if (std::filesystem::is_regular_file(".env", ec)) return ".env";
    return std::nullopt;
}

std::optional<Error> apply(Config& c, const std::vector<Assignment>& source) {
    bool hub_url = false;
    bool hub_environment = false;
    for (const auto& a : source) {
        hub_url = hub_url || a.setting->name == hub_url_name;
        hub_environment = hub_environment || a.setting->name == hub_environment_name;
        if (hub_url && hub_environment) {
            return config_error("HUB_URL and HUB_ENVIRONMENT are both given (" + a.source + "); give one of them");
        }
        if (auto problem = a.setting->set(c, a.value)) {
            return config_error(std::string(a.setting->name) + " (" + a.source + "): " + *problem);
        }
    }
    return std::nullopt;
}

// --- checks -----------------------------------------------------------------------------------

bool is_loopback(std::string_view host) { return host == "127.0.0.1" || host == "::1" || lower(host) == "localhost"; }

bool same_origin(const UrlParts& a, const UrlParts& b) {
    return a.scheme == b.scheme && lower(a.host) == lower(b.host) && a.port == b.port;
}

bool readable_file(const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec) && std::ifstream(path, std::ios::binary).good();
}

bool is_ip_address(const std::string& text) {
    unsigned char buffer[sizeof(in6_addr)];
    return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

// An http(s) origin: no path, query or user name; plain http only on this machine (R60).
std::optional<std::string> check_origin(std::string_view name, const std::string& value, std::string_view example) {
    const auto u = split_url(value);
    const std::string n(name);
    if (!u) return n + " must be an absolute http:// or https:// URL, such as " + std::string(example) + ".";
    if (u->target != "/" || !u->user.empty() || !u->password.empty()) {
        return n + " must be an origin such as " + std::string(example) + ", without a path, query or user name.";
    }
    if (u->scheme == "http" && !is_loopback(u->host)) {
        return n + " may use http:// only for 127.0.0.1, [::1] or localhost; use https:// (R60).";
    }
    return std::nullopt;
}

std::optional<std::string> check_redirect(const Config& c) {
    const auto u = split_url(c.redirect_url);
    if (!u) return "HUB_OAUTH_REDIRECT_URL must be an absolute http:// or https:// URL.";
    if (u->scheme == "http" && !is_loopback(u->host)) {
        return "HUB_OAUTH_REDIRECT_URL may use http:// only for 127.0.0.1, [::1] or localhost; use https:// (R60).";
    }
    const auto public_url = split_url(c.public_url);
    if (!public_url || !same_origin(*u, *public_url) || !u->user.empty() || !u->password.empty()) {
        return "HUB_OAUTH_REDIRECT_URL must be on PUBLIC_URL's origin (" + (public_url ? public_url->origin() : c.public_url) +
               "), where the browser sends zai-connect's cookies.";
    }
    if (u->target != callback_path) {
        return "HUB_OAUTH_REDIRECT_URL must have the path " + std::string(callback_path) +
               " and no query: that is the route zai-connect serves.";
    }
    return std::nullopt;
}

std::optional<std::string> check_scopes(const Config& c) {
    if (c.person_scopes.empty()) return "HUB_PERSON_SCOPES must name at least one scope.";
    for (const auto& s : c.person_scopes) {
        if (s.kind != Scope::Kind::resource || s.bearer_type() != BearerType::person) {
            return "HUB_PERSON_SCOPES may hold person scopes only, not '" + format_scope(s) + "'.";
        }
    }
    if (auto p = check_flow(c.person_scopes, Flow::interactive)) return "HUB_PERSON_SCOPES: " + p->reason + ".";
    if (c.organization_scopes.empty()) return "HUB_ORGANIZATION_SCOPES must name at least one scope.";
    if (auto s = install_scopes(std::nullopt, c.organization_scopes); !s) {
        return "HUB_ORGANIZATION_SCOPES: '" + s.error().scope + "': " + s.error().reason + ".";
    }
    return std::nullopt;
}

std::optional<std::string> check_numbers(const Config& c) {
    if (c.session_absolute_seconds < 1 || c.session_absolute_seconds > max_session_seconds) {
        return "SESSION_ABSOLUTE_SECONDS must be between 1 and " + std::to_string(max_session_seconds) +
               " (7 days, the Hub's refresh-token lifetime, R36).";
    }
    if (c.session_idle_seconds < 1 || c.session_idle_seconds > c.session_absolute_seconds) {
        return "SESSION_IDLE_SECONDS must be at least 1 and at most SESSION_ABSOLUTE_SECONDS.";
    }
    if (c.transaction_seconds < 1 || c.transaction_seconds > max_transaction_seconds) {
        return "TRANSACTION_SECONDS must be between 1 and " + std::to_string(max_transaction_seconds) +
               " (the flow cookie lives at most 15 minutes, R9).";
    }
    if (c.max_pending_transactions < 1) return "MAX_PENDING_TRANSACTIONS must be at least 1 (R8).";
    if (c.memberships_max_age_seconds < 0) return "MEMBERSHIPS_MAX_AGE_SECONDS must not be negative.";
    if (c.refresh_margin_seconds < 0) return "REFRESH_MARGIN_SECONDS must not be negative.";
    if (c.refresh_lock_lease_ms < 1) return "REFRESH_LOCK_LEASE_MS must be at least 1.";
    if (c.refresh_wait_ms < 1) return "REFRESH_WAIT_MS must be at least 1.";
    if (c.threads < min_threads) {
        return "THREADS must be at least " + std::to_string(min_threads) +
               ": each keep-alive connection holds a worker, and a browser opens several.";
    }
    if (c.keep_alive_seconds < 1) return "KEEP_ALIVE_SECONDS must be at least 1.";
    if (c.max_body_bytes < 1) return "MAX_BODY_BYTES must be at least 1.";
    if (c.session_hub_requests_per_minute < 0) return "SESSION_HUB_REQUESTS_PER_MINUTE must not be negative.";
    if (c.hub_connect_timeout_ms < 1) return "HUB_CONNECT_TIMEOUT_MS must be at least 1.";
    if (c.hub_read_timeout_ms < 1) return "HUB_READ_TIMEOUT_MS must be at least 1.";
    if (c.hub_connections < 1) return "HUB_CONNECTIONS must be at least 1.";
    if (c.listen_host.empty() || c.listen_port < 0 || c.listen_port > 65535) {
        return "LISTEN must be host:port with a port from 0 to 65535.";
    }
    return std::nullopt;
}

std::optional<std::string> check_files(const Config& c) {
    if (c.tls_cert_file.empty() != c.tls_key_file.empty()) {
        return "TLS_CERT_FILE and TLS_KEY_FILE go together: give both to serve HTTPS, or neither.";
    }
    for (const auto& [name, path] : {std::pair{"TLS_CERT_FILE", &c.tls_cert_file}, std::pair{"TLS_KEY_FILE", &c.tls_key_file},
                                     std::pair{"HUB_CA_FILE", &c.hub_ca_file}}) {
        if (!path->empty() && !readable_file(*path)) return std::string(name) + " " + *path + " cannot be read.";
    }
    std::error_code ec;
    if (!c.static_dir.empty() && !std::filesystem::is_directory(c.static_dir, ec)) {
        return "STATIC_DIR " + c.static_dir + " is not a folder.";
    }
    if (c.data_dir.empty()) return "DATA_DIR must not be empty.";
    return std::nullopt;
}

// --- keys -------------------------------------------------------------------------------------

std::optional<Key> key_from_hex(std::string_view hex) {
    if (hex.size() != 2 * std::tuple_size_v<Key>) return std::nullopt;
    Key k{};
    for (std::size_t i = 0; i < k.size(); ++i) {
        const auto [end, ec] = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, k[i], 16);
        if (ec != std::errc{} || end != hex.data() + 2 * i + 2) return std::nullopt;
    }
    return k;
}

Expected<Key, Error> read_key_file(std::string_view setting, const std::string& path) {
    const std::string where = std::string(setting) + " " + path;
    if (!readable_file(path)) return Unexpected{config_error(where + " cannot be read.")};
    std::ifstream in(path, std::ios::binary);
    // Enough for every valid form; a longer file is refused without reading it all.
    std::string bytes(2 * std::tuple_size_v<Key> + 3, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.size() == std::tuple_size_v<Key>) {
        Key k{};
        std::copy(bytes.begin(), bytes.end(), k.begin());
        return k;
    }
    std::string_view hex = bytes;
    if (hex.ends_with("\r\n")) {
        hex.remove_suffix(2);
    } else if (hex.ends_with('\n')) {
        hex.remove_suffix(1);
    }
    if (auto k = key_from_hex(hex)) return *k;
    return Unexpected{config_error(where + " must hold exactly 32 bytes, or 64 hex digits and an optional line end.")};
}

}  // namespace

Expected<Config, Error> load_config(const std::vector<std::string>& args, const std::vector<std::string>& environ_vars) {
    auto flags = read_flags(args);
    if (!flags) return Unexpected{flags.error()};
    const auto env = read_environment(environ_vars);

    std::vector<Assignment> dotenv;
    if (const auto path = env_file_path(*flags, env)) {
        auto read = read_env_file(*path);
        if (!read) return Unexpected{read.error()};
        dotenv = std::move(*read);
    }

    Config c;
    const std::array<const std::vector<Assignment>*, 3> sources = {&dotenv, &env, &*flags};  // later wins
    for (const auto* source : sources) {
        if (auto e = apply(c, *source)) return Unexpected{*e};
    }
    if (c.redirect_url.empty()) c.redirect_url = c.public_url + std::string(callback_path);
    return c;
}

std::optional<Error> validate(const Config& c) {
    if (c.client_secret.empty()) {
        return config_error("HUB_OAUTH_CLIENT_SECRET is required: the client secret the Hub issued for this app.");
    }
    if (c.client_id.empty()) return config_error("HUB_OAUTH_CLIENT_ID must not be empty.");
    if (auto p = check_origin("PUBLIC_URL", c.public_url, "https://app.example.com")) return config_error(*p);
    if (auto p = check_origin("HUB_URL", c.hub_url, "https://hub.zaikio.com")) return config_error(*p);
    if (auto p = check_redirect(c)) return config_error(*p);
    if (auto p = check_scopes(c)) return config_error(*p);
    if (auto vault = load_vault(c); !vault) return vault.error();
    if (auto p = check_files(c)) return config_error(*p);
    if (auto p = check_numbers(c)) return config_error(*p);
    for (const auto& proxy : c.trusted_proxies) {
        if (!is_ip_address(proxy)) return config_error("TRUSTED_PROXIES: '" + proxy + "' is not an IP address.");
    }
    return std::nullopt;
}

Expected<Vault, Error> load_vault(const Config& c) {
    const bool file = !c.encryption_key_file.empty();
    const bool inline_hex = !c.encryption_key_hex.empty();
    if (file && inline_hex) return Unexpected{config_error("Give ENCRYPTION_KEY_FILE or ENCRYPTION_KEY, not both.")};
    if (!file && !inline_hex) {
        return Unexpected{config_error("An encryption key is required: set ENCRYPTION_KEY_FILE to a file of 32 random bytes "
                                       "(or 64 hex digits), or ENCRYPTION_KEY to 64 hex digits.")};
    }
    std::vector<Key> keys;
    if (file) {
        auto k = read_key_file("ENCRYPTION_KEY_FILE", c.encryption_key_file);
        if (!k) return Unexpected{k.error()};
        keys.push_back(*k);
    } else {
        auto k = key_from_hex(c.encryption_key_hex);
        if (!k) return Unexpected{config_error("ENCRYPTION_KEY must be exactly 64 hex digits (32 bytes).")};
        keys.push_back(*k);
    }
    for (const auto& path : c.old_encryption_key_files) {
        auto k = read_key_file("OLD_ENCRYPTION_KEY_FILES", path);
        if (!k) return Unexpected{k.error()};
        keys.push_back(*k);
    }
    return Vault(std::move(keys));
}

std::string describe(const Config& c) {
    std::string out;
    for (const auto& s : settings()) {
        if (!s.get) continue;
        std::string value = s.get(c);
        if (s.secret && !value.empty()) value = "****";
        out += std::string(s.name) + "=" + value + "\n";
    }
    return out;
}

std::string help_text() {
    const Config defaults;
    std::ostringstream out;
    out << "usage: zai-connect [flags]                   serve the dashboard and its API\n"
           "       zai-connect end-sessions <person-id>  end every session of a person\n"
           "       zai-connect --help\n\n"
           "Every setting is an environment variable, a line of the .env file, or a flag; later wins:\n"
           ".env < environment < flags. Flags take their value as --name value or --name=value.\n\n";
    for (const auto& s : settings()) {
        std::string shown_default(s.default_text);
        if (shown_default.empty()) {
            shown_default = s.get ? s.get(defaults) : "";
            if (shown_default.empty()) shown_default = "(none)";
        }
        out << "  " << s.name << ", " << flag_of(s.name) << " " << s.placeholder << "\n"
            << "      " << s.description << " Default: " << shown_default << "\n";
    }
    return out.str();
}

}  // namespace zai::connect
