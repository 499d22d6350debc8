// zai-connect dashboard — the embedded fonts.
//
// Inter (Debian package fonts-inter, SIL Open Font License 1.1) in two weights, subset at build
// time to the glyphs in `glyph_ranges`; the definitions are generated into the build tree by
// web/embed_fonts.cmake (see web/CMakeLists.txt, section "Font").
#pragma once

#include <cstddef>

#include <imgui.h>

namespace zai::web::fonts {

struct Blob {
    const unsigned char* data;
    std::size_t size;
};

extern const Blob inter_regular;
extern const Blob inter_semibold;

// Inclusive code point ranges as ImGui wants them: pairs, terminated by 0.
extern const ImWchar glyph_ranges[];

}  // namespace zai::web::fonts
