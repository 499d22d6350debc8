// zai-connect dashboard — what the views may ask of the platform they run on.
//
// Two implementations, and CMake links exactly one (web/CMakeLists.txt):
//   platform_web.cpp       the browser: Emscripten GLFW + WebGL2 through the ImGui backends, fetch,
//                          History API, clipboard, the DOM accessibility mirror (every JS bridge)
//   platform_headless.cpp  no window, no GPU: requests, history and clipboard are recorded for
//                          tests, which answer them and drive input (platform_headless.h)
//
// Threading: everything runs on the one main thread. Callbacks (HTTP completion, clipboard, back
// and forward) run between frames, never inside one, and a frame always follows them.
//
// Frames are drawn only when needed (input, a completed request, a resize, an animation, plus
// FramePacer::settle_frames more); a view that changes state outside those calls wake().
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace zai::web {

class Ui;

inline constexpr int http_timeout_ms = 30000;

enum class HttpMethod { get, post };

struct HttpResponse {
    int status = 0;    // the HTTP status; 0 when no answer arrived (network error, offline)
    std::string body;  // as received (JSON for the API, whatever a proxy sent otherwise)
};

using HttpCallback = std::function<void(const HttpResponse&)>;

class Platform {
public:
    virtual ~Platform() = default;

    // Runs the dashboard; `frame` builds one frame of UI. Browser: starts the event-driven loop
    // and never returns to the caller. Headless: draws until no frame is due (at most
    // max_frames) and returns 0.
    virtual int run(std::function<void(Ui&)> frame) = 0;

    // ---- HTTP: JSON to and from the backend -------------------------------------------------
    // `path` must be a same-origin path ("/api/session"); cookies go along. Paths under /api/ and
    // /logout carry zai::api::api_header_name/value (security.md R46, R49). A POST sends
    // `json_body` as application/json. `done` runs exactly once; no answer within
    // http_timeout_ms is status 0.
    virtual void http(HttpMethod method, std::string path, std::string json_body, HttpCallback done) = 0;

    // ---- Routing (History API) -------------------------------------------------------------
    virtual std::string path() const = 0;  // path and query, e.g. "/organizations/<id>?tab=x"
    virtual void push_path(std::string_view path) = 0;     // new history entry
    virtual void replace_path(std::string_view path) = 0;  // same entry (redirects)
    // Called after back/forward changed path(); one handler (the router's).
    virtual void on_path_change(std::function<void()> handler) = 0;
    // Leaves the app for a server-handled URL (/login?return_to=..., /install?...). Only a
    // same-origin path is followed; anything else returns false and nothing happens.
    virtual bool leave_to(std::string_view url) = 0;

    // ---- Odds and ends ---------------------------------------------------------------------
    // Puts text on the system clipboard; `done(false)` when the browser refused.
    virtual void copy_text(std::string_view text, std::function<void(bool ok)> done) = 0;
    virtual void set_title(std::string_view title) = 0;
    virtual void wake() = 0;  // draw a frame soon: state changed outside input and callbacks

    // Runs `done` once, about `delay_ms` from now (between frames, and a frame follows). There is
    // no cancel: a caller whose timer went stale ignores it (e.g. by a generation counter).
    virtual void set_timer(int delay_ms, std::function<void()> done) = 0;
};

// The platform CMake linked in; main() calls this once.
std::unique_ptr<Platform> make_platform();

// ---- Shared rules (platform.cpp), used by both implementations -------------------------------

// A path on this origin: starts with exactly one '/', no backslash, no control character.
bool is_same_origin_path(std::string_view path);

// Does a request to `path` carry the API header? (Paths under /api/, and /logout, which the
// backend only honours with it.)
bool needs_api_header(std::string_view path);

}  // namespace zai::web
