// What the first screen says about an answer to GET /api/session (its view-model, no ImGui).
#include <doctest/doctest.h>

#include <zai/api.h>
#include <zai/error.h>

#include "home_view.h"

using namespace zai::web;
using State = ConnectionCheck::State;

TEST_CASE("the connection check words every kind of answer") {
    SUBCASE("signed in: the person's name, and the id to copy") {
        zai::api::SessionView v;
        v.authenticated = true;
        v.person = zai::api::PersonSummary{"6f9e3c2a-4b1d-4e8f-9a7c-1d2e3f4a5b6c", "Ada Lovelace", "ada@example.org"};
        const auto c = describe_session_answer({200, zai::api::session_view_json(v)});
        CHECK(c.state == State::signed_in);
        CHECK(c.message == "Connected. Signed in as Ada Lovelace.");
        CHECK(c.person_id == "6f9e3c2a-4b1d-4e8f-9a7c-1d2e3f4a5b6c");
    }
    SUBCASE("signed out") {
        const auto c = describe_session_answer({200, zai::api::session_view_json(zai::api::SessionView{})});
        CHECK(c.state == State::signed_out);
        CHECK(c.message == "Connected. You are not signed in.");
        CHECK(c.person_id.empty());
    }
    SUBCASE("no answer at all") {
        const auto c = describe_session_answer({0, ""});
        CHECK(c.state == State::failed);
        CHECK(c.message == "No answer from the backend. Check that zai-connect is running, then try again.");
    }
    SUBCASE("an API error is worded by its stable code, not by the server's text") {
        const auto body = zai::api::error_json(zai::Errc::csrf_header_missing, "server wording");
        const auto c = describe_session_answer({403, body});
        CHECK(c.state == State::failed);
        CHECK(c.message == std::string(zai::default_message(zai::Errc::csrf_header_missing)) + " (HTTP 403)");
    }
    SUBCASE("a proxy's HTML error page") {
        const auto c = describe_session_answer({502, "<html><body>Bad Gateway</body></html>"});
        CHECK(c.state == State::failed);
        CHECK(c.message == std::string(zai::default_message(zai::Errc::internal)) + " (HTTP 502)");
    }
    SUBCASE("200 with something that is not a session view") {
        for (const char* body : {"", "not json", "[]", R"({"authenticated":"yes"})", R"({"authenticated":true})"}) {
            CAPTURE(body);
            const auto c = describe_session_answer({200, body});
            CHECK(c.state == State::failed);
            CHECK(c.message == "The backend sent an answer the dashboard could not read.");
        }
    }
}
