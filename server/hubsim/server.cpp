// hubsim — routes, request wrapper, access log (see server.h).
#include "server.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "api.h"
#include "control.h"
#include "faults.h"
#include "http.h"
#include "listen.h"
#include "oauth.h"
#include "request_log.h"
#include "state.h"
#include "tls.h"

namespace zai::hubsim {
namespace {

using Clock = std::chrono::steady_clock;

// What the access logger needs from the handler that ran on this worker thread; the logger
// runs on the same thread right after the response is written.
struct ThreadRequest {
    Clock::time_point start;
    RequestNote note;
};
thread_local ThreadRequest current;

// Shuts down every accepted connection of ours: sockets whose local port is the one we listen on.
void shut_down_connections(int port) {
    DIR* dir = opendir("/proc/self/fd");
    if (!dir) return;
    while (const dirent* entry = readdir(dir)) {
        const int fd = std::atoi(entry->d_name);
        if (fd <= 2 || fd == dirfd(dir)) continue;
        sockaddr_storage local{};
        socklen_t len = sizeof local;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) continue;
        int local_port = -1;
        if (local.ss_family == AF_INET) local_port = ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
        if (local.ss_family == AF_INET6) local_port = ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
        sockaddr_storage peer{};
        socklen_t peer_len = sizeof peer;
        if (local_port == port && getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) == 0) {
            ::shutdown(fd, SHUT_RDWR);
        }
    }
    closedir(dir);
}

std::string json_errors(const std::vector<std::string>& errors) { return nlohmann::json{{"errors", errors}}.dump(); }

bool is_control(std::string_view path) { return path.starts_with("/__hubsim"); }

// Ends the response half-way through its body, then closes the connection.
void drop_mid_body(httplib::Response& res) {
    auto body = std::make_shared<std::string>(std::move(res.body));
    if (body->empty()) *body = "{}";
    res.body.clear();
    const std::string type = res.get_header_value("Content-Type");
    res.headers.erase("Content-Type");
    res.set_content_provider(body->size(), type, [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
        if (offset == 0) sink.write(body->data(), body->size() / 2);
        return false;
    });
}

}  // namespace

void note_params(RequestNote& note, const QueryParams& params) {
    for (const auto& [name, value] : params) {
        if (std::find(note.params.begin(), note.params.end(), name) == note.params.end()) note.params.push_back(name);
        // Only values that are never secret are kept.
        if (name == "client_id" && note.client_id.empty()) note.client_id = value;
        if (name == "grant_type" && note.grant_type.empty()) note.grant_type = value;
        if (name == "redirect_uri" && note.redirect_uri.empty()) note.redirect_uri = value;
        if (name == "scope" && note.scope.empty()) note.scope = value;
        if (name == "code_challenge_method" && note.code_challenge_method.empty()) note.code_challenge_method = value;
    }
    std::sort(note.params.begin(), note.params.end());
}

void send_json(httplib::Response& res, int status, std::string body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(std::move(body), "application/json; charset=utf-8");
}

void send_html(httplib::Response& res, int status, std::string html) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:");
    res.set_content(std::move(html), "text/html; charset=utf-8");
}

void send_redirect(httplib::Response& res, const std::string& location, int status) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Location", location);
}

void send_errors(httplib::Response& res, int status, const std::vector<std::string>& errors) {
    send_json(res, status, json_errors(errors));
}

std::string param(const QueryParams& params, std::string_view name) { return query_value(params, name).value_or(""); }

HubServer::HubServer(Services& services, const TlsIdentity* tls) : s_(services) {
    if (tls) server_ = std::make_unique<httplib::SSLServer>(tls->certificate(), tls->key());
    else server_ = std::make_unique<httplib::Server>();
    const Config& c = s_.config;
    const int threads = c.threads;
    server_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    server_->set_tcp_nodelay(true);
    record_listen_socket(*server_, &listen_fd_);
    server_->set_payload_max_length(c.max_body_bytes);
    server_->set_read_timeout(c.read_timeout_seconds, 0);
    server_->set_write_timeout(c.write_timeout_seconds, 0);
    server_->set_keep_alive_timeout(c.keep_alive_seconds);
    server_->set_keep_alive_max_count(static_cast<std::size_t>(c.keep_alive_max_requests));

    server_->set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
        current = ThreadRequest{Clock::now(), {}};
        return httplib::Server::HandlerResponse::Unhandled;
    });
    // Requests no route took (404, 405, 413 ...) get the API's error shape.
    server_->set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty() || res.has_header("Location")) return httplib::Server::HandlerResponse::Unhandled;
        const std::string id = res.status == 404 ? "not_found"
                               : res.status == 413 ? "payload_too_large"
                                                   : "bad_request";
        res.set_content(json_errors({id}), "application/json; charset=utf-8");
        return httplib::Server::HandlerResponse::Handled;
    }));
    server_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        const double ms = current.start == Clock::time_point{}
                              ? 0.0
                              : std::chrono::duration<double, std::milli>(Clock::now() - current.start).count();
        const RequestNote note = std::move(current.note);
        current = ThreadRequest{};
        const std::string path(path_without_query(req.target));
        if (s_.config.log_requests) {
            const std::string line =
                format_request_log({req.method, path, res.status, ms, note.grant_type, note.client_id});
            std::fprintf(stderr, "hubsim: %s\n", line.c_str());
        }
        if (is_control(path)) return;
        RequestLogEntry e;
        e.time_ms = unix_now_ms();
        e.method = req.method;
        e.path = path;
        e.status = res.status;
        e.duration_ms = ms;
        e.note = note;
        s_.requests.record(std::move(e));
    });
    add_routes();
}

