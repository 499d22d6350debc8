// zai-connect — the HTTP server: every route, and which handler serves it.
//
//   GET  /, /organizations/<id>, dashboard files   StaticFiles (SPA fallback for dashboard routes)
//   GET  /login, /install, /oauth/zaikio/callback  Flows
//   POST /logout                                   Flows (GET answers 405: a cross-site link does nothing)
//   GET  /api/session, /api/organizations/<id>     DashboardApi   (all /api/* need X-CSRF: 1)
//   POST /api/organizations/<id>/uninstall         DashboardApi
//   POST /webhooks/zaikio                          Webhooks
//   GET  /healthz, /readyz, /metrics               here
//
// Every response gets the security headers and a request id; one access-log line per request
// (method, path without query, status, time — never a query string, token or cookie).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "config.h"
#include "dashboard_api.h"
#include "flows.h"
#include "grants.h"
#include "hub_client.h"
#include "jwks.h"
#include "metrics.h"
#include "sessions.h"
#include "static_files.h"
#include "store.h"
#include "webhooks.h"
#include "httplib_fwd.h"

namespace zai::connect {

class Server {
public:
    Server(const Config& config, Store& store);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the configured address; returns the port (useful with port 0), or -1.
    int bind();
    // Serves until stop(); returns false if the server failed.
    bool run();
    void stop();

    Metrics& metrics() { return metrics_; }

private:
    void add_routes();
    bool hub_ready();

    const Config& config_;
    Store& store_;
    Metrics metrics_;
    HubClient hub_;
    AccessTokenChecker checker_;
    Grants grants_;
    Sessions sessions_;
    Flows flows_;
    DashboardApi api_;
    Webhooks webhooks_;
    StaticFiles static_files_;
    std::unique_ptr<httplib::Server> http_;
    int listen_fd_ = -1;  // the bound socket, to widen its backlog (listen.h)

    std::mutex ready_mutex_;
    std::int64_t ready_checked_ms_ = 0;
    bool hub_ready_ = false;
};

}  // namespace zai::connect
