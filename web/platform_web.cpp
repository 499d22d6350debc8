// zai-connect dashboard — the platform in the browser (Emscripten 3.1.6), and every JavaScript
// bridge of the dashboard: this is the only file with EM_JS or JavaScript-facing exports.
//
// Implemented features:
//  [X] WebGL2 canvas through Emscripten's built-in GLFW and ImGui's glfw + opengl3 backends.
//  [X] Frames only when due: requestAnimationFrame on demand, never a free-running loop; the
//      count of drawn frames in <html data-frames>, the first frame's time in data-first-frame-ms,
//      and each frame's build time (ms, last 2000 frames) in window.zaiFrameMs for budget scripts.
//  [X] Canvas fills the window and follows resizes; backing store = CSS size × devicePixelRatio;
//      ImGui works in CSS px with DisplayFramebufferScale = ratio; fonts rasterised at the ratio.
//      (Emscripten 3.1.6's GLFW knows nothing of device pixels, so this file converts.)
//  [X] Mouse wheel in CSS px whatever the deltaMode; keyboard navigation; a key pressed and
//      released between two frames still counts (latched for one frame), Enter activates.
//  [X] CSS cursor from ImGui's cursor (pointer over buttons and links).
//  [X] fetch() for JSON: same-origin, cookies, API header on /api paths, no HTTP cache; the
//      completion runs between frames and wakes one.
//  [X] History API (push, replace, popstate) and leaving to server-handled URLs.
//  [X] Clipboard through navigator.clipboard, for copy_text() and ImGui's own Ctrl+C; paste
//      (Ctrl+V) into ImGui text fields from the browser's paste event.
//  [X] Timers (setTimeout) whose callbacks run between frames and wake one.
//  [X] DOM accessibility mirror in <main id="a11y">: native elements with ARIA roles, placed over
//      their widgets, data-key/x/y/w/h for tests; click and focus go back to the widget; text
//      fields are <input>s kept in step both ways (typing in either shows in the other);
//      clipped lists carry aria-setsize/aria-posinset.
//  [X] Shell states in <html data-state>: loading (until the first frame), ready, error.
//  [ ] Touch input (Emscripten's GLFW maps touches badly; browsers' emulated mouse events work).
//
// All JavaScript here survives Closure's ADVANCED mode: properties of our own objects are quoted
// or avoided (the mirror gets arrays, not objects), DOM and Module properties are either in
// Closure's externs or accessed by string.

#include <GLFW/glfw3.h>
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <zai/api.h>

#include <algorithm>
#include <bitset>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "platform.h"
#include "runtime.h"
#include "theme.h"

// ---- JavaScript --------------------------------------------------------------------------------

// Listeners that must exist before glfwInit() adds GLFW's own (a capturing listener on window
// registered first runs first, and may stop the later ones).
EM_JS(void, zai_js_init, (), {
    var root = document.getElementById("a11y");
    // Keys aimed at the DOM mirror (a screen reader, keyboard focus) belong to the browser, and
    // so does Tab, which moves focus into the mirror: GLFW would take them (it swallows Tab).
    var keep = function(e) {
        if (e.key == "Tab" || root.contains(e.target)) e.stopImmediatePropagation();
    };
    window.addEventListener("keydown", keep, true);
    window.addEventListener("keypress", keep, true);
    window.addEventListener("popstate", function() { _zai_web_popstate(); });
    var action = function(e) { return e.target.closest("button[data-key],a[data-key]"); };
    root.addEventListener("click", function(e) {
        var el = action(e);
        if (!el) return;
        e.preventDefault();  // a mirrored link is handled in the app, not by the browser
        _zai_web_activate(+el.getAttribute("data-key"));
    });
    root.addEventListener("focusin", function(e) {
        var el = e.target.closest("button[data-key],a[data-key],input[data-key]");
        if (el) _zai_web_focus(+el.getAttribute("data-key"));
    });
    var withString = function(text, use) {
        var size = lengthBytesUTF8(text) + 1;
        var p = _malloc(size);
        stringToUTF8(text, p, size);
        use(p, size - 1);
        _free(p);
    };
    root.addEventListener("input", function(e) {
        var el = e.target;
        if (el.tagName != "INPUT" || !el.hasAttribute("data-key")) return;
        withString(el.value, function(p, n) { _zai_web_text(+el.getAttribute("data-key"), p, n); });
    });
    // Ctrl+V on the canvas: the browser's paste event carries the text, and comes before the
    // frame that sees the key, so ImGui pastes it. (A paste into a mirrored <input> is the
    // browser's own, reported by the input event above.)
    window.addEventListener("paste", function(e) {
        if (root.contains(e.target) || !e.clipboardData) return;
        withString(e.clipboardData.getData("text/plain"), function(p, n) { _zai_web_paste(p, n); });
    });
    // devicePixelRatio can change without a resize event (another screen): watch it too.
    var watch = function() {
        window.matchMedia("(resolution: " + window.devicePixelRatio + "dppx)").addEventListener("change", function() {
            _zai_web_wake();
            watch();
        }, {"once": true});
    };
    watch();
});

