// Return paths after sign-in must stay on this app (security.md R10). The negative rows follow
// the shapes of known open-redirect bypasses: scheme-relative URLs, backslashes, whitespace and
// control characters between slashes, encoded variants, absolute URLs.
#include <doctest/doctest.h>

#include <string>

#include "zai/url.h"

using zai::is_safe_return_path;

TEST_CASE("R10 local absolute paths are accepted") {
    for (std::string p : {"/", "/organizations/b1475f65-236c-58b8-96e1-e1778b43beb7", "/a/b?c=d&e=f#frag",
                          "/search?q=%20x", "/x:y", "/.well-known/x", "/a//b", "/a/%2Fb",
                          "/%20/x"}) {
        CAPTURE(p);
        CHECK(is_safe_return_path(p));
    }
}

TEST_CASE("R10 anything that could leave the app is refused") {
    const std::string rows[] = {
        "",
        "organizations",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "/a\\b",
        "/\t/evil.example",
        "/\r\n/evil.example",
        "/\n/evil.example",
        "/ /evil.example",
        " /path",
        "/path\x7f",
        std::string("/path\0x", 7),
        "/%2F/evil.example",
        "/%2f/evil.example",
        "/%5C/evil.example",
        "/%5c%5cevil.example",
        "/%09/evil.example",
        "/%0d%0a/evil.example",
        "/path%00",
        "/path%",
        "/path%zz",
        std::string("/") + std::string(2048, 'a'),
    };
    for (const auto& p : rows) {
        CAPTURE(p);
        CHECK_FALSE(is_safe_return_path(p));
    }
}
