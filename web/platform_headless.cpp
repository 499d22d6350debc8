// zai-connect dashboard — the platform without a browser or GPU; see platform_headless.h.
#include "platform_headless.h"

#include <cstdio>
#include <cstring>
#include <utility>

namespace zai::web {

std::unique_ptr<Platform> make_platform() { return std::make_unique<HeadlessPlatform>(); }

HeadlessPlatform::HeadlessPlatform(HeadlessOptions options) : options_(std::move(options)) {
    history_.push_back(options_.path);
    ImGuiIO& io = ImGui::GetIO();
    // Key codes are ImGui's own here; the browser platform maps GLFW's.
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;
}

int HeadlessPlatform::run(std::function<void(Ui&)> frame) {
    set_frame(std::move(frame));
    wake();
    settle();
    std::printf("%s\n", a11y_json(a11y()).c_str());
    return 0;
}

void HeadlessPlatform::set_frame(std::function<void(Ui&)> frame) { frame_ = std::move(frame); }

void HeadlessPlatform::frame() {
    auto pending = std::exchange(between_frames_, {});
    for (auto& callback : pending) callback();
    if (!pending.empty()) wake();

    ImGuiIO& io = ImGui::GetIO();
    if (runtime_.set_pixel_ratio(options_.pixel_ratio)) {
        // What a renderer would upload; building it proves the font data rasterises.
        unsigned char* pixels = nullptr;
        int w = 0;
        int h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        ++atlas_builds_;
    }
    io.DisplaySize = ImVec2(options_.width, options_.height);
    io.DisplayFramebufferScale = ImVec2(options_.pixel_ratio, options_.pixel_ratio);
    io.DeltaTime = 1.0f / 60.0f;
    std::memset(io.NavInputs, 0, sizeof(io.NavInputs));
    runtime_.frame(frame_);
    if (runtime_.take_a11y_change()) ++a11y_publishes_;
}

int HeadlessPlatform::settle() {
    int drawn = 0;
    while ((runtime_.pacer().due() || !between_frames_.empty()) && drawn < options_.max_frames) {
        frame();
        ++drawn;
    }
    return drawn;
}

void HeadlessPlatform::click(float x, float y) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    io.MouseDown[0] = true;
    wake();
    frame();
    io.MouseDown[0] = false;
    frame();
    settle();
}

void HeadlessPlatform::click(const A11yNode& node) {
    click(static_cast<float>(node.rect.x) + static_cast<float>(node.rect.w) * 0.5f,
          static_cast<float>(node.rect.y) + static_cast<float>(node.rect.h) * 0.5f);
}

void HeadlessPlatform::move_mouse(float x, float y) {
    ImGui::GetIO().MousePos = ImVec2(x, y);
    wake();
    settle();
}

void HeadlessPlatform::press_key(ImGuiKey key) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    wake();
    frame();
    io.KeysDown[key] = false;
    settle();
}

void HeadlessPlatform::type(std::string_view utf8) {
    ImGui::GetIO().AddInputCharactersUTF8(std::string(utf8).c_str());
    wake();
    settle();
}

void HeadlessPlatform::wheel(float x, float y, float lines) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    io.MouseWheel -= lines;
    wake();
    frame();
    io.MouseWheel = 0.0f;
    settle();
}

void HeadlessPlatform::set_text(const A11yNode& node, std::string text) {
    runtime_.set_text(node.key, std::move(text));
    settle();
}

void HeadlessPlatform::activate(const A11yNode& node) {
    runtime_.activate(node.key);
    settle();
}

void HeadlessPlatform::focus(const A11yNode& node) {
    runtime_.focus(node.key);
    settle();
}

void HeadlessPlatform::resize(float width, float height, float pixel_ratio) {
    options_.width = width;
    options_.height = height;
    options_.pixel_ratio = pixel_ratio;
    wake();
    settle();
}

void HeadlessPlatform::back() {
    if (history_at_ == 0) return;
    --history_at_;
    if (on_path_change_) on_path_change_();
    wake();
    settle();
}

void HeadlessPlatform::forward() {
    if (history_at_ + 1 >= history_.size()) return;
    ++history_at_;
    if (on_path_change_) on_path_change_();
    wake();
    settle();
}

void HeadlessPlatform::http(HttpMethod method, std::string path, std::string json_body, HttpCallback done) {
    const bool api = needs_api_header(path);
    if (!is_same_origin_path(path)) {
        between_frames_.push_back([done = std::move(done)] { done(HttpResponse{0, "not a same-origin path"}); });
        return;
    }
    requests_.push_back(Request{method, std::move(path), std::move(json_body), api, std::move(done)});
}

void HeadlessPlatform::answer(std::size_t index, int status, std::string body) {
    Request& r = requests_.at(index);
    r.answered = true;
    r.done(HttpResponse{status, std::move(body)});
    wake();
    settle();
}

std::string HeadlessPlatform::path() const { return history_[history_at_]; }

void HeadlessPlatform::push_path(std::string_view path) {
    history_.resize(history_at_ + 1);
    history_.emplace_back(path);
    ++history_at_;
}

void HeadlessPlatform::replace_path(std::string_view path) { history_[history_at_] = std::string(path); }

void HeadlessPlatform::on_path_change(std::function<void()> handler) { on_path_change_ = std::move(handler); }

bool HeadlessPlatform::leave_to(std::string_view url) {
    if (!is_same_origin_path(url)) return false;
    left_to_ = std::string(url);
    return true;
}

void HeadlessPlatform::copy_text(std::string_view text, std::function<void(bool ok)> done) {
    if (clipboard_allowed_) clipboard_ = std::string(text);
    between_frames_.push_back([done = std::move(done), ok = clipboard_allowed_] { done(ok); });
}

void HeadlessPlatform::set_title(std::string_view title) { title_ = std::string(title); }

void HeadlessPlatform::wake() { runtime_.pacer().wake(); }

void HeadlessPlatform::set_timer(int delay_ms, std::function<void()> done) {
    timers_.push_back(Timer{delay_ms, std::move(done)});
}

std::vector<int> HeadlessPlatform::timers() const {
    std::vector<int> delays;
    for (const Timer& t : timers_) delays.push_back(t.delay_ms);
    return delays;
}

void HeadlessPlatform::fire_timers() {
    for (Timer& t : std::exchange(timers_, {})) between_frames_.push_back(std::move(t.done));
    wake();
    settle();
}

}  // namespace zai::web
