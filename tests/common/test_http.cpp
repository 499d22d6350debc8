// zai_native HTTP helpers: client credentials, bearer tokens, parameters, log lines, URLs.
#include <doctest/doctest.h>

#include "crypto.h"
#include "http.h"

using namespace zai;

TEST_CASE("R17 HTTP Basic client credentials are form-urlencoded before base64") {
    SUBCASE("round trip with characters that need encoding") {
        for (const std::string secret : {"plain", "with:colon", "100%", "a+b c", "ümlaut&=?/"}) {
            const auto back = parse_basic_authorization(basic_authorization("zai_connect", secret));
            REQUIRE(back.has_value());
            CHECK(back->user == "zai_connect");
            CHECK(back->password == secret);
        }
        CHECK(basic_authorization("a b", "c:d") == "Basic " + base64_encode("a%20b:c%3Ad"));
    }
    SUBCASE("what other clients send") {
        CHECK(parse_basic_authorization("Basic " + base64_encode("id:se+cret")) == BasicCredentials{"id", "se cret"});
        CHECK(parse_basic_authorization("basic " + base64_encode("id:x")) == BasicCredentials{"id", "x"});
        CHECK(parse_basic_authorization("BASIC  " + base64_encode("id:")) == BasicCredentials{"id", ""});
    }
    SUBCASE("malformed headers") {
        CHECK_FALSE(parse_basic_authorization(""));
        CHECK_FALSE(parse_basic_authorization("Basic"));
        CHECK_FALSE(parse_basic_authorization("Bearer " + base64_encode("id:x")));
        CHECK_FALSE(parse_basic_authorization("Basic !!!!"));
        CHECK_FALSE(parse_basic_authorization("Basic " + base64_encode("no-colon")));
        CHECK_FALSE(parse_basic_authorization("Basic " + base64_encode("id:%zz")));
    }
}

TEST_CASE("bearer_token reads exactly `Bearer <token>`") {
    CHECK(bearer_token("Bearer abc.def.ghi") == std::string("abc.def.ghi"));
    CHECK_FALSE(bearer_token("bearer abc"));
    CHECK_FALSE(bearer_token("Bearer  abc"));
    CHECK_FALSE(bearer_token("Bearer "));
    CHECK_FALSE(bearer_token("Bearer a b"));
    CHECK_FALSE(bearer_token("Basic abc"));
    CHECK_FALSE(bearer_token(""));
}

TEST_CASE("request_params: form, JSON and query string") {
    SUBCASE("form body first, then the query") {
        const auto p = request_params("application/x-www-form-urlencoded; charset=UTF-8",
                                      "grant_type=refresh_token&refresh_token=a%2Bb+c", "/oauth/access_token?x=1&grant_type=q");
        REQUIRE(p.has_value());
        CHECK(query_value(*p, "grant_type") == std::string("refresh_token"));
        CHECK(query_value(*p, "refresh_token") == std::string("a+b c"));
        CHECK(query_value(*p, "x") == std::string("1"));
    }
    SUBCASE("JSON body with strings, numbers and booleans") {
        const auto p = request_params("application/json", R"({"client_id":"zai","n":5,"b":true,"gone":null})", "/t");
        REQUIRE(p.has_value());
        CHECK(query_value(*p, "client_id") == std::string("zai"));
        CHECK(query_value(*p, "n") == std::string("5"));
        CHECK(query_value(*p, "b") == std::string("true"));
        CHECK_FALSE(query_value(*p, "gone"));
    }
    SUBCASE("query string only (POST with an empty body)") {
        const auto p = request_params("", "", "/oauth/access_token?grant_type=client_credentials&scope=Org%2Fx.a.b.r");
        REQUIRE(p.has_value());
        CHECK(query_value(*p, "scope") == std::string("Org/x.a.b.r"));
        CHECK(request_params("application/json", "", "/t")->empty());
    }
    SUBCASE("other content types contribute nothing") {
        CHECK(request_params("text/plain", "grant_type=x", "/t")->empty());
    }
    SUBCASE("errors carry codes") {
        CHECK(request_params("application/json", "{", "/t").error().code == Errc::invalid_json);
        CHECK(request_params("application/json", "[1]", "/t").error().code == Errc::invalid_json);
        CHECK(request_params("application/json", R"({"a":{"b":1}})", "/t").error().code == Errc::wrong_type);
        CHECK(request_params("application/x-www-form-urlencoded", "a=%G1", "/t").error().code == Errc::bad_request);
        CHECK(request_params("", "", "/t?a=%").error().code == Errc::bad_request);
    }
}

