// hubsim — what every request handler gets: the running services, and a note about the request
// for the access log and the control API's request log (never a secret: see RequestNote).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config.h"
#include "zai/url.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace zai::hubsim {

class Hub;
class KeyRing;
class Webhooks;
class Faults;
class RequestLog;

struct Services {
    const Config& config;
    std::string base_url;  // e.g. http://127.0.0.1:8081 (jku, device verification URLs)
    Hub& hub;
    KeyRing& keys;
    Webhooks& webhooks;
    Faults& faults;
    RequestLog& requests;
};

// Filled in by handlers; only names and non-secret values. Codes, tokens, secrets, verifiers,
// state values and passwords are never copied here — only the names of the parameters sent.
struct RequestNote {
    std::string grant_type;
    std::string client_id;
    std::string client_auth;  // "basic", "body" or "none" (token endpoint)
    std::string content_type; // media type of the body
    std::vector<std::string> params;  // parameter names received (sorted, unique)
    std::string redirect_uri;
    std::string scope;
    std::string code_challenge_method;
    bool wrong_bearer = false;  // set by the wrong_bearer fault for the token endpoint
};

using Handler = void (*)(Services&, const httplib::Request&, httplib::Response&, RequestNote&);

// The helpers below are defined in server.cpp.

// Records the parameter names and the non-secret values above from a parsed request.
void note_params(RequestNote& note, const QueryParams& params);

// Responses, each with Cache-Control: no-store.
void send_json(httplib::Response& res, int status, std::string body);
void send_html(httplib::Response& res, int status, std::string html);
void send_redirect(httplib::Response& res, const std::string& location, int status = 302);
// {"errors":[...]} — the Hub API's error shape.
void send_errors(httplib::Response& res, int status, const std::vector<std::string>& errors);

// The first value of a parameter, or "".
std::string param(const QueryParams& params, std::string_view name);

}  // namespace zai::hubsim
