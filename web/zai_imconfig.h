// zai-connect — every Dear ImGui compile-time switch of the project, in one place.
//
// The build passes IMGUI_USER_CONFIG="zai_imconfig.h" to every translation unit that includes
// imgui.h (ImGui's own .cpp files, its backends and ours), so the settings cannot diverge and
// the Debian copy of imconfig.h stays untouched. Sizes: ../shared/docs/performance.md B.1.
#pragma once

// Only the current API: an obsolete name fails to compile instead of lingering.
#define IMGUI_DISABLE_OBSOLETE_FUNCTIONS

// The demo window is the largest single item of an ImGui wasm (~290 KB raw, ~127 KB gzip).
#define IMGUI_DISABLE_DEMO_WINDOWS

// Metrics window, stack tool and other debug tools. ImGui 1.86 (Debian 12) reads the first name,
// 1.88 and later the second, so the switch survives a Debian upgrade of imgui.
#define IMGUI_DISABLE_METRICS_WINDOW
#define IMGUI_DISABLE_DEBUG_TOOLS

// No .ini file and no stdio: the dashboard keeps no window layout and has no file system.
#define IMGUI_DISABLE_FILE_FUNCTIONS

// The renderer backend speaks WebGL2 ("#version 300 es"); left alone it picks ES2 on Emscripten.
#define IMGUI_IMPL_OPENGL_ES3