TEST_CASE("R23 request log lines cannot carry secrets or forge lines") {
    SUBCASE("the query is never printed") {
        const std::string line = format_request_log(
            {"GET", "/oauth/zaikio/callback?code=SECRETCODE&state=S", 302, 1.25, "", ""});
        CHECK(line == "GET /oauth/zaikio/callback 302 1.2ms");
        CHECK(line.find("SECRETCODE") == std::string::npos);
    }
    SUBCASE("grant type and client id") {
        CHECK(format_request_log({"POST", "/oauth/access_token", 200, 3.0, "urn:ietf:params:oauth:grant-type:device_code",
                                  "zai_connect"}) ==
              "POST /oauth/access_token 200 3.0ms grant_type=urn:ietf:params:oauth:grant-type:device_code "
              "client_id=zai_connect");
    }
    SUBCASE("control characters and spaces are replaced") {
        const std::string line =
            format_request_log({"GET\n", "/a b\nFAKE 200", 404, 0, "x y", "evil\r\nline"});
        CHECK(line.find('\n') == std::string::npos);
        CHECK(line.find('\r') == std::string::npos);
        CHECK(line.find(" b") == std::string::npos);
        CHECK(line.find("client_id=evil??line") != std::string::npos);
    }
    SUBCASE("long values are cut") {
        CHECK(format_request_log({"GET", "/" + std::string(1000, 'a'), 200, 0, "", ""}).size() < 240);
    }
}

TEST_CASE("html_escape") {
    CHECK(html_escape(R"(<a href="x">Tom & 'Jerry'</a>)") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    CHECK(html_escape("plain") == "plain");
}

TEST_CASE("split_url") {
    SUBCASE("http with port, path and query") {
        const auto u = split_url("http://127.0.0.1:8080/webhooks/zaikio?x=1");
        REQUIRE(u.has_value());
        CHECK(u->scheme == "http");
        CHECK(u->host == "127.0.0.1");
        CHECK(u->port == 8080);
        CHECK(u->target == "/webhooks/zaikio?x=1");
        CHECK(u->origin() == "http://127.0.0.1:8080");
    }
    SUBCASE("defaults, credentials, IPv6") {
        CHECK(split_url("https://hub.zaikio.com")->port == 443);
        CHECK(split_url("https://hub.zaikio.com")->target == "/");
        CHECK(split_url("http://h?q")->target == "/?q");
        const auto c = split_url("http://loom:p%40ss@127.0.0.1:9/hook");
        CHECK(c->user == "loom");
        CHECK(c->password == "p@ss");
        CHECK(c->host == "127.0.0.1");
        const auto v6 = split_url("http://[::1]:8081/x");
        CHECK(v6->host == "::1");
        CHECK(v6->origin() == "http://[::1]:8081");
    }
    SUBCASE("refused") {
        for (const char* bad : {"ftp://x/", "127.0.0.1:80", "http://", "http://:80/", "http://h:0/", "http://h:70000/",
                                "http://h:8a/", "http://h/#frag", "http://[::1/"}) {
            CHECK_FALSE(split_url(bad));
        }
    }
}

TEST_CASE("cookie_value") {
    CHECK(cookie_value("a=1; hubsim_session=xyz; b=2", "hubsim_session") == std::string("xyz"));
    CHECK(cookie_value("hubsim_session=", "hubsim_session") == std::string());
    CHECK_FALSE(cookie_value("xhubsim_session=1", "hubsim_session"));
    CHECK_FALSE(cookie_value("", "a"));
    CHECK(cookie_value("a=1;b=2", "b") == std::string("2"));
}
