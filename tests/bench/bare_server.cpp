// The benchmark's reference: a bare cpp-httplib server that answers fixed paths with fixed bytes,
// configured like zai-connect (TCP_NODELAY, the same worker pool and keep-alive settings), so the
// difference between the two in one run is what zai-connect's own work costs.
//
//   bench_bare_server --threads 64 --route /api/session session.json application/json
//       --route /healthz healthz.json application/json ...
// Prints "bare listening on http://127.0.0.1:PORT" and serves until SIGTERM.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

int main(int argc, char** argv) {
    httplib::Server server;
    int threads = 64;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            if (a == "--threads" && i + 1 < argc) {
                threads = std::stoi(argv[++i]);
            } else if (a == "--route" && i + 3 < argc) {
                const std::string path = argv[++i];
                const std::string body = read_file(argv[++i]);
                const std::string type = argv[++i];
                server.Get(path, [body, type](const httplib::Request&, httplib::Response& res) {
                    res.set_content(body, type.c_str());
                });
            } else {
                std::cerr << "usage: bench_bare_server [--threads N] (--route PATH FILE TYPE)...\n";
                return 2;
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "bench_bare_server: " << e.what() << "\n";
        return 2;
    }
    server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    server.set_tcp_nodelay(true);
    server.set_keep_alive_max_count(100);
    server.set_keep_alive_timeout(5);

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    const int port = server.bind_to_any_port("127.0.0.1");
    if (port <= 0) return 1;
    std::thread([&] {
        int sig = 0;
        sigwait(&stop, &sig);
        server.stop();
    }).detach();
    std::printf("bare listening on http://127.0.0.1:%d\n", port);
    std::fflush(stdout);
    return server.listen_after_bind() ? 0 : 1;
}
