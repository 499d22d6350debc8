// hubsim — injected faults, per endpoint, for tests of how clients cope (control API).
//
//   latency         sleep latency_ms before handling
//   status          answer `status` (e.g. 500, 503, 429) without handling; JSON {"errors":["injected_fault"]}
//   malformed_json  handle, then send only the first half of the body (not valid JSON)
//   drop            handle, then close the connection half-way through the body (a content
//                   provider that returns false aborts the response in cpp-httplib 0.11.4)
//   wrong_bearer    token endpoint only: the response's `bearer.id` is a random UUID (the JWT
//                   still names the real subject), to test clients' bearer checks
//
// A fault matches a request when `path` equals the request path (".json" ignored) or, ending in
// '/', is a prefix of it; `grant_type` (optional) narrows token-endpoint faults to one grant.
// It fires with `probability` (0..1, default 1) and at most `count` times (0 = no limit).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace zai::hubsim {

enum class FaultKind { latency, status, malformed_json, drop, wrong_bearer };
std::string_view fault_kind_name(FaultKind k);
std::optional<FaultKind> parse_fault_kind(std::string_view name);

struct Fault {
    std::string id;  // assigned by Faults::add
    FaultKind kind = FaultKind::status;
    std::string path;
    std::string grant_type;
    int latency_ms = 0;
    int status = 503;
    double probability = 1.0;
    int count = 0;   // 0: no limit
    int fired = 0;
};

class Faults {
public:
    Faults();
    std::string add(Fault f);  // returns its id
    bool remove(std::string_view id);
    void clear();
    std::vector<Fault> list() const;
    // The faults that fire for this request now (their counters move).
    std::vector<Fault> fire(std::string_view path, std::string_view grant_type);

private:
    mutable std::mutex mutex_;
    std::vector<Fault> faults_;
    std::mt19937_64 random_;
    int next_id_ = 1;
};

}  // namespace zai::hubsim
