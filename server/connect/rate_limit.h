// zai-connect — a per-session budget for requests that make zai-connect call the Hub (R55).
//
// Reading an organisation or uninstalling costs a Hub round trip on the organisation's token, so
// one browser must not be able to turn zai-connect into a load generator aimed at the Hub (and
// at the organisation's rate limit there). A token bucket per session: `per_minute` requests,
// refilled evenly, with a burst of as many. Requests answered from our own database are not
// counted. Limits are per process, like the Hub connections they protect.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace zai::connect {

class RateLimiter {
public:
    // per_minute 0 turns the limit off.
    explicit RateLimiter(int per_minute);

    // Spends one request of `key` at `now_ms` (a steady clock). 0 when allowed; otherwise the
    // whole seconds until the next one would be, for Retry-After.
    std::int64_t take(std::string_view key, std::int64_t now_ms);

private:
    struct Bucket {
        double tokens;
        std::int64_t at_ms;
    };
    // Buckets kept before full ones (idle sessions) are dropped: a full bucket is what a new key gets.
    static constexpr std::size_t prune_above = 4096;

    double refilled(const Bucket& b, std::int64_t now_ms) const;

    const double capacity_;
    const double per_ms_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace zai::connect