EM_JS(void, zai_js_fetch, (int id, const char* method, const char* path, const char* body,
                           const char* header_name, const char* header_value, int timeout_ms), {
    var init = {"method": UTF8ToString(method), "credentials": "same-origin", "cache": "no-store", "headers": {}};
    if (header_name) init["headers"][UTF8ToString(header_name)] = UTF8ToString(header_value);
    if (init["method"] == "POST") {
        init["headers"]["Content-Type"] = "application/json";
        init["body"] = UTF8ToString(body);
    }
    // No answer in time counts as no answer at all (status 0), like a network error.
    var abort = new AbortController();
    var timer = setTimeout(function() { abort.abort(); }, timeout_ms);
    init["signal"] = abort.signal;
    var deliver = function(status, text) {
        clearTimeout(timer);
        var size = lengthBytesUTF8(text) + 1;
        var p = _malloc(size);
        stringToUTF8(text, p, size);
        _zai_web_http_done(id, status, p, size - 1);
        _free(p);
    };
    fetch(UTF8ToString(path), init)
        .then(function(r) { return r.text().then(function(t) { return [r.status, t]; }); })
        .then(function(a) { deliver(a[0], a[1]); }, function() { deliver(0, ""); });
});

EM_JS(char*, zai_js_path, (), {
    var s = location.pathname + location.search;
    var size = lengthBytesUTF8(s) + 1;
    var p = _malloc(size);
    stringToUTF8(s, p, size);
    return p;
});

EM_JS(void, zai_js_history, (int replace, const char* path), {
    var p = UTF8ToString(path);
    if (replace) history.replaceState(null, "", p);
    else history.pushState(null, "", p);
});

EM_JS(void, zai_js_leave, (const char* url), { location.assign(UTF8ToString(url)); });

EM_JS(void, zai_js_copy, (int id, const char* text), {
    var done = function(ok) { _zai_web_copied(id, ok); };
    if (!navigator.clipboard) return done(0);
    navigator.clipboard.writeText(UTF8ToString(text)).then(function() { done(1); }, function() { done(0); });
});

EM_JS(void, zai_js_title, (const char* title), { document.title = UTF8ToString(title); });

EM_JS(void, zai_js_timer, (int id, int delay_ms), { setTimeout(function() { _zai_web_timer(id); }, delay_ms); });

EM_JS(void, zai_js_cursor, (const char* name), { Module["canvas"].style.setProperty("cursor", UTF8ToString(name)); });

EM_JS(void, zai_js_frame_drawn, (double frames, double build_ms), {
    var html = document.documentElement;
    html.setAttribute("data-frames", frames);
    var times = window["zaiFrameMs"] || (window["zaiFrameMs"] = []);
    times.push(build_ms);
    if (times.length > 2000) times.splice(0, times.length - 2000);
    if (html.getAttribute("data-state") != "ready") {
        html.setAttribute("data-first-frame-ms", Math.round(performance.now()));
        html.setAttribute("data-state", "ready");
    }
});

EM_JS(void, zai_js_fail, (const char* message), {
    document.getElementById("error-text").textContent = UTF8ToString(message);
    document.documentElement.setAttribute("data-state", "error");
});

