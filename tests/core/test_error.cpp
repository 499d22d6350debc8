// Stable error codes: unique spellings that round-trip, and wording for every code.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "zai/error.h"

using namespace zai;

TEST_CASE("every error code has a unique id and a message") {
    std::set<std::string> ids;
    for (int i = 0; i <= static_cast<int>(Errc::internal); ++i) {
        const auto code = static_cast<Errc>(i);
        const std::string id(code_id(code));
        CAPTURE(id);
        CHECK_FALSE(id.empty());
        CHECK(ids.insert(id).second);
        CHECK(parse_code_id(id) == code);
        CHECK_FALSE(default_message(code).empty());
    }
    CHECK_FALSE(parse_code_id("Unauthenticated"));
    CHECK_FALSE(parse_code_id(""));
}

TEST_CASE("ids the dashboard depends on keep their spelling") {
    CHECK(code_id(Errc::unauthenticated) == "unauthenticated");
    CHECK(code_id(Errc::session_expired) == "session_expired");
    CHECK(code_id(Errc::installation_revoked) == "installation_revoked");
    CHECK(code_id(Errc::hub_unavailable) == "hub_unavailable");
    CHECK(code_id(Errc::csrf_header_missing) == "csrf_header_missing");
}
