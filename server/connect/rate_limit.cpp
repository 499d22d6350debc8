// zai-connect — per-session budget for Hub-backed requests (see rate_limit.h).
#include "rate_limit.h"

#include <algorithm>
#include <cmath>

namespace zai::connect {

RateLimiter::RateLimiter(int per_minute) : capacity_(per_minute), per_ms_(per_minute / 60000.0) {}

double RateLimiter::refilled(const Bucket& b, std::int64_t now_ms) const {
    return std::min(capacity_, b.tokens + static_cast<double>(std::max<std::int64_t>(0, now_ms - b.at_ms)) * per_ms_);
}

std::int64_t RateLimiter::take(std::string_view key, std::int64_t now_ms) {
    if (capacity_ <= 0) return 0;
    std::lock_guard lock(mutex_);
    if (buckets_.size() > prune_above) {
        std::erase_if(buckets_, [&](const auto& kv) { return refilled(kv.second, now_ms) >= capacity_; });
    }
    Bucket& b = buckets_.try_emplace(std::string(key), Bucket{capacity_, now_ms}).first->second;
    b.tokens = refilled(b, now_ms);
    b.at_ms = now_ms;
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
    }
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1 - b.tokens) / per_ms_ / 1000)));
}

}  // namespace zai::connect