HubServer::~HubServer() = default;

std::optional<int> HubServer::bind() {
    const Config& c = s_.config;
    if (c.port == 0) port_ = server_->bind_to_any_port(c.host);
    else port_ = server_->bind_to_port(c.host, c.port) ? c.port : -1;
    if (port_ > 0) widen_backlog(listen_fd_);
    return port_ > 0 ? std::optional<int>(port_) : std::nullopt;
}

bool HubServer::listen() { return server_->listen_after_bind(); }

void HubServer::stop() {
    server_->stop();
    shut_down_connections(port_);
}

void HubServer::add_routes() {
    httplib::Server& srv = *server_;
    // Every route but the control API runs through the fault injector.
    auto wrap = [this](Handler h, bool faults) {
        return [this, h, faults](const httplib::Request& req, httplib::Response& res) {
            RequestNote note;
            std::vector<Fault> fired;
            if (faults) {
                if (req.path.starts_with("/oauth/access_token")) {
                    if (const auto p = request_params(req.get_header_value("Content-Type"), req.body, req.target)) {
                        note.grant_type = param(*p, "grant_type");
                    }
                }
                fired = s_.faults.fire(req.path, note.grant_type);
            }
            const auto has = [&](FaultKind k) {
                return std::find_if(fired.begin(), fired.end(), [k](const Fault& f) { return f.kind == k; });
            };
            if (const auto f = has(FaultKind::latency); f != fired.end()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(f->latency_ms));
            }
            if (const auto f = has(FaultKind::status); f != fired.end()) {
                send_errors(res, f->status, {"injected_fault"});
            } else {
                note.wrong_bearer = has(FaultKind::wrong_bearer) != fired.end();
                h(s_, req, res, note);
                if (has(FaultKind::malformed_json) != fired.end()) {
                    res.body = res.body.size() < 2 ? "{" : res.body.substr(0, res.body.size() / 2);
                }
                if (has(FaultKind::drop) != fired.end()) drop_mid_body(res);
            }
            current.note = std::move(note);
        };
    };
    const auto get = [&](const char* pattern, Handler h) { srv.Get(pattern, wrap(h, true)); };
    const auto post = [&](const char* pattern, Handler h) { srv.Post(pattern, wrap(h, true)); };

    // Pages and OAuth (oauth.h)
    get("/", oauth::home);
    get("/oauth/authorize", oauth::authorize);
    get("/oauth/authorize/continue", oauth::authorize_continue);
    post("/oauth/authorize/sign_in", oauth::sign_in);
    post("/oauth/authorize/organization", oauth::choose_organization);
    post("/oauth/authorize/consent", oauth::consent);
    post("/oauth/sign_out", oauth::sign_out);
    post(R"(/oauth/access_token(\.json)?)", oauth::token);
    post(R"(/oauth/device_authorizations/authorize(\.json)?)", oauth::device_authorization);
    get("/oauth/device", oauth::device_page);

    // REST API (api.h)
    get(R"(/api/v1/person(\.json)?)", api::person);
    get(R"(/api/v1/person/organization_memberships(\.json)?)", api::person_memberships);
    get(R"(/api/v1/organization(\.json)?)", api::organization);
    get(R"(/api/v1/organization/memberships(\.json)?)", api::organization_memberships);
    get(R"(/api/v1/roles(\.json)?)", api::roles);
    get(R"(/api/v1/connections(\.json)?)", api::connections);
    get(R"(/api/v1/revoked_access_tokens(\.json)?)", api::revoked_tokens);
    post(R"(/api/v1/revoked_access_tokens(\.json)?)", api::revoke_token);
    get(R"(/api/v1/jwt_public_keys(\.json)?)", api::jwt_public_keys);

    if (!s_.config.control) return;
    // Control API (control.h)
    srv.Get("/__hubsim/?", wrap(control::index, false));
    srv.Get("/__hubsim/requests", wrap(control::requests, false));
    srv.Post("/__hubsim/requests/reset", wrap(control::requests_reset, false));
    srv.Get("/__hubsim/issued", wrap(control::issued, false));
    srv.Get("/__hubsim/webhooks", wrap(control::webhooks, false));
    srv.Post("/__hubsim/webhooks/reset", wrap(control::webhooks_reset, false));
    srv.Get("/__hubsim/faults", wrap(control::faults, false));
    srv.Post("/__hubsim/faults", wrap(control::fault_add, false));
    srv.Delete("/__hubsim/faults/(f[0-9]+)", wrap(control::fault_remove, false));
    srv.Post("/__hubsim/faults/reset", wrap(control::faults_reset, false));
    srv.Get("/__hubsim/lifetimes", wrap(control::lifetimes, false));
    srv.Post("/__hubsim/lifetimes", wrap(control::lifetimes_set, false));
    srv.Post("/__hubsim/keys/rotate", wrap(control::rotate_keys, false));
    srv.Get("/__hubsim/connections", wrap(control::connections, false));
    srv.Post("/__hubsim/connections/revoke", wrap(control::revoke_connection, false));
    srv.Post("/__hubsim/memberships/roles", wrap(control::set_roles, false));
    srv.Post("/__hubsim/memberships/remove", wrap(control::remove_member, false));
}

}  // namespace zai::hubsim
