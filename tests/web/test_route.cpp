// Which view a path shows, and the router keeping the view and the address bar in step.
#include <doctest/doctest.h>

#include <string>

#include "platform_headless.h"
#include "route.h"

using namespace zai::web;

constexpr const char* lindqvist = "3f0c6d2e-8b1a-4c5d-9e7f-1a2b3c4d5e60";

TEST_CASE("paths map to pages") {
    struct Row {
        std::string path;
        Route::Page page;
        std::string organization_id;
    };
    const std::string org = std::string("/organizations/") + lindqvist;
    for (const Row& r : {Row{"/", Route::Page::home, ""}, Row{"", Route::Page::home, ""},
                         Row{"/?tab=all", Route::Page::home, ""}, Row{"/#top", Route::Page::home, ""},
                         Row{org, Route::Page::organization, lindqvist},
                         Row{org + "?tab=scopes", Route::Page::organization, lindqvist},
                         Row{org + "#installation", Route::Page::organization, lindqvist},
                         Row{"/x", Route::Page::not_found, ""}, Row{"/organizations", Route::Page::not_found, ""},
                         Row{"/organizations/", Route::Page::not_found, ""},
                         Row{"/organizations/not-a-uuid", Route::Page::not_found, ""},
                         Row{"/organizations/3F0C6D2E-8B1A-4C5D-9E7F-1A2B3C4D5E60", Route::Page::not_found, ""},
                         Row{org + "/uninstall", Route::Page::not_found, ""}, Row{"//", Route::Page::not_found, ""},
                         Row{"/index.html", Route::Page::not_found, ""}}) {
        CAPTURE(r.path);
        const Route route = parse_route(r.path);
        CHECK(route.page == r.page);
        CHECK(route.path == r.path);
        CHECK(route.organization_id == r.organization_id);
    }
    CHECK(organization_path(lindqvist) == org);
}

TEST_CASE("the router follows and drives the history") {
    HeadlessPlatform platform(HeadlessOptions{.path = "/somewhere?x=1"});
    Router router(platform);
    CHECK(router.route().page == Route::Page::not_found);
    CHECK(router.route().path == "/somewhere?x=1");

    router.go("/");
    CHECK(router.route().page == Route::Page::home);
    CHECK(platform.history() == std::vector<std::string>{"/somewhere?x=1", "/"});

    SUBCASE("going to the current path adds no history entry, and is no route change") {
        const auto generation = router.generation();
        router.go("/");
        CHECK(platform.history().size() == 2);
        CHECK(router.generation() == generation);
    }
    SUBCASE("every route change counts, back and forward included") {
        const auto generation = router.generation();
        router.go(organization_path(lindqvist));
        CHECK(router.route().page == Route::Page::organization);
        CHECK(router.generation() == generation + 1);
        platform.back();
        CHECK(router.generation() == generation + 2);
        CHECK(router.route().page == Route::Page::home);
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
