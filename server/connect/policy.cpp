// zai-connect — timing rules.
#include "policy.h"

#include <algorithm>

namespace zai::connect {

bool needs_refresh(std::int64_t expires_at, std::int64_t lifetime, std::int64_t margin, std::int64_t now) {
    const std::int64_t effective_margin = std::clamp<std::int64_t>(margin, 0, std::max<std::int64_t>(lifetime, 0) / 2);
    return now >= expires_at - effective_margin;
}

std::int64_t session_seconds_left(const SessionClock& s, std::int64_t idle_seconds, std::int64_t now) {
    return std::min(s.absolute_expires_at, s.last_seen_at + idle_seconds) - now;
}

bool should_touch(std::int64_t last_seen_at, std::int64_t now, std::int64_t idle_seconds) {
    return now - last_seen_at >= std::clamp<std::int64_t>(idle_seconds / 4, 1, touch_interval_seconds);
}

}  // namespace zai::connect
