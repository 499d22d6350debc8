// Fuzz target: the return-path check after sign-in (zai::is_safe_return_path, security.md R10).
//
// Oracle (soundness, stated independently of the implementation): whenever a path is accepted,
//  - it starts with '/', is at most 2048 bytes and holds no raw space;
//  - neither the path nor its percent-decoding starts with "//" or "/\", or contains a backslash,
//    a control character or DEL (browsers read '\' as '/' and drop tabs and newlines, so any of
//    these could turn a local path into "//host");
//  - its percent-decoding exists (no broken escape).
// Also: "/" followed by percent_encode(anything) is accepted exactly when the decoded text
// is a safe shape (the encoding hides every dangerous byte from the first look, so the second
// look must catch them).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "zai/url.h"

namespace {

bool has_dangerous_byte(std::string_view s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f || c == '\\') return true;
    }
    return false;
}

bool leaves_origin(std::string_view p) {
    return p.empty() || p.front() != '/' || p.starts_with("//") || p.starts_with("/\\") || has_dangerous_byte(p);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view path(reinterpret_cast<const char*>(data), size);
    if (zai::is_safe_return_path(path)) {
        ZAI_FUZZ_CHECK(path.size() <= 2048);
        ZAI_FUZZ_CHECK(path.find(' ') == std::string_view::npos);
        ZAI_FUZZ_CHECK(!leaves_origin(path));
        const auto decoded = zai::percent_decode(path);
        ZAI_FUZZ_CHECK(decoded.has_value());
        ZAI_FUZZ_CHECK(!leaves_origin(*decoded));
    }

    // "/" + every byte escaped: the raw form is always harmless, so the verdict rests on the
    // decoded form alone.
    const std::string encoded = "/" + zai::percent_encode(path);
    if (encoded.size() <= 2048) {
        ZAI_FUZZ_CHECK(zai::is_safe_return_path(encoded) == !leaves_origin("/" + std::string(path)));
    }
    return 0;
}
