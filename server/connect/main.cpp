// zai-connect — the backend's entry point.
//
//   zai-connect [flags]                    serve (see --help for every setting)
//   zai-connect end-sessions <person-id>   end all sessions of a person (admin, R44)
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "config.h"
#include "edge.h"
#include "grants.h"
#include "server.h"
#include "sqlite_store.h"
#include "vault.h"

extern char** environ;

namespace {

using namespace zai::connect;

std::vector<std::string> environment() {
    std::vector<std::string> vars;
    for (char** e = environ; *e != nullptr; ++e) vars.emplace_back(*e);
    return vars;
}

std::string database_path(const Config& c) { return (std::filesystem::path(c.data_dir) / "zai-connect.sqlite3").string(); }

// Waits for SIGINT or SIGTERM on its own thread (the signals are blocked everywhere else), then
// stops the server so that main can return normally.
void stop_on_signal(Server& server) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([set, &server]() mutable {
        int sig = 0;
        sigwait(&set, &sig);
        log_line("zai-connect stopping (signal " + std::to_string(sig) + ")");
        server.stop();
    }).detach();
}

// Removes ended sessions and stale transactions once a minute, until destroyed.
class Purger {
public:
    Purger(Store& store, const Config& c) : thread_([this, &store, &c] { loop(store, c); }) {}
    ~Purger() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        cv_.notify_one();
        thread_.join();
    }

private:
    void loop(Store& store, const Config& c) {
        std::unique_lock lock(mutex_);
        while (!cv_.wait_for(lock, std::chrono::seconds(60), [this] { return stopping_; })) {
            const std::int64_t now = unix_now();
            try {
                store.purge(now, now - c.session_idle_seconds, now - c.transaction_seconds);
            } catch (const std::exception& e) {
                log_line(std::string("purge failed: ") + e.what());
            }
        }
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;  // last: starts after the members it uses
};

int run(const std::vector<std::string>& args) {
    const bool end_sessions = !args.empty() && args.front() == "end-sessions";
    const std::vector<std::string> flags(args.begin() + (end_sessions ? 2 : 0), args.end());
    if (end_sessions && args.size() < 2) {
        std::cerr << "usage: zai-connect end-sessions <person-id> [flags]\n";
        return 2;
    }

    auto config = load_config(flags, environment());
    if (!config) {
        std::cerr << "zai-connect: " << config.error().detail << "\n";
        return 2;
    }
    if (auto problem = validate(*config)) {
        std::cerr << "zai-connect: refusing to start: " << problem->detail << "\n";
        return 2;
    }
    auto vault = load_vault(*config);
    if (!vault) {
        std::cerr << "zai-connect: " << vault.error().detail << "\n";
        return 2;
    }
    std::filesystem::create_directories(config->data_dir);
    SqliteStore store(database_path(*config), *vault);

    if (end_sessions) {
        const int ended = store.delete_sessions_of_person(args[1]);
        std::cout << "ended " << ended << " session(s)\n";
        return 0;
    }

    std::cerr << "zai-connect configuration:\n" << describe(*config);
    Server server(*config, store);
    const int port = server.bind();
    if (port < 0) {
        std::cerr << "zai-connect: cannot listen on " << config->listen_host << ":" << config->listen_port << "\n";
        return 1;
    }
    stop_on_signal(server);
    const Purger purger(store, *config);
    const bool tls = !config->tls_cert_file.empty();
    std::cout << "zai-connect listening on " << (tls ? "https" : "http") << "://" << config->listen_host << ":" << port
              << std::endl;
    return server.run() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    for (const auto& a : args) {
        if (a == "--help" || a == "-h") {
            std::cout << help_text();
            return 0;
        }
    }
    try {
        return run(args);
    } catch (const std::exception& e) {
        std::cerr << "zai-connect: " << e.what() << "\n";
        return 1;
    }
}