// Brings <main id="a11y"> in line with the frame's nodes (a11y.h for the array layout). Elements
// are reused by key and only moved when out of place, so a focused element keeps its focus and a
// live region its identity.
EM_JS(void, zai_js_a11y, (const char* json), {
    var root = document.getElementById("a11y");
    var nodes = JSON.parse(UTF8ToString(json));
    var old = {};
    root.querySelectorAll("[data-key]").forEach(function(el) { old[el.getAttribute("data-key")] = el; });
    var tags = {"button": "button", "link": "a", "list": "ul", "listitem": "li", "textbox": "input"};
    var made = [];
    var filled = [];
    var rootFilled = 0;
    for (var i = 0; i < nodes.length; i++) {
        var n = nodes[i];
        var key = String(n[0]), role = n[2], name = n[3];
        var tag = role == "heading" ? "h" + n[8] : (tags[role] || "p");
        var live = role == "status" || role == "alert";
        var el = old[key];
        if (!el || el.tagName.toLowerCase() != tag || el.getAttribute("role") != (live ? role : null)) {
            el = document.createElement(tag);
            el.setAttribute("data-key", key);
            if (tag == "button") el.setAttribute("type", "button");
            if (tag == "input") el.setAttribute("type", "text");
            if (live) el.setAttribute("role", role);
        }
        delete old[key];
        if (role == "list" || role == "listitem" || tag == "input") {
            if (el.getAttribute("aria-label") != name) el.setAttribute("aria-label", name);
        } else if (el.textContent != name) {
            el.textContent = name;
        }
        if (tag == "a") el.setAttribute("href", n[9]);
        if (tag == "button") el.disabled = !!n[10];
        // While the <input> has focus it is ahead of the canvas (the person types there).
        if (tag == "input" && el.value != n[11] && document.activeElement !== el) el.value = n[11];
        if (n[12] > 0) {
            el.setAttribute("aria-setsize", n[12]);
            el.setAttribute("aria-posinset", n[13]);
        }
        var box = {"x": n[4], "y": n[5], "w": n[6], "h": n[7]};
        var css = {"x": "left", "y": "top", "w": "width", "h": "height"};
        for (var k in box) {
            el.setAttribute("data-" + k, box[k]);
            el.style.setProperty(css[k], box[k] + "px");
        }
        var parent = n[1] < 0 ? root : made[n[1]];
        var at = n[1] < 0 ? rootFilled++ : filled[n[1]]++;
        if (parent.children[at] !== el) parent.insertBefore(el, parent.children[at] || null);
        made.push(el);
        filled.push(0);
    }
    for (var gone in old) old[gone].remove();
});

// ---- The platform ----------------------------------------------------------------------------

namespace zai::web {
namespace {

constexpr const char* canvas_selector = "#canvas";

const char* css_cursor(ImGuiMouseCursor c) {
    switch (c) {
    case ImGuiMouseCursor_None: return "none";
    case ImGuiMouseCursor_TextInput: return "text";
    case ImGuiMouseCursor_ResizeAll: return "move";
    case ImGuiMouseCursor_ResizeNS: return "ns-resize";
    case ImGuiMouseCursor_ResizeEW: return "ew-resize";
    case ImGuiMouseCursor_ResizeNESW: return "nesw-resize";
    case ImGuiMouseCursor_ResizeNWSE: return "nwse-resize";
    case ImGuiMouseCursor_Hand: return "pointer";
    case ImGuiMouseCursor_NotAllowed: return "not-allowed";
    default: return "default";
    }
}

void css_canvas_size(double& w, double& h) {
    if (emscripten_get_element_css_size(canvas_selector, &w, &h) != EMSCRIPTEN_RESULT_SUCCESS || w < 1 || h < 1) {
        w = 1;
        h = 1;
    }
}

int device_pixels(double css, double ratio) { return std::max(1, static_cast<int>(std::lround(css * ratio))); }

class WebPlatform final : public Platform {
public:
    int run(std::function<void(Ui&)> frame) override;
    void http(HttpMethod method, std::string path, std::string json_body, HttpCallback done) override;
    std::string path() const override;
    void push_path(std::string_view path) override { zai_js_history(0, std::string(path).c_str()); }
    void replace_path(std::string_view path) override { zai_js_history(1, std::string(path).c_str()); }
    void on_path_change(std::function<void()> handler) override { on_path_change_ = std::move(handler); }
    bool leave_to(std::string_view url) override;
    void copy_text(std::string_view text, std::function<void(bool ok)> done) override;
    void set_title(std::string_view title) override { zai_js_title(std::string(title).c_str()); }
    void wake() override;
    void set_timer(int delay_ms, std::function<void()> done) override;

