// hubsim — a local Zaikio Hub for development and tests (issue 3). `hubsim --help` lists every
// flag; the README's hubsim section explains seed files, the control API and the switches.
//
// Start-up: flags → seed → keys and --state → server bound → one line on stdout,
//   hubsim listening on http://127.0.0.1:PORT
// which tests wait for. SIGINT/SIGTERM stop it cleanly (state saved, exit status 0).
#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <pthread.h>

#include "config.h"
#include "faults.h"
#include "keys.h"
#include "request_log.h"
#include "seed.h"
#include "server.h"
#include "state.h"
#include "tls.h"
#include "webhooks.h"

namespace {

using namespace zai::hubsim;

struct Flag {
    std::string name;  // without the leading --
    std::string arg;   // "" for on/off switches
    std::string help;
    std::function<std::optional<std::string>(std::string_view)> set;  // an error sentence, or nullopt
};

template <class T>
std::function<std::optional<std::string>(std::string_view)> number(T& out, long long min, long long max) {
    return [&out, min, max](std::string_view v) -> std::optional<std::string> {
        long long n = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc{} || end != v.data() + v.size() || n < min || n > max) {
            return "needs a whole number from " + std::to_string(min) + " to " + std::to_string(max);
        }
        out = static_cast<T>(n);
        return std::nullopt;
    };
}

std::function<std::optional<std::string>(std::string_view)> text(std::string& out) {
    return [&out](std::string_view v) -> std::optional<std::string> {
        out = std::string(v);
        return std::nullopt;
    };
}

std::function<std::optional<std::string>(std::string_view)> on_off(bool& out) {
    return [&out](std::string_view v) -> std::optional<std::string> {
        if (v == "on" || v == "true" || v == "yes" || v == "1") out = true;
        else if (v == "off" || v == "false" || v == "no" || v == "0") out = false;
        else return "takes on or off";
        return std::nullopt;
    };
}

