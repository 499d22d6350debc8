// zai_native — HTTP details both servers need, written against plain strings (no httplib.h), so
// each rule is one function with its own unit test.
//
//   parse_basic_authorization / basic_authorization   RFC 6749 §2.3.1 client authentication
//   bearer_token                                       "Bearer <token>" as zaikio-jwt_auth reads it
//   request_params                                     a form body, a JSON body and the query string
//   format_request_log                                 one access-log line that cannot leak secrets
//   cookie_value, html_escape, split_url, path_without_query   small helpers
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "zai/error.h"
#include "zai/expected.h"
#include "zai/url.h"

namespace zai {

struct BasicCredentials {
    std::string user;      // the OAuth client_id
    std::string password;  // the OAuth client_secret

    friend bool operator==(const BasicCredentials&, const BasicCredentials&) = default;
};

// Reads `Basic base64(urlencode(id) ":" urlencode(secret))`. The scheme name is case-insensitive;
// id and secret are form-urldecoded after base64 (RFC 6749 §2.3.1), so a secret containing ':' or
// '%' survives. nullopt for another scheme, bad base64, no ':' or a broken %-escape.
std::optional<BasicCredentials> parse_basic_authorization(std::string_view header);
// The header value a client sends (the inverse of the above).
std::string basic_authorization(std::string_view user, std::string_view password);

// The token of `Bearer <token>`: exactly one space, non-empty token without spaces. zaikio-jwt_auth
// answers anything else with 401 no_jwt_passed (zaikio-hub.md §5.3), so no leniency here.
std::optional<std::string> bearer_token(std::string_view header);

// The request's parameters, in this order: the body (when its Content-Type is
// application/x-www-form-urlencoded or application/json), then the query string of `target` (the
// request line's target, "/path?query"). The Hub's token endpoint accepts all three forms
// (zaikio-hub.md §1.5). JSON bodies must be one object whose members are strings, numbers or
// booleans (null members are skipped). Other content types contribute nothing.
// Errors: invalid_json (not JSON / not an object), wrong_type (nested member), bad_request (a
// broken %-escape in the form body or query).
Expected<QueryParams, Error> request_params(std::string_view content_type, std::string_view body,
                                            std::string_view target);

// The value of cookie `name` in a Cookie request header ("a=1; b=2"), if present.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

// "/a/b?x=1" → "/a/b".
std::string_view path_without_query(std::string_view target);

// What one access-log line may carry. Everything else (query strings, bodies, headers) is left
// out by construction: codes, tokens, secrets and verifiers never reach the log.
struct RequestLogLine {
    std::string_view method;
    std::string_view target;  // the query is cut off before printing
    int status = 0;
    double duration_ms = 0;
    std::string_view grant_type;  // token endpoint only
    std::string_view client_id;
};
// `POST /oauth/access_token 200 1.8ms grant_type=refresh_token client_id=zai_connect`. Fields are
// cut to a sane length and characters outside a conservative set become '?', so a crafted path
// cannot forge log lines.
std::string format_request_log(const RequestLogLine& line);

// & < > " ' as entities, for text and attribute values alike.
std::string html_escape(std::string_view text);

struct UrlParts {
    std::string scheme;  // "http" or "https"
    std::string host;    // IPv6 literals without brackets
    int port = 0;        // explicit, or 80 / 443
    std::string target;  // path and query, at least "/"
    std::string user;    // from "user:password@", percent-decoded; empty when absent
    std::string password;

    // "scheme://host:port", brackets around IPv6 — what an HTTP client is constructed with.
    std::string origin() const;
};
// An absolute http(s) URL; nullopt for other schemes, a missing host, a bad port or a fragment.
std::optional<UrlParts> split_url(std::string_view url);

}  // namespace zai
