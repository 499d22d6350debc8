// The session every view shares: what GET /api/session answers mean, the sign-in and install
// addresses, the passive expiry check (R42), a session that ends under a view, and sign-out (R49).
#include <doctest/doctest.h>

#include "fixtures.h"
#include "session.h"

using namespace zai::web;
using namespace fixtures;
using zai::Errc;
using Kind = SessionAnswer::Kind;

namespace {

// A Session whose first load was answered: Ada is signed in (request 0).
struct SignedIn {
    SignedIn() {
        s.load();
        p.answer(0, 200, json(ada()));
    }
    HeadlessPlatform p;
    Session s{p};
};

}  // namespace

TEST_CASE("every kind of answer to GET /api/session") {
    SUBCASE("signed in") {
        const SessionAnswer a = read_session_answer({200, json(ada())});
        CHECK(a.kind == Kind::signed_in);
        CHECK(a.view == ada());
    }
    SUBCASE("signed out") { CHECK(read_session_answer({200, signed_out_json()}).kind == Kind::signed_out); }
    SUBCASE("authenticated but without a person is not a session") {
        zai::api::SessionView v = ada();
        v.person.reset();
        CHECK(read_session_answer({200, zai::api::session_view_json(v)}).kind == Kind::signed_out);
    }
    SUBCASE("R42 the session ended: 401 session_expired") {
        const SessionAnswer a = read_session_answer({401, error(Errc::session_expired)});
        CHECK(a.kind == Kind::ended);
        CHECK(a.failure.code == Errc::session_expired);
    }
    SUBCASE("failures keep their stable code") {
        const SessionAnswer a = read_session_answer({502, error(Errc::hub_unavailable)});
        CHECK(a.kind == Kind::failed);
        CHECK(a.failure.code == Errc::hub_unavailable);
        CHECK(read_session_answer({0, ""}).kind == Kind::failed);
    }
    SUBCASE("200 with something that is not a session view") {
        for (const char* body : {"", "not json", "[]", R"({"authenticated":"yes"})", R"({"authenticated":true})",
                                 "<html>proxy</html>"}) {
            CAPTURE(body);
            const SessionAnswer a = read_session_answer({200, body});
            CHECK(a.kind == Kind::failed);
            CHECK(a.failure.message == "The backend sent an answer the dashboard could not read.");
        }
    }
}

TEST_CASE("sign-in and install addresses") {
    CHECK(login_path("/") == "/login?return_to=%2F");
    CHECK(login_path("") == "/login?return_to=%2F");
    CHECK(login_path(std::string("/organizations/") + lindqvist + "?tab=x&y=1") ==
          std::string("/login?return_to=%2Forganizations%2F") + lindqvist + "%3Ftab%3Dx%26y%3D1");
    CHECK(install_path(std::string_view(lindqvist), "n+/=") ==
          std::string("/install?organization_id=") + lindqvist + "&nonce=n%2B%2F%3D");
    CHECK(install_path(std::nullopt, "abc") == "/install?nonce=abc");
}

TEST_CASE("the session loads, and checks back when it would expire without extending it (R42)") {
    HeadlessPlatform p;
    Session s(p);
    CHECK(s.phase() == Session::Phase::loading);
    s.load();
    REQUIRE(p.requests().size() == 1);
    CHECK(p.requests()[0].path == "/api/session");
    CHECK(p.requests()[0].api_header);
    CHECK(s.loading());
    p.answer(0, 200, json(session({}, "Ada Lindqvist", 90)));
    CHECK(s.phase() == Session::Phase::signed_in);
    CHECK_FALSE(s.loading());
    CHECK(s.view().person->full_name == "Ada Lindqvist");
    CHECK(p.timers() == std::vector<int>{91000});  // a second after it would end

    p.fire_timers();
    REQUIRE(p.requests().size() == 2);
    CHECK(p.requests()[1].path == "/api/session?passive=1");

    SUBCASE("it ended: signed out, saying so") {
        p.answer(1, 401, error(Errc::session_expired));
        CHECK(s.phase() == Session::Phase::signed_out);
        CHECK(s.notice() == zai::default_message(Errc::session_expired));
        CHECK(s.view().organizations.empty());
        CHECK(p.timers().empty());
    }
    SUBCASE("it was used meanwhile (another tab): check again when the new lifetime ends") {
        p.answer(1, 200, json(session({}, "Ada Lindqvist", 3600)));
        CHECK(s.phase() == Session::Phase::signed_in);
        CHECK(p.timers() == std::vector<int>{3601000});
    }
    SUBCASE("the cookie is gone without a 401: signed out, saying so") {
        p.answer(1, 200, signed_out_json());
        CHECK(s.phase() == Session::Phase::signed_out);
        CHECK(s.notice() == zai::default_message(Errc::session_expired));
    }
    SUBCASE("a failed check shows nothing and checks again later") {
        const auto revision = s.revision();
        p.answer(1, 0, "");
        CHECK(s.phase() == Session::Phase::signed_in);
        CHECK_FALSE(s.failure().has_value());
        CHECK(s.revision() == revision);
        CHECK(p.timers() == std::vector<int>{Session::retry_check_ms});
    }
}

