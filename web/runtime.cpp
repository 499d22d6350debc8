// zai-connect dashboard — ImGui context, fonts, the frame and its accessibility mirror.
#include "runtime.h"

#include <utility>

namespace zai::web {

Runtime::Runtime() : context_(ImGui::CreateContext()) {
    IMGUI_CHECKVERSION();
    ImGui::SetCurrentContext(context_);  // CreateContext only does so when there is none
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    // The platform sets the CSS cursor itself; GLFW in Emscripten cannot.
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
    // A blinking caret would need frames forever while a text field has focus.
    io.ConfigInputTextCursorBlink = false;
    apply_style(ImGui::GetStyle());
}

Runtime::~Runtime() { ImGui::DestroyContext(context_); }

bool Runtime::set_pixel_ratio(float ratio) {
    if (ratio <= 0.0f || ratio == ratio_) return false;
    ratio_ = ratio;
    ImGuiIO& io = ImGui::GetIO();
    fonts_ = load_fonts(*io.Fonts, ratio);
    io.FontGlobalScale = 1.0f / ratio;
    return true;
}

void Runtime::activate(std::uint32_t key) {
    ui_.activate = key;
    pacer_.wake();
}

void Runtime::focus(std::uint32_t key) {
    ui_.focus = key;
    pacer_.wake();
}

void Runtime::set_text(std::uint32_t key, std::string text) {
    ui_.text_key = key;
    ui_.text = std::move(text);
    pacer_.wake();
}

void Runtime::frame(const std::function<void(Ui&)>& build) {
    ImGuiIO& io = ImGui::GetIO();
    // ImGui 1.86 presses a focused button with Space only; web users expect Enter as well.
    if (!io.WantTextInput && io.KeyMap[ImGuiKey_Enter] >= 0) {
        const bool enter = ImGui::IsKeyDown(io.KeyMap[ImGuiKey_Enter]) ||
                           (io.KeyMap[ImGuiKey_KeyPadEnter] >= 0 && ImGui::IsKeyDown(io.KeyMap[ImGuiKey_KeyPadEnter]));
        if (enter) io.NavInputs[ImGuiNavInput_Activate] = 1.0f;
    }

    ImGui::NewFrame();
    ui_.begin();
    Ui ui(fonts_, ui_);
    build(ui);
    ImGui::Render();

    // A request from the mirror for a widget this frame did not draw is dropped, not kept for
    // whatever view comes next.
    ui_.activate = 0;
    ui_.focus = 0;
    ui_.text_key = 0;
    ++frames_;
    if (ui_.acted) pacer_.wake();
    pacer_.drawn(ui_.animate);
}

bool Runtime::take_a11y_change() {
    if (ever_published_ && ui_.tree == published_) return false;
    published_ = ui_.tree;
    ever_published_ = true;
    return true;
}

}  // namespace zai::web
