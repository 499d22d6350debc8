// zai-connect dashboard — what both platforms do around a frame.
//
// The platform files only move events in and pixels out; everything else lives here so it is
// identical in the browser and in the headless tests: the ImGui context and style, fonts at the
// device pixel ratio, the per-frame Ui with its accessibility mirror, requests from the DOM
// mirror (activate, focus), and the decision whether another frame is due (FramePacer).
//
// A platform's frame, in order:
//   1. feed input and time, set io.DisplaySize (CSS px) and io.DisplayFramebufferScale (ratio)
//   2. runtime.frame(build)          NewFrame → build(ui) → Render
//   3. draw ImGui::GetDrawData(); publish runtime.a11y() if take_a11y_change()
//   4. schedule the next frame only while runtime.pacer().due()
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <imgui.h>

#include "a11y.h"
#include "theme.h"
#include "ui.h"

namespace zai::web {

// Decides whether a frame is due. Idle until woken; an event makes the next frame plus
// `settle_frames` more due (ImGui often needs one extra frame: a click lands on press and
// release frames, a window sizes itself a frame late); an animation keeps frames coming.
class FramePacer {
public:
    static constexpr int settle_frames = 2;

    void wake() { due_ = due_ > 1 + settle_frames ? due_ : 1 + settle_frames; }
    bool due() const { return due_ > 0; }
    // After each drawn frame; `animating`: the frame asked for the next one.
    void drawn(bool animating) {
        if (due_ > 0) --due_;
        if (animating && due_ == 0) due_ = 1;
    }

private:
    int due_ = 0;
};

// One at a time: it owns the ImGui context, which ImGui keeps as a global.
class Runtime {
public:
    Runtime();  // creates, configures and makes current an ImGui context
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    // Rasterises the fonts for `ratio` device pixels per CSS pixel and builds the atlas. Returns
    // true when it did (the renderer must upload the texture again), false if unchanged.
    bool set_pixel_ratio(float ratio);

    // From the DOM mirror: the widget with this key acts / gets the nav focus on the next frame;
    // the text field with this key takes `text` (what its <input> now holds).
    void activate(std::uint32_t key);
    void focus(std::uint32_t key);
    void set_text(std::uint32_t key, std::string text);

    FramePacer& pacer() { return pacer_; }

    // One frame (step 2 above).
    void frame(const std::function<void(Ui&)>& build);

    const A11yTree& a11y() const { return ui_.tree; }
    // True once after each frame whose tree differs from the last one taken.
    bool take_a11y_change();
    std::uint64_t frames() const { return frames_; }

private:
    ImGuiContext* context_;
    float ratio_ = 0.0f;
    Fonts fonts_;
    UiFrame ui_;
    A11yTree published_;
    bool ever_published_ = false;
    FramePacer pacer_;
    std::uint64_t frames_ = 0;
};

}  // namespace zai::web