std::vector<Flag> flags(Config& c) {
    Switches& w = c.switches;
    return {
        {"host", "ADDR", "address to listen on (default 127.0.0.1)", text(c.host)},
        {"port", "N", "port (default 8081; 0 picks a free one, printed on stdout)", number(c.port, 0, 65535)},
        {"public-url", "URL", "base URL clients see, for jku and device URLs (default scheme://host:port)",
         text(c.public_url)},
        {"tls", "", "serve HTTPS with a self-signed certificate made at start", on_off(c.tls)},
        {"tls-cert", "FILE", "where --tls writes that certificate (PEM), for clients to trust", text(c.tls_cert_path)},
        {"tls-hostname", "NAME", "name in the certificate (default 127.0.0.1; another name = wrong host)",
         text(c.tls_hostname)},
        {"threads", "N", "worker threads = concurrent keep-alive connections (default 16)", number(c.threads, 1, 1024)},
        {"max-body-bytes", "N", "request body limit (default 65536)", number(c.max_body_bytes, 1024, 64 << 20)},
        {"read-timeout", "S", "socket read timeout (default 5)", number(c.read_timeout_seconds, 1, 3600)},
        {"write-timeout", "S", "socket write timeout (default 5)", number(c.write_timeout_seconds, 1, 3600)},
        {"keep-alive-timeout", "S", "idle keep-alive connections close after S (default 5)",
         number(c.keep_alive_seconds, 1, 3600)},
        {"keep-alive-max-requests", "N", "requests per keep-alive connection (default 1000)",
         number(c.keep_alive_max_requests, 1, 1000000)},
        {"log-requests", "", "one line per request on stderr (default on)", on_off(c.log_requests)},
        {"request-log-capacity", "N", "requests kept for GET /__hubsim/requests (default 10000)",
         number(c.request_log_capacity, 1, 10000000)},
        {"seed", "FILE", "people, organisations and apps from a JSON file instead of the demo seed", text(c.seed_path)},
        {"state", "FILE", "keep connections, refresh tokens, revocations and keys in FILE across restarts",
         text(c.state_path)},
        {"app-secret", "SECRET", "client secret of zai_connect (or env HUBSIM_APP_SECRET); required", text(c.app.secret)},
        {"app-redirect-url", "URL", "a redirect URL of zai_connect; repeatable (default " +
                                        std::string(default_redirect_url) + ")",
         [&c](std::string_view v) -> std::optional<std::string> {
             c.app.redirect_urls.emplace_back(v);
             return std::nullopt;
         }},
        {"app-desired-scopes", "LIST", "desired scopes of zai_connect (default zaikio.person.r,Org.zaikio.organization.r)",
         text(c.app.desired_scopes)},
        {"app-webhook-url", "URL", "where zai_connect's Loom events go (default: none)", text(c.app.webhook_url)},
        {"app-webhook-secret", "SECRET", "their shared secret (or env HUBSIM_APP_WEBHOOK_SECRET)",
         text(c.app.webhook_secret)},
        {"access-token-lifetime", "S", "access token lifetime (default 3600)",
         number(c.lifetimes.access_token, 1, 400LL * 86400)},
        {"refresh-token-lifetime", "S", "refresh token lifetime (default 604800 = 7 days)",
         number(c.lifetimes.refresh_token, 1, 400LL * 86400)},
        {"code-lifetime", "S", "authorization code lifetime (default 600)", number(c.lifetimes.code, 1, 86400)},
        {"device-code-lifetime", "S", "device authorization lifetime (default 600)",
         number(c.lifetimes.device_code, 1, 86400)},
        {"device-interval", "S", "device polling interval; 0 never answers slow_down (default 5)",
         number(c.device_interval_seconds, 0, 3600)},
        {"authorize-page-lifetime", "S", "how long an unfinished sign-in stays valid (default 900)",
         number(c.pending_authorization_seconds, 1, 86400)},
        {"control", "", "enable the control API under /__hubsim/ (tests and demos)", on_off(c.control)},
        {"webhook-timeout-ms", "MS", "Loom delivery timeout (default 1000)", number(c.webhooks.timeout_ms, 1, 600000)},
        {"webhook-retry-ms", "MS", "first retry delay, doubling after (default 5000)",
         number(c.webhooks.first_retry_ms, 1, 86400000)},
        {"webhook-retry-max-ms", "MS", "longest retry delay (default 3600000)",
         number(c.webhooks.max_retry_ms, 1, 86400000)},
        {"webhook-max-attempts", "N", "attempts before a delivery is given up (default 12)",
         number(c.webhooks.max_attempts, 1, 1000)},
        // UNCONFIRMED behaviour of the real Hub (config.h, README "hubsim switches").
        {"state-on-error", "", "echo state on error redirects (default on)", on_off(w.state_on_error)},
        {"directory-alias", "", "accept directory.* as zaikio.* (default on)", on_off(w.directory_alias)},
        {"space-separated-scopes", "", "also split scope lists on spaces (default off)",
         on_off(w.space_separated_scopes)},
        {"require-response-type", "", "authorize requires response_type=code (default off)",
         on_off(w.require_response_type)},
        {"public-refresh-requires-client-id", "", "non-confidential refresh must send client_id (default off)",
         on_off(w.public_refresh_requires_client_id)},
        {"cc-refresh-token", "", "client credentials responses carry a refresh token (default on)",
         on_off(w.client_credentials_refresh_token)},
        {"device-url-aliases", "", "device responses also carry verification_url[_complete] (default off)",
         on_off(w.device_url_aliases)},
        {"invalid-client-status", "N", "HTTP status of invalid_client (default 401)",
         number(w.invalid_client_status, 400, 499)},
        {"cc-scope-error-status", "N", "HTTP status of client-credentials scope errors (default 402)",
         number(w.cc_scope_error_status, 400, 499)},
        {"device-error-status", "N", "HTTP status of authorization_pending/slow_down/... (default 400)",
         number(w.device_error_status, 400, 499)},
        {"unpermitted-scope-status", "N", "HTTP status of unpermitted_scope (default 403)",
         number(w.unpermitted_scope_status, 400, 499)},
        {"revoked-connection-event", "NAME", "event name for a revoked connection (default zaikio.revoked_connection)",
         text(w.revoked_connection_event)},
    };
}

std::string help_text(std::vector<Flag>& table) {
    std::string out =
        "hubsim — a local Zaikio Hub for development and tests\n\n"
        "usage: hubsim --app-secret SECRET [options]\n\n"
        "Prints 'hubsim listening on <url>' on stdout once it accepts connections; one line per request\n"
        "(no secrets) on stderr. SIGINT/SIGTERM stop it. Options (--name=value or --name value; switches\n"
        "take on/off, --no-name turns one off):\n\n";
    for (const auto& f : table) {
        std::string left = "  --" + f.name + (f.arg.empty() ? "" : " " + f.arg);
        if (left.size() < 34) left.resize(34, ' ');
        else left += "\n" + std::string(34, ' ');
        out += left + f.help + "\n";
    }
    return out;
}