    // From JavaScript; they run between frames.
    void http_done(int id, int status, std::string body);
    void copied(int id, bool ok);
    void path_changed();
    void activate(std::uint32_t key) { runtime_.activate(key); wake(); }
    void focus(std::uint32_t key) { runtime_.focus(key); wake(); }
    void text(std::uint32_t key, std::string text) { runtime_.set_text(key, std::move(text)); wake(); }
    void paste(std::string text) { clipboard_ = std::move(text); }
    void timer_fired(int id);

private:
    bool start();
    void draw();
    static EM_BOOL on_animation_frame(double time, void* self);
    static EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void* self);
    static EM_BOOL on_resize(int, const EmscriptenUiEvent*, void* self);
    // GLFW callbacks: installed before ImGui's backend, which calls them and then updates ImGui.
    static void on_cursor(GLFWwindow*, double, double);
    static void on_button(GLFWwindow*, int, int, int);
    static void on_key(GLFWwindow*, int key, int, int action, int);
    static void on_char(GLFWwindow*, unsigned);
    static void on_enter(GLFWwindow*, int entered);
    static void on_focus(GLFWwindow*, int);

    Runtime runtime_;
    std::function<void(Ui&)> frame_;
    GLFWwindow* window_ = nullptr;
    bool scheduled_ = false;
    int fb_w_ = 0;
    int fb_h_ = 0;
    bool font_texture_ = false;  // uploaded by the backend's first NewFrame; redone on ratio change
    bool mouse_inside_ = false;
    std::bitset<GLFW_KEY_LAST + 1> latched_;  // keys pressed since the last frame
    ImGuiMouseCursor cursor_ = ImGuiMouseCursor_COUNT;
    std::string clipboard_;  // ImGui's paste source: the last text pasted into the page or copied by ImGui
    int next_id_ = 0;
    std::unordered_map<int, HttpCallback> requests_;
    std::unordered_map<int, std::function<void(bool)>> copies_;
    std::unordered_map<int, std::function<void()>> timers_;
    std::vector<std::function<void()>> between_frames_;
    std::function<void()> on_path_change_;
};

WebPlatform* g_platform = nullptr;  // the one instance, for JavaScript and GLFW callbacks

// GLFW reports moves over the canvas only, so a move means the pointer is inside even if the
// page loaded under a resting pointer and no mouseenter came.
void WebPlatform::on_cursor(GLFWwindow*, double, double) {
    g_platform->mouse_inside_ = true;
    g_platform->wake();
}
void WebPlatform::on_button(GLFWwindow*, int, int, int) { g_platform->wake(); }
void WebPlatform::on_char(GLFWwindow*, unsigned) { g_platform->wake(); }
void WebPlatform::on_focus(GLFWwindow*, int) { g_platform->wake(); }

void WebPlatform::on_key(GLFWwindow*, int key, int, int action, int) {
    // ImGui 1.86 samples key state once per frame: a press and release between two frames (a
    // fast typist, a test driver) would vanish without the latch.
    if (action == GLFW_PRESS && key >= 0 && key <= GLFW_KEY_LAST) g_platform->latched_.set(static_cast<std::size_t>(key));
    g_platform->wake();
}

void WebPlatform::on_enter(GLFWwindow*, int entered) {
    g_platform->mouse_inside_ = entered != 0;
    g_platform->wake();
}

EM_BOOL WebPlatform::on_wheel(int, const EmscriptenWheelEvent* e, void* self) {
    // ImGui scrolls 5 lines per wheel unit (imgui.cpp, "scroll_step"), 2 sideways; browsers say
    // how far in pixels, lines or pages, positive meaning the content moves up.
    const double line = ImGui::GetFontSize();
    if (line <= 0) return EM_TRUE;  // before the first frame there is nothing to scroll
    double cw = 0;
    double ch = 0;
    css_canvas_size(cw, ch);
    const double unit = e->deltaMode == DOM_DELTA_LINE ? line : (e->deltaMode == DOM_DELTA_PAGE ? ch : 1.0);
    ImGuiIO& io = ImGui::GetIO();
    io.MouseWheel -= static_cast<float>(e->deltaY * unit / (5.0 * line));
    io.MouseWheelH -= static_cast<float>(e->deltaX * unit / (2.0 * line));
    static_cast<WebPlatform*>(self)->wake();
    return EM_TRUE;  // preventDefault: the page itself never scrolls
}

EM_BOOL WebPlatform::on_resize(int, const EmscriptenUiEvent*, void* self) {
    static_cast<WebPlatform*>(self)->wake();
    return EM_FALSE;
}

bool WebPlatform::start() {
    zai_js_init();
    if (glfwInit() != GLFW_TRUE) return false;
    glfwWindowHint(GLFW_DEPTH_BITS, 0);  // ImGui needs neither; an opaque canvas composites faster
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    glfwWindowHint(GLFW_ALPHA_BITS, 0);
    double cw = 0;
    double ch = 0;
    css_canvas_size(cw, ch);
    const double ratio = emscripten_get_device_pixel_ratio();
    // With -sMIN_WEBGL_VERSION=2 this fails rather than fall back to WebGL 1.
    window_ = glfwCreateWindow(device_pixels(cw, ratio), device_pixels(ch, ratio), "zai-connect", nullptr, nullptr);
    if (window_ == nullptr) return false;
    glfwMakeContextCurrent(window_);

    glfwSetCursorPosCallback(window_, on_cursor);
    glfwSetMouseButtonCallback(window_, on_button);
    glfwSetKeyCallback(window_, on_key);
    glfwSetCharCallback(window_, on_char);
    glfwSetCursorEnterCallback(window_, on_enter);
    glfwSetWindowFocusCallback(window_, on_focus);
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    // GLFW hands over raw DOM deltas (pixels, wrong sign): the wheel is taken in on_wheel instead.
    glfwSetScrollCallback(window_, nullptr);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    ImGuiIO& io = ImGui::GetIO();
    io.ClipboardUserData = this;
    io.SetClipboardTextFn = [](void* self, const char* text) {
        static_cast<WebPlatform*>(self)->clipboard_ = text;
        zai_js_copy(-1, text);
    };
    io.GetClipboardTextFn = [](void* self) { return static_cast<WebPlatform*>(self)->clipboard_.c_str(); };

    emscripten_set_wheel_callback(canvas_selector, this, EM_TRUE, on_wheel);
    emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, this, EM_FALSE, on_resize);
    return true;
}

