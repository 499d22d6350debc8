// Which paths the dashboard may request or leave to, and which carry the API header (R46, R49).
#include <doctest/doctest.h>

#include "platform.h"
#include "platform_headless.h"

using zai::web::is_same_origin_path;
using zai::web::needs_api_header;

TEST_CASE("only same-origin paths may be requested") {
    SUBCASE("paths on this origin") {
        for (const char* p : {"/", "/api/session", "/api/organizations/x/uninstall", "/login?return_to=%2F", "/a b"}) {
            CAPTURE(p);
            CHECK(is_same_origin_path(p));
        }
    }
    SUBCASE("anything that could leave the origin or confuse a parser") {
        for (const char* p : {"", "api/session", "//evil.example/x", "/\\evil.example", "https://evil.example/",
                              "/a\\b", "/a\nb", "/a\tb", "/a\x7f"}) {
            CAPTURE(p);
            CHECK_FALSE(is_same_origin_path(p));
        }
    }
}

TEST_CASE("R46 R49 the API header goes to /api and below, and to /logout, only") {
    for (const char* p : {"/api", "/api/", "/api/session", "/api?x=1", "/api/organizations/1/uninstall", "/logout",
                          "/logout?everywhere=1"}) {
        CAPTURE(p);
        CHECK(needs_api_header(p));
    }
    for (const char* p : {"/", "/apix", "/login", "/install?organization_id=1", "/x/api/session", "/API/session",
                          "/logoutx", "/x/logout"}) {
        CAPTURE(p);
        CHECK_FALSE(needs_api_header(p));
    }
}

TEST_CASE("leaving the app for the sign-in or install flow goes to same-origin paths only") {
    zai::web::HeadlessPlatform platform;
    CHECK(platform.leave_to("/login?return_to=%2Forganizations%2F1"));
    CHECK(platform.left_to() == "/login?return_to=%2Forganizations%2F1");
    CHECK_FALSE(platform.leave_to("https://evil.example/login"));
    CHECK_FALSE(platform.leave_to("//evil.example/login"));
    CHECK(platform.left_to() == "/login?return_to=%2Forganizations%2F1");
}

TEST_CASE("a request for a path off this origin fails without leaving the app") {
    zai::web::HeadlessPlatform platform;
    int status = -1;
    platform.http(zai::web::HttpMethod::get, "https://evil.example/api/session", {},
                  [&status](const zai::web::HttpResponse& r) { status = r.status; });
    CHECK(platform.requests().empty());
    platform.settle();
    CHECK(status == 0);
}