// An error sentence, or nullopt; sets `help` for --help.
std::optional<std::string> parse_args(int argc, char** argv, Config& c, bool& help) {
    auto table = flags(c);
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            help = true;
            std::fputs(help_text(table).c_str(), stdout);
            return std::nullopt;
        }
        if (!a.starts_with("--")) return "unexpected argument " + std::string(a);
        a.remove_prefix(2);
        std::optional<std::string_view> value;
        if (const auto eq = a.find('='); eq != std::string_view::npos) {
            value = a.substr(eq + 1);
            a = a.substr(0, eq);
        }
        bool negated = false;
        auto flag = std::find_if(table.begin(), table.end(), [&](const Flag& f) { return f.name == a; });
        if (flag == table.end() && a.starts_with("no-")) {
            flag = std::find_if(table.begin(), table.end(),
                                [&](const Flag& f) { return f.arg.empty() && f.name == a.substr(3); });
            negated = true;
        }
        if (flag == table.end()) return "unknown option --" + std::string(a);
        if (flag->arg.empty()) {
            if (negated && value) return "--no-" + flag->name + " takes no value";
            value = negated ? "off" : value.value_or("on");
        } else if (!value) {
            if (i + 1 >= argc) return "--" + flag->name + " needs a value (" + flag->arg + ")";
            value = argv[++i];
        }
        if (auto problem = flag->set(*value)) return "--" + flag->name + " " + *problem;
    }
    return std::nullopt;
}

int fail(const std::string& message, int status = 2) {
    std::fprintf(stderr, "hubsim: %s\n", message.c_str());
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    Config config;
    bool help = false;
    if (auto problem = parse_args(argc, argv, config, help)) return fail(*problem + " (see hubsim --help)");
    if (help) return 0;
    if (config.app.secret.empty()) {
        if (const char* env = std::getenv("HUBSIM_APP_SECRET")) config.app.secret = env;
    }
    if (config.app.webhook_secret.empty()) {
        if (const char* env = std::getenv("HUBSIM_APP_WEBHOOK_SECRET")) config.app.webhook_secret = env;
    }
    if (config.tls && config.tls_cert_path.empty()) return fail("--tls needs --tls-cert FILE to write the certificate to");

    auto seed = config.seed_path.empty() ? builtin_seed(config.app) : load_seed_file(config.seed_path, config.app);
    if (!seed) return fail("refusing to start: " + seed.error());

    // Signals are handled by one thread with sigwait; every other thread inherits the block.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    KeyRing keys;
    Hub hub(std::move(seed->directory), config.lifetimes);
    std::optional<StateFile> state;
    if (!config.state_path.empty()) {
        state.emplace(config.state_path, hub, keys);
        if (auto problem = state->load()) return fail("refusing to start: " + *problem);
    }
    hub.with([&](Data& d) {
        std::vector<EventToSend> quiet;  // seeded connections existed "before" hubsim started
        for (const auto& c : seed->connections) connect(d, c.client_id, c.subject, c.scopes, c.installed_by, quiet);
    });

    Faults faults;
    RequestLog requests(config.request_log_capacity, config.control);
    Webhooks webhooks(config.webhooks);
    webhooks.start();
    std::optional<TlsIdentity> tls;
    if (config.tls) {
        tls.emplace(TlsIdentity::generate(config.tls_hostname));
        if (auto problem = tls->write_certificate(config.tls_cert_path)) return fail(*problem);
    }
    Services services{config, "", hub, keys, webhooks, faults, requests};
    HubServer server(services, tls ? &*tls : nullptr);
    const auto port = server.bind();
    if (!port) return fail("cannot listen on " + config.host + ":" + std::to_string(config.port), 1);
    services.base_url = config.public_url.empty()
                            ? std::string(config.tls ? "https" : "http") + "://" + config.host + ":" + std::to_string(*port)
                            : config.public_url;
    while (services.base_url.ends_with('/')) services.base_url.pop_back();
    if (state) state->start();

    std::thread signal_thread([&] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        server.stop();
    });
    const std::size_t people = hub.with([](Data& d) { return d.directory.people.size(); });
    const std::size_t organizations = hub.with([](Data& d) { return d.directory.organizations.size(); });
    std::fprintf(stderr, "hubsim: %zu people, %zu organisations; control API %s; state %s%s\n", people, organizations,
                 config.control ? "on" : "off", config.state_path.empty() ? "in memory" : config.state_path.c_str(),
                 config.tls ? ("; TLS certificate " + config.tls_cert_path).c_str() : "");
    std::printf("hubsim listening on %s\n", services.base_url.c_str());
    std::fflush(stdout);

    const bool ok = server.listen();
    pthread_kill(signal_thread.native_handle(), SIGTERM);  // wakes sigwait if listen ended by itself
    signal_thread.join();
    std::fprintf(stderr, "hubsim: stopped\n");
    return ok ? 0 : 1;
}
