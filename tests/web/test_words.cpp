// How the dashboard words failures (by the API's stable codes), dates, durations, labels, counts.
#include <doctest/doctest.h>

#include <string>

#include <zai/api.h>
#include <zai/error.h>

#include "words.h"

using namespace zai::web;
using zai::Errc;

TEST_CASE("a failed request is worded by its stable code, never by the server's text") {
    SUBCASE("an API error") {
        const Failure f = describe_failure({502, zai::api::error_json(Errc::hub_unavailable, "upstream said <b>x</b>")});
        CHECK(f.code == Errc::hub_unavailable);
        CHECK(f.status == 502);
        CHECK(f.message == zai::default_message(Errc::hub_unavailable));
        CHECK(failure_text(f) == "Zaikio is not reachable right now. Please retry. (hub_unavailable, HTTP 502)");
        CHECK_FALSE(ends_session(f));
    }
    SUBCASE("no answer at all: no code, no status in the text") {
        const Failure f = describe_failure({0, ""});
        CHECK_FALSE(f.code.has_value());
        CHECK(failure_text(f) == "No answer from the backend. Check your connection, then try again.");
        CHECK_FALSE(ends_session(f));
    }
    SUBCASE("a proxy's HTML page reads as internal") {
        const Failure f = describe_failure({504, "<html><body>Gateway Timeout</body></html>"});
        CHECK(f.code == Errc::internal);
        CHECK(failure_text(f) == std::string(zai::default_message(Errc::internal)) + " (internal, HTTP 504)");
    }
    SUBCASE("an unknown code reads as internal") {
        const Failure f = describe_failure({400, R"({"error":{"code":"brand_new_code","message":"hi"}})"});
        CHECK(f.code == Errc::internal);
    }
    SUBCASE("401s end the session, 403s do not") {
        CHECK(ends_session(describe_failure({401, zai::api::error_json(Errc::session_expired)})));
        CHECK(ends_session(describe_failure({401, zai::api::error_json(Errc::unauthenticated)})));
        CHECK_FALSE(ends_session(describe_failure({403, zai::api::error_json(Errc::not_a_member)})));
        CHECK_FALSE(ends_session(describe_failure({403, zai::api::error_json(Errc::csrf_header_missing)})));
    }
    SUBCASE("a 200 the dashboard could not read keeps the parser's code") {
        const Failure f = unreadable_answer(zai::Error{Errc::missing_member, "person.email"}, 200);
        CHECK(failure_text(f) == "The backend sent an answer the dashboard could not read. (missing_member, HTTP 200)");
    }
}

TEST_CASE("dates are UTC, minute precision, proleptic Gregorian") {
    CHECK(format_utc(0) == "1970-01-01 00:00 UTC");
    CHECK(format_utc(1704096000) == "2024-01-01 08:00 UTC");  // hubsim's seed time
    CHECK(format_utc(951782400) == "2000-02-29 00:00 UTC");   // a leap day in a year divisible by 400
    CHECK(format_utc(951868800) == "2000-03-01 00:00 UTC");
    CHECK(format_utc(4107542399) == "2100-02-28 23:59 UTC");  // 2100 is no leap year
    CHECK(format_utc(4107542400) == "2100-03-01 00:00 UTC");
    CHECK(format_utc(-1) == "1969-12-31 23:59 UTC");
    CHECK(format_utc(1709208000 + 59) == "2024-02-29 12:00 UTC");
}

TEST_CASE("durations and ages in whole units") {
    CHECK(format_duration(0) == "less than a minute");
    CHECK(format_duration(59) == "less than a minute");
    CHECK(format_duration(60) == "1 minute");
    CHECK(format_duration(119) == "1 minute");
    CHECK(format_duration(3599) == "59 minutes");
    CHECK(format_duration(3600) == "1 hour");
    CHECK(format_duration(86399) == "23 hours");
    CHECK(format_duration(86400) == "1 day");
    CHECK(format_duration(3 * 86400 + 5) == "3 days");

    const std::int64_t now = 1704096000;
    CHECK(format_ago(now, now) == "just now");
    CHECK(format_ago(now - 59, now) == "just now");
    CHECK(format_ago(now + 30, now) == "just now");  // a clock a little ahead is not "in the future"
    CHECK(format_ago(now - 12 * 60, now) == "12 minutes ago");
    CHECK(format_ago(now - 2 * 86400, now) == "2 days ago");
}

TEST_CASE("labels, roles and installation states") {
    CHECK(label_of("owner") == "Owner");
    CHECK(label_of("machine_vendor") == "Machine vendor");
    CHECK(label_of("") == "");
    CHECK(roles_text({"owner", "purchaser"}) == "Owner, Purchaser");
    CHECK(roles_text({}) == "No role");
    CHECK(installation_label(zai::InstallationState::installed) == "Installed");
    CHECK(installation_label(zai::InstallationState::not_installed) == "Not installed");
    CHECK(installation_label(zai::InstallationState::revoked) == "Access revoked");
}

TEST_CASE("counts with thousands separators and the right noun") {
    CHECK(count_text(0, "organisation", "organisations") == "0 organisations");
    CHECK(count_text(1, "organisation", "organisations") == "1 organisation");
    CHECK(count_text(999, "organisation", "organisations") == "999 organisations");
    CHECK(count_text(1000, "organisation", "organisations") == "1,000 organisations");
    CHECK(count_text(1234567, "x", "xs") == "1,234,567 xs");
    CHECK(grouped(100) == "100");
    CHECK(grouped(12345) == "12,345");
}
