// zai-connect dashboard — the platform without a browser or GPU (native builds only).
//
// Implemented features:
//  [X] Frames with the real Runtime, fonts and views; no renderer (the draw data is built and
//      dropped, as ImGui's null backend does).
//  [X] HTTP: requests are recorded; tests answer them (answer()), callbacks run between frames.
//  [X] History: an in-memory stack with push, replace, back() and forward() (popstate).
//  [X] Clipboard, title and leave_to() recorded for inspection.
//  [X] Timers: recorded with their delay; tests fire them (fire_timers()), no clock involved.
//  [X] Input for tests: click at canvas coordinates or on a mirror node, keys, typed text, the
//      mouse wheel, DOM-mirror activation, focus and text input, resize and pixel-ratio changes.
//  [X] run(): draws until idle and prints the accessibility mirror (the native smoke run of main).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <imgui.h>

#include "platform.h"
#include "runtime.h"

namespace zai::web {

struct HeadlessOptions {
    float width = 1280.0f;  // CSS px
    float height = 800.0f;
    float pixel_ratio = 1.0f;
    std::string path = "/";
    int max_frames = 240;   // run() stops here even if frames are still due (an endless animation)
};

class HeadlessPlatform final : public Platform {
public:
    explicit HeadlessPlatform(HeadlessOptions options = {});

    // ---- Platform ------------------------------------------------------------------------
    int run(std::function<void(Ui&)> frame) override;
    void http(HttpMethod method, std::string path, std::string json_body, HttpCallback done) override;
    std::string path() const override;
    void push_path(std::string_view path) override;
    void replace_path(std::string_view path) override;
    void on_path_change(std::function<void()> handler) override;
    bool leave_to(std::string_view url) override;
    void copy_text(std::string_view text, std::function<void(bool ok)> done) override;
    void set_title(std::string_view title) override;
    void wake() override;
    void set_timer(int delay_ms, std::function<void()> done) override;

    // ---- Driving it from a test ----------------------------------------------------------
    void set_frame(std::function<void(Ui&)> frame);  // what the frames build (run() sets it too)
    void frame();                                    // draws one frame now
    int settle();                                    // draws while due (≤ max_frames); how many
    bool frame_due() { return runtime_.pacer().due(); }

    void click(float x, float y);       // press and release the left button there, then settle
    void click(const A11yNode& node);   // at the centre of the node's canvas rectangle
    void move_mouse(float x, float y);  // then settle
    void press_key(ImGuiKey key);       // down for one frame, then up, then settle
    void type(std::string_view utf8);   // characters typed into the focused ImGui text field
    void wheel(float x, float y, float lines);  // the wheel over (x, y); positive scrolls down
    void activate(const A11yNode& node);  // as the DOM mirror does for a screen reader
    void focus(const A11yNode& node);     // as the DOM mirror does when it gets keyboard focus
    void set_text(const A11yNode& node, std::string text);  // as the mirrored <input> does on input
    void resize(float width, float height, float pixel_ratio);
    void back();                          // the browser's back button
    void forward();                       // and its forward button

    struct Request {
        HttpMethod method;
        std::string path;
        std::string body;
        bool api_header;  // would carry zai::api::api_header_name
        HttpCallback done;
        bool answered = false;
    };
    const std::vector<Request>& requests() const { return requests_; }
    void answer(std::size_t index, int status, std::string body);  // runs the callback, then settles
    void set_clipboard_allowed(bool allowed) { clipboard_allowed_ = allowed; }
    // Delays of the timers not yet fired, in the order they were set.
    std::vector<int> timers() const;
    void fire_timers();  // runs every pending timer's callback (between frames), then settles

    const A11yTree& a11y() const { return runtime_.a11y(); }
    int a11y_publishes() const { return a11y_publishes_; }
    std::uint64_t frames() const { return runtime_.frames(); }
    int atlas_builds() const { return atlas_builds_; }
    const std::string& title() const { return title_; }
    const std::string& left_to() const { return left_to_; }
    const std::string& clipboard() const { return clipboard_; }
    const std::vector<std::string>& history() const { return history_; }

private:
    HeadlessOptions options_;
    Runtime runtime_;
    std::function<void(Ui&)> frame_ = [](Ui&) {};  // an empty page until set_frame()
    std::vector<Request> requests_;
    std::vector<std::function<void()>> between_frames_;  // callbacks that must not run inside a frame
    struct Timer {
        int delay_ms;
        std::function<void()> done;
    };
    std::vector<Timer> timers_;
    std::vector<std::string> history_;
    std::size_t history_at_ = 0;
    std::function<void()> on_path_change_;
    std::string title_;
    std::string left_to_;
    std::string clipboard_;
    bool clipboard_allowed_ = true;
    int a11y_publishes_ = 0;
    int atlas_builds_ = 0;
};

}  // namespace zai::web
