// zai-connect — the HTTP server and its routes.
#include "server.h"

#include <chrono>
#include <exception>

#include <httplib.h>

#include "crypto.h"
#include "edge.h"
#include "listen.h"

namespace zai::connect {
namespace {

using SteadyClock = std::chrono::steady_clock;

// The request's start and id, kept per worker thread: each request runs on one thread.
thread_local SteadyClock::time_point request_started;
thread_local std::string request_id;

constexpr std::int64_t hub_ready_cache_ms = 5000;

}  // namespace

Server::Server(const Config& config, Store& store)
    : config_(config),
      store_(store),
      hub_(config),
      checker_(hub_, config),
      grants_(store, hub_, checker_, config, metrics_),
      sessions_(store, grants_, hub_, config, metrics_),
      flows_(store, sessions_, grants_, hub_, config, metrics_),
      api_(store, sessions_, grants_, hub_, metrics_, config),
      webhooks_(store, config, metrics_),
      static_files_(config.static_dir) {
    if (!config.tls_cert_file.empty()) {
        http_ = std::make_unique<httplib::SSLServer>(config.tls_cert_file.c_str(), config.tls_key_file.c_str());
    } else {
        http_ = std::make_unique<httplib::Server>();
    }
    add_routes();
}

Server::~Server() = default;

int Server::bind() {
    const char* host = config_.listen_host.c_str();
    int port = config_.listen_port;
    if (port == 0) port = http_->bind_to_any_port(host);
    else if (!http_->bind_to_port(host, port)) port = -1;
    if (port > 0) widen_backlog(listen_fd_);
    return port;
}

bool Server::run() { return http_->listen_after_bind(); }

void Server::stop() { http_->stop(); }

bool Server::hub_ready() {
    std::lock_guard lock(ready_mutex_);
    const std::int64_t now = unix_now_ms();
    if (now - ready_checked_ms_ >= hub_ready_cache_ms) {
        hub_ready_ = hub_.jwks().has_value();
        ready_checked_ms_ = now;
    }
    return hub_ready_;
}

void Server::add_routes() {
    auto& s = *http_;
    const int threads = config_.threads;
    s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    s.set_tcp_nodelay(true);  // toolchain.md: without it, two-part responses stall ~40 ms
    record_listen_socket(s, &listen_fd_);
    s.set_keep_alive_max_count(100);
    s.set_keep_alive_timeout(config_.keep_alive_seconds);
    s.set_read_timeout(5, 0);
    s.set_write_timeout(5, 0);
    s.set_payload_max_length(config_.max_body_bytes);

    const bool https = !config_.tls_cert_file.empty() || config_.public_url.starts_with("https://");
    // PUBLIC_URL is an origin (config.cpp checks it), which is what browsers send as Origin.
    std::string public_origin = config_.public_url;
    if (public_origin.ends_with('/')) public_origin.pop_back();
    s.set_pre_routing_handler([https, public_origin](const httplib::Request& req, httplib::Response& res) {
        request_started = SteadyClock::now();
        request_id = random_hex(8);
        res.set_header("X-Request-Id", request_id);
        set_security_headers(res, https);
        hide_accept_encoding(req);
        // Defence in depth (R48): browsers label cross-site requests and name their origin; no
        // request from another site may change state, even one that got past the API header.
        if (req.method != "GET" && req.method != "HEAD" && !req.path.starts_with("/webhooks/") &&
            (req.get_header_value("Sec-Fetch-Site") == "cross-site" ||
             (req.has_header("Origin") && req.get_header_value("Origin") != public_origin))) {
            send_error(res, Errc::forbidden, "cross-site request");
            return httplib::Server::HandlerResponse::Handled;
        }
        if (req.path.starts_with("/api/") && !has_api_header(req)) {
            send_error(res, Errc::csrf_header_missing);  // before any session or token is looked at (R46)
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });

    s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        const auto micros =
            std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - request_started).count();
        metrics_.count("zai_http_responses_total", "class=\"" + std::to_string(res.status / 100) + "xx\"");
        log_line("access " + request_id + " " + client_address(req, config_) + " " + req.method + " " +
                 req.path.substr(0, 200) + " " + std::to_string(res.status) + " " + std::to_string(micros) + "us");
    });

    s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            log_line(std::string("error ") + request_id + ": " + e.what());
        } catch (...) {
            log_line("error " + request_id + ": unknown exception");
        }
        send_error(res, Errc::internal);
    });

    s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;  // a handler already wrote its own error
        const Errc code = res.status == 413 ? Errc::payload_too_large
                        : res.status == 405 ? Errc::bad_request
                        : res.status == 404 ? Errc::not_found
                                            : Errc::bad_request;
        const int status = res.status;
        if (req.path.starts_with("/api/") || req.path.starts_with("/webhooks/")) {
            send_error(res, code);
        } else {
            send_error_page(res, code);
        }
        res.status = status;
    });

    s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { send_json(res, 200, R"({"status":"ok"})"); });
    s.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
        const bool db = store_.ready();
        const bool hub = hub_ready();
        send_json(res, db && hub ? 200 : 503,
                  std::string(R"({"database":)") + (db ? "true" : "false") + R"(,"hub":)" + (hub ? "true" : "false") + "}");
    });
    s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        set_no_store(res);
        res.set_content(metrics_.prometheus_text(), "text/plain; version=0.0.4");
    });

    s.Get("/login", [this](const httplib::Request& req, httplib::Response& res) { flows_.login(req, res); });
    s.Get("/install", [this](const httplib::Request& req, httplib::Response& res) { flows_.install(req, res); });
    s.Get("/oauth/zaikio/callback",
          [this](const httplib::Request& req, httplib::Response& res) { flows_.callback(req, res); });
    s.Post("/logout", [this](const httplib::Request& req, httplib::Response& res) { flows_.logout(req, res); });
    s.Get("/logout", [](const httplib::Request&, httplib::Response& res) {
        res.set_header("Allow", "POST");
        send_error_page(res, Errc::bad_request, "Sign out from the dashboard.");
        res.status = 405;
    });

    s.Get("/api/session", [this](const httplib::Request& req, httplib::Response& res) { api_.session(req, res); });
    s.Get(R"(/api/organizations/([0-9a-f-]{36}))",
          [this](const httplib::Request& req, httplib::Response& res) { api_.organization(req, res); });
    s.Post(R"(/api/organizations/([0-9a-f-]{36})/uninstall)",
           [this](const httplib::Request& req, httplib::Response& res) { api_.uninstall(req, res); });

    s.Post("/webhooks/zaikio", [this](const httplib::Request& req, httplib::Response& res) { webhooks_.receive(req, res); });

    s.Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
        if (!static_files_.serve(req, res)) res.status = 404;
    });
}

}  // namespace zai::connect
