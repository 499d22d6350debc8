// zai-connect — timing rules, as pure functions of "now" so tests can move the clock.
#pragma once

#include <cstdint>

namespace zai::connect {

// Refresh once the token expires within `margin` seconds. The margin is subtracted from the
// expiry (never added) and capped at half the token's lifetime, so a token that lives shorter
// than the margin is still used for a while instead of being refreshed in a loop (R29).
// `lifetime` is the token's expires_in at issue.
bool needs_refresh(std::int64_t expires_at, std::int64_t lifetime, std::int64_t margin, std::int64_t now);

struct SessionClock {
    std::int64_t last_seen_at = 0;
    std::int64_t absolute_expires_at = 0;
};

// Seconds until the session ends: idle timeout or absolute end, whichever comes first; ≤ 0 means
// it has ended (R41).
std::int64_t session_seconds_left(const SessionClock& s, std::int64_t idle_seconds, std::int64_t now);

// Writing last_seen on every request would make every API call a database write; once a minute
// is precise enough for timeouts measured in hours. A short idle timeout is sampled at a quarter
// of its length instead, or activity would go unrecorded and the session would end while in use.
inline constexpr std::int64_t touch_interval_seconds = 60;
bool should_touch(std::int64_t last_seen_at, std::int64_t now, std::int64_t idle_seconds);

}  // namespace zai::connect
