// Which view a path shows, and the router keeping the view and the address bar in step.
#include <doctest/doctest.h>

#include "platform_headless.h"
#include "route.h"

using namespace zai::web;

TEST_CASE("paths map to pages") {
    struct Row {
        const char* path;
        Route::Page page;
    };
    for (const Row& r : {Row{"/", Route::Page::home}, Row{"", Route::Page::home}, Row{"/?tab=all", Route::Page::home},
                         Row{"/#top", Route::Page::home}, Row{"/x", Route::Page::not_found},
                         Row{"/organizations", Route::Page::not_found}, Row{"//", Route::Page::not_found},
                         Row{"/index.html", Route::Page::not_found}}) {
        CAPTURE(r.path);
        const Route route = parse_route(r.path);
        CHECK(route.page == r.page);
        CHECK(route.path == r.path);
    }
}

TEST_CASE("the router follows and drives the history") {
    HeadlessPlatform platform(HeadlessOptions{.path = "/somewhere?x=1"});
    Router router(platform);
    CHECK(router.route().page == Route::Page::not_found);
    CHECK(router.route().path == "/somewhere?x=1");

    router.go("/");
    CHECK(router.route().page == Route::Page::home);
    CHECK(platform.history() == std::vector<std::string>{"/somewhere?x=1", "/"});

    SUBCASE("going to the current path adds no history entry") {
        router.go("/");
        CHECK(platform.history().size() == 2);
    }
    SUBCASE("back re-reads the path") {
        platform.back();
        CHECK(router.route().path == "/somewhere?x=1");
        CHECK(platform.path() == "/somewhere?x=1");
    }
    SUBCASE("a redirect replaces the entry") {
        router.redirect("/elsewhere");
        CHECK(platform.history() == std::vector<std::string>{"/somewhere?x=1", "/elsewhere"});
        CHECK(router.route().path == "/elsewhere");
    }
}
