// Frames only when needed: the pacer's rules (what the browser test measures end to end).
#include <doctest/doctest.h>

#include "runtime.h"

using zai::web::FramePacer;

namespace {

// How many frames a pacer asks for before it goes idle (capped, so a bug cannot hang the test).
int frames_until_idle(FramePacer& p, bool animating = false) {
    int n = 0;
    while (p.due() && n < 100) {
        p.drawn(animating);
        ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("the pacer is idle until woken, then draws the event's frame and the settle frames") {
    FramePacer p;
    CHECK_FALSE(p.due());
    p.wake();
    CHECK(p.due());
    CHECK(frames_until_idle(p) == 1 + FramePacer::settle_frames);
    CHECK_FALSE(p.due());

    SUBCASE("a second event restarts the settle frames, never shortens them") {
        p.wake();
        p.drawn(false);
        p.wake();
        CHECK(frames_until_idle(p) == 1 + FramePacer::settle_frames);
    }
    SUBCASE("events while frames are due do not add up") {
        p.wake();
        p.wake();
        p.wake();
        CHECK(frames_until_idle(p) == 1 + FramePacer::settle_frames);
    }
}

TEST_CASE("an animation keeps frames coming, and they stop when it ends") {
    FramePacer p;
    p.wake();
    CHECK(frames_until_idle(p, true) == 100);  // capped: it would go on forever
    CHECK(p.due());
    p.drawn(false);  // the frame where the animation is no longer drawn
    CHECK_FALSE(p.due());
}