int WebPlatform::run(std::function<void(Ui&)> frame) {
    frame_ = std::move(frame);
    if (start()) {
        wake();
    } else {
        zai_js_fail("This dashboard needs WebGL 2, which this browser does not offer or has turned off.");
    }
    // Hand control to the browser for good; everything from here on runs from its events.
    emscripten_exit_with_live_runtime();
}

void WebPlatform::wake() {
    runtime_.pacer().wake();
    if (scheduled_ || window_ == nullptr) return;
    scheduled_ = true;
    emscripten_request_animation_frame(on_animation_frame, this);
}

EM_BOOL WebPlatform::on_animation_frame(double, void* self) {
    auto* p = static_cast<WebPlatform*>(self);
    auto pending = std::exchange(p->between_frames_, {});
    for (auto& callback : pending) callback();
    if (p->runtime_.pacer().due()) p->draw();
    p->scheduled_ = p->runtime_.pacer().due();
    if (p->scheduled_) emscripten_request_animation_frame(on_animation_frame, p);
    return EM_FALSE;  // one-shot callback; the value is ignored
}

void WebPlatform::draw() {
    const double started = emscripten_get_now();
    double cw = 0;
    double ch = 0;
    css_canvas_size(cw, ch);
    const double ratio = emscripten_get_device_pixel_ratio();
    const int fw = device_pixels(cw, ratio);
    const int fh = device_pixels(ch, ratio);
    if (fw != fb_w_ || fh != fb_h_) {
        // The backing store. Not glfwSetWindowSize: Emscripten's GLFW asks for fullscreen when
        // the size equals the screen's. Its stale window size is never used (see below).
        emscripten_set_canvas_element_size(canvas_selector, fw, fh);
        fb_w_ = fw;
        fb_h_ = fh;
    }
    if (runtime_.set_pixel_ratio(static_cast<float>(ratio)) && font_texture_) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    ImGui_ImplOpenGL3_NewFrame();
    font_texture_ = true;
    ImGui_ImplGlfw_NewFrame();

    // The backends think in canvas pixels; ImGui works in CSS pixels.
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(cw), static_cast<float>(ch));
    io.DisplayFramebufferScale = ImVec2(static_cast<float>(fw / cw), static_cast<float>(fh / ch));
    if (!mouse_inside_) {
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    } else if (io.MousePos.x != -FLT_MAX) {
        io.MousePos = ImVec2(io.MousePos.x * static_cast<float>(cw / fw), io.MousePos.y * static_cast<float>(ch / fh));
    }
    for (std::size_t k = 0; k < latched_.size(); ++k) {
        if (latched_[k]) io.KeysDown[k] = true;
    }

    runtime_.frame(frame_);

    for (std::size_t k = 0; k < latched_.size(); ++k) {
        if (latched_[k]) io.KeysDown[k] = glfwGetKey(window_, static_cast<int>(k)) == GLFW_PRESS;
    }
    latched_.reset();

    const ImVec4 bg = theme::rgb(theme::background);
    glViewport(0, 0, fw, fh);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    if (runtime_.take_a11y_change()) zai_js_a11y(a11y_json(runtime_.a11y()).c_str());
    const ImGuiMouseCursor cursor = ImGui::GetMouseCursor();
    if (cursor != cursor_) {
        cursor_ = cursor;
        zai_js_cursor(css_cursor(cursor));
    }
    zai_js_frame_drawn(static_cast<double>(runtime_.frames()), emscripten_get_now() - started);
}

