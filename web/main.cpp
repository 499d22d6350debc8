// zai-connect dashboard — the one main() of both targets.
//
// CMake links the platform: in the browser (platform_web.cpp) run() starts the event-driven frame
// loop and hands control back to the browser for good; natively (platform_headless.cpp) it draws
// until the UI is idle, prints the accessibility mirror and returns, a smoke test of the same code.
#include <memory>

#include "app.h"
#include "platform.h"

int main() {
    std::unique_ptr<zai::web::Platform> platform = zai::web::make_platform();
    auto app = std::make_unique<zai::web::App>(*platform);
    // The frame function holds the heap pointer, not a reference into this stack frame: in the
    // browser main() never returns while the app keeps running.
    zai::web::App* running = app.get();
    return platform->run([running](zai::web::Ui& ui) { running->frame(ui); });
}
