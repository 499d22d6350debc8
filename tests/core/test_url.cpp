// Percent-encoding and query strings (RFC 3986 §2, HTML form encoding).
#include <doctest/doctest.h>

#include "zai/url.h"

using namespace zai;

TEST_CASE("percent_encode keeps unreserved characters only") {
    CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
    CHECK(percent_encode("a b&c=d/e?f#g") == "a%20b%26c%3Dd%2Fe%3Ff%23g");
    CHECK(percent_encode("Org/b1475f65.zaikio.organization.r,x") == "Org%2Fb1475f65.zaikio.organization.r%2Cx");
    CHECK(percent_encode("é") == "%C3%A9");
    CHECK(percent_encode(std::string("\0", 1)) == "%00");
}

TEST_CASE("percent_decode reverses it and refuses broken escapes") {
    CHECK(percent_decode("a%20b%2fc").value() == "a b/c");
    CHECK(percent_decode("a+b").value() == "a+b");
    CHECK(percent_decode("a+b", true).value() == "a b");
    CHECK(percent_decode("%C3%A9").value() == "é");
    CHECK_FALSE(percent_decode("%"));
    CHECK_FALSE(percent_decode("%2"));
    CHECK_FALSE(percent_decode("abc%"));
    CHECK_FALSE(percent_decode("%zz"));
    CHECK(percent_decode("").value().empty());
}

TEST_CASE("query strings: build and parse") {
    const QueryParams params = {{"client_id", "zai_connect"},
                                {"redirect_uri", "http://127.0.0.1:8080/oauth/zaikio/callback"},
                                {"scope", "Org/b1475f65-236c-58b8-96e1-e1778b43beb7.zaikio.organization.r"},
                                {"state", "a+b/c="}};
    const auto text = build_query(params);
    CHECK(text.find(' ') == std::string::npos);
    CHECK(parse_query(text).value() == params);
    CHECK(query_value(params, "state") == "a+b/c=");
    CHECK_FALSE(query_value(params, "code"));
}

TEST_CASE("parse_query: form encoding, odd pieces, errors") {
    const auto p = parse_query("code=abc&state=x+y&&flag&empty=&dup=1&dup=2").value();
    CHECK(query_value(p, "code") == "abc");
    CHECK(query_value(p, "state") == "x y");
    CHECK(query_value(p, "flag") == "");
    CHECK(query_value(p, "empty") == "");
    CHECK(query_value(p, "dup") == "1");  // the first wins
    CHECK(p.size() == 6);
    CHECK(parse_query("").value().empty());
    CHECK_FALSE(parse_query("code=%zz"));
    CHECK_FALSE(parse_query("%=x"));
}