void WebPlatform::http(HttpMethod method, std::string path, std::string json_body, HttpCallback done) {
    if (!is_same_origin_path(path)) {
        between_frames_.push_back([done = std::move(done)] { done(HttpResponse{0, "not a same-origin path"}); });
        wake();
        return;
    }
    const int id = ++next_id_;
    requests_.emplace(id, std::move(done));
    const bool api = needs_api_header(path);
    const std::string header_name(api::api_header_name);
    const std::string header_value(api::api_header_value);
    zai_js_fetch(id, method == HttpMethod::post ? "POST" : "GET", path.c_str(), json_body.c_str(),
                 api ? header_name.c_str() : nullptr, header_value.c_str(), http_timeout_ms);
}

void WebPlatform::http_done(int id, int status, std::string body) {
    auto it = requests_.find(id);
    if (it == requests_.end()) return;
    HttpCallback done = std::move(it->second);
    requests_.erase(it);
    done(HttpResponse{status, std::move(body)});
    wake();
}

bool WebPlatform::leave_to(std::string_view url) {
    if (!is_same_origin_path(url)) return false;
    zai_js_leave(std::string(url).c_str());
    return true;
}

std::string WebPlatform::path() const {
    char* p = zai_js_path();
    std::string s(p);
    std::free(p);
    return s;
}

void WebPlatform::copy_text(std::string_view text, std::function<void(bool ok)> done) {
    const int id = ++next_id_;
    copies_.emplace(id, std::move(done));
    zai_js_copy(id, std::string(text).c_str());
}

void WebPlatform::copied(int id, bool ok) {
    auto it = copies_.find(id);
    if (it == copies_.end()) return;  // ImGui's own copies (id -1) need no answer
    auto done = std::move(it->second);
    copies_.erase(it);
    done(ok);
    wake();
}

void WebPlatform::set_timer(int delay_ms, std::function<void()> done) {
    const int id = ++next_id_;
    timers_.emplace(id, std::move(done));
    zai_js_timer(id, delay_ms);
}

void WebPlatform::timer_fired(int id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    auto done = std::move(it->second);
    timers_.erase(it);
    done();
    wake();
}

void WebPlatform::path_changed() {
    if (on_path_change_) on_path_change_();
    wake();
}

}  // namespace

std::unique_ptr<Platform> make_platform() {
    auto p = std::make_unique<WebPlatform>();
    g_platform = p.get();
    return p;
}

}  // namespace zai::web

// ---- Entry points for the JavaScript above -----------------------------------------------------

extern "C" {

EMSCRIPTEN_KEEPALIVE void zai_web_wake() { zai::web::g_platform->wake(); }

EMSCRIPTEN_KEEPALIVE void zai_web_http_done(int id, int status, const char* body, int size) {
    zai::web::g_platform->http_done(id, status, std::string(body, static_cast<std::size_t>(size)));
}

EMSCRIPTEN_KEEPALIVE void zai_web_copied(int id, int ok) { zai::web::g_platform->copied(id, ok != 0); }

EMSCRIPTEN_KEEPALIVE void zai_web_popstate() { zai::web::g_platform->path_changed(); }

EMSCRIPTEN_KEEPALIVE void zai_web_activate(std::uint32_t key) { zai::web::g_platform->activate(key); }

EMSCRIPTEN_KEEPALIVE void zai_web_focus(std::uint32_t key) { zai::web::g_platform->focus(key); }

EMSCRIPTEN_KEEPALIVE void zai_web_text(std::uint32_t key, const char* text, int size) {
    zai::web::g_platform->text(key, std::string(text, static_cast<std::size_t>(size)));
}

EMSCRIPTEN_KEEPALIVE void zai_web_paste(const char* text, int size) {
    zai::web::g_platform->paste(std::string(text, static_cast<std::size_t>(size)));
}

EMSCRIPTEN_KEEPALIVE void zai_web_timer(int id) { zai::web::g_platform->timer_fired(id); }

}
