// Timing rules with a moved clock: refresh windows (R29), session timeouts (R41), per-session
// budgets of Hub-backed requests (R55).
#include <doctest/doctest.h>

#include "policy.h"
#include "rate_limit.h"

using namespace zai::connect;

TEST_CASE("R29 refresh happens margin seconds before expiry, never after it") {
    const std::int64_t issued = 1'000'000, lifetime = 3600, expires = issued + lifetime, margin = 60;
    CHECK_FALSE(needs_refresh(expires, lifetime, margin, issued));
    CHECK_FALSE(needs_refresh(expires, lifetime, margin, expires - margin - 1));
    CHECK(needs_refresh(expires, lifetime, margin, expires - margin));
    CHECK(needs_refresh(expires, lifetime, margin, expires - 1));
    CHECK(needs_refresh(expires, lifetime, margin, expires));
    CHECK(needs_refresh(expires, lifetime, margin, expires + 3600));
}

TEST_CASE("R29 the margin is capped at half a short token's life, so it is not refreshed in a loop") {
    const std::int64_t issued = 1'000'000, lifetime = 4, expires = issued + lifetime, margin = 60;
    CHECK_FALSE(needs_refresh(expires, lifetime, margin, issued));
    CHECK_FALSE(needs_refresh(expires, lifetime, margin, issued + 1));
    CHECK(needs_refresh(expires, lifetime, margin, issued + 2));
    SUBCASE("a zero or odd lifetime still refreshes at expiry") {
        CHECK(needs_refresh(issued, 0, margin, issued));
        CHECK_FALSE(needs_refresh(issued + 10, -5, margin, issued));
        CHECK(needs_refresh(issued + 10, -5, margin, issued + 10));
    }
    SUBCASE("a negative margin is no margin, not an extension") {
        CHECK_FALSE(needs_refresh(expires, lifetime, -100, expires - 1));
        CHECK(needs_refresh(expires, lifetime, -100, expires));
    }
}

TEST_CASE("R41 idle timeout, activity, and the absolute end") {
    const std::int64_t idle = 7200, start = 1'000'000;
    SessionClock s{start, start + 86400};
    CHECK(session_seconds_left(s, idle, start) == idle);
    CHECK(session_seconds_left(s, idle, start + idle - 1) == 1);
    CHECK(session_seconds_left(s, idle, start + idle) <= 0);
    SUBCASE("activity before the idle end keeps it alive") {
        s.last_seen_at = start + idle - 10;
        CHECK(session_seconds_left(s, idle, start + idle + 100) > 0);
    }
    SUBCASE("the absolute end wins regardless of activity") {
        s.last_seen_at = start + 86400 - 5;
        CHECK(session_seconds_left(s, idle, start + 86400 - 5) == 5);
        CHECK(session_seconds_left(s, idle, start + 86400) <= 0);
    }
}

TEST_CASE("R41 last_seen is written at most once a minute, and often enough for a short idle timeout") {
    const std::int64_t hours = 7200;
    CHECK_FALSE(should_touch(1000, 1000, hours));
    CHECK_FALSE(should_touch(1000, 1059, hours));
    CHECK(should_touch(1000, 1060, hours));
    // 8 s idle: sampled every 2 s, so a request every 2 s keeps the session alive.
    CHECK_FALSE(should_touch(1000, 1001, 8));
    CHECK(should_touch(1000, 1002, 8));
    CHECK(should_touch(1000, 1001, 2));
}

TEST_CASE("R55 a session's budget of Hub-backed requests: a burst, then an even refill") {
    RateLimiter limiter(60);  // one a second, 60 at once
    const std::int64_t t0 = 5'000'000;
    for (int i = 0; i < 60; ++i) REQUIRE(limiter.take("a", t0) == 0);
    CHECK(limiter.take("a", t0) == 1);             // retry after one second
    CHECK(limiter.take("b", t0) == 0);             // another session has its own budget
    CHECK(limiter.take("a", t0 + 999) == 1);
    CHECK(limiter.take("a", t0 + 1000) == 0);      // refilled by one
    CHECK(limiter.take("a", t0 + 1000) == 1);
    CHECK(limiter.take("a", t0 + 120'000) == 0);   // idle: full again, never above the burst
    for (int i = 1; i < 60; ++i) REQUIRE(limiter.take("a", t0 + 120'000) == 0);
    CHECK(limiter.take("a", t0 + 120'000) == 1);
}

TEST_CASE("R55 a budget of 0 is no limit") {
    RateLimiter limiter(0);
    for (int i = 0; i < 1000; ++i) REQUIRE(limiter.take("a", 0) == 0);
}