TEST_CASE("a timer from an older load does nothing") {
    SignedIn signed_in;
    auto& [p, s] = signed_in;
    s.load();
    p.answer(1, 200, json(ada()));
    CHECK(p.timers().size() == 2);
    p.fire_timers();
    CHECK(p.requests().size() == 3);  // one check, not two
}

TEST_CASE("answers to older loads are ignored") {
    HeadlessPlatform p;
    Session s(p);
    s.load();
    s.load();
    p.answer(1, 200, json(ada()));
    p.answer(0, 200, signed_out_json());
    CHECK(s.phase() == Session::Phase::signed_in);
}

TEST_CASE("a first load that fails is the failed phase; a reload that fails keeps the data") {
    HeadlessPlatform p;
    Session s(p);
    s.load();
    p.answer(0, 502, error(Errc::hub_unavailable));
    CHECK(s.phase() == Session::Phase::failed);
    REQUIRE(s.failure().has_value());
    CHECK(s.failure()->code == Errc::hub_unavailable);

    s.load();
    CHECK(s.phase() == Session::Phase::loading);  // the retry is in flight, the old error is gone
    p.answer(1, 200, json(ada()));
    CHECK(s.phase() == Session::Phase::signed_in);
    CHECK_FALSE(s.failure().has_value());

    s.load();
    p.answer(2, 504, error(Errc::hub_timeout));
    CHECK(s.phase() == Session::Phase::signed_in);
    CHECK(s.view() == ada());
    REQUIRE(s.failure().has_value());
    CHECK(s.failure()->code == Errc::hub_timeout);
}

TEST_CASE("a view's request found the session gone") {
    HeadlessPlatform p;
    Session s(p);
    s.load();
    SUBCASE("after being signed in: a notice") {
        p.answer(0, 200, json(ada()));
        s.ended(describe_failure({401, error(Errc::unauthenticated)}));
        CHECK(s.phase() == Session::Phase::signed_out);
        CHECK(s.notice() == zai::default_message(Errc::unauthenticated));
    }
    SUBCASE("a visitor who never signed in needs no notice") {
        s.ended(describe_failure({401, error(Errc::unauthenticated)}));
        CHECK(s.phase() == Session::Phase::signed_out);
        CHECK(s.notice().empty());
        SUBCASE("and the load still in flight no longer counts") {
            p.answer(0, 200, json(ada()));
            CHECK(s.phase() == Session::Phase::signed_out);
        }
    }
    SUBCASE("an expired session always says so") {
        s.ended(describe_failure({401, error(Errc::session_expired)}));
        CHECK(s.notice() == zai::default_message(Errc::session_expired));
    }
}

TEST_CASE("R49 sign-out is a POST with the API header; 'everywhere' ends every session") {
    for (const bool everywhere : {false, true}) {
        CAPTURE(everywhere);
        SignedIn signed_in;
        auto& [p, s] = signed_in;
        int done = 0;
        s.sign_out(everywhere, [&] { ++done; });
        CHECK(s.signing_out());
        REQUIRE(p.requests().size() == 2);
        const auto& r = p.requests()[1];
        CHECK(r.method == HttpMethod::post);
        CHECK(r.path == (everywhere ? "/logout?everywhere=1" : "/logout"));
        CHECK(r.api_header);

        p.answer(1, 200, R"({"signed_out":true})");
        CHECK(done == 1);
        CHECK(s.phase() == Session::Phase::signed_out);
        CHECK(s.notice() == (everywhere ? "You have signed out on all your devices." : "You have signed out."));
        CHECK_FALSE(s.signing_out());
    }
}

TEST_CASE("the sign-out notice survives the reload of the home page that follows it") {
    // Signing out from /organizations/<id> goes to "/", which loads the session again.
    SignedIn signed_in;
    auto& [p, s] = signed_in;
    s.sign_out(false, [&] { s.load(); });
    p.answer(1, 200, R"({"signed_out":true})");
    REQUIRE(p.requests().size() == 3);
    p.answer(2, 200, signed_out_json());
    CHECK(s.phase() == Session::Phase::signed_out);
    CHECK(s.notice() == "You have signed out.");
}

TEST_CASE("a sign-out that failed leaves the person signed in, with the reason") {
    SignedIn signed_in;
    auto& [p, s] = signed_in;
    int done = 0;
    s.sign_out(false, [&] { ++done; });
    p.answer(1, 0, "");
    CHECK(done == 0);
    CHECK(s.phase() == Session::Phase::signed_in);
    REQUIRE(s.sign_out_failure().has_value());
    CHECK_FALSE(s.sign_out_failure()->code.has_value());
    CHECK_FALSE(s.signing_out());
}

TEST_CASE("a fresher row from a view updates the session and its revision") {
    SignedIn signed_in;
    auto& [p, s] = signed_in;
    const auto revision = s.revision();
    s.update(row(lindqvist, "Lindqvist Druck GmbH", {"owner"}));  // the same: no change
    CHECK(s.revision() == revision);
    s.update(row(lindqvist, "Lindqvist Druck GmbH", {"owner"}, zai::InstallationState::installed));
    CHECK(s.revision() == revision + 1);
    CHECK(s.view().organizations[0].installation == zai::InstallationState::installed);
    s.update(row("00000000-0000-4000-8000-000000000000", "Elsewhere", {"owner"}));  // not one of theirs
    CHECK(s.view().organizations.size() == 2);
}
