// hubsim — the HTTP server: every route and the handler serving it (server.cpp's table), the
// per-request wrapper (faults, request note), the access log, and cpp-httplib's settings.
//
// cpp-httplib 0.11.4 details that matter here (performance.md B.2): TCP_NODELAY is on (headers
// and body are separate writes), the worker pool has `threads` workers and each keep-alive
// connection holds one, bodies are capped at `max_body_bytes`.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "context.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace zai::hubsim {

class TlsIdentity;

class HubServer {
public:
    // `tls` non-null: HTTPS with that certificate.
    HubServer(Services& services, const TlsIdentity* tls);
    ~HubServer();

    // Binds config.host:config.port (port 0: any free port). Returns the port, or nullopt.
    std::optional<int> bind();
    bool listen();  // serves until stop()
    // From any thread (the signal thread). Also ends open keep-alive connections: cpp-httplib
    // 0.11.4 would otherwise let each idle one wait out its keep-alive timeout before listen()
    // returns.
    void stop();

private:
    void add_routes();

    Services& s_;
    int port_ = 0;
    int listen_fd_ = -1;  // the bound socket, to widen its backlog (listen.h)
    std::unique_ptr<httplib::Server> server_;
};

}  // namespace zai::hubsim
