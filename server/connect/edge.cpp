// zai-connect — the HTTP edge.
#include "edge.h"

#include <algorithm>
#include <cstdio>

#include <httplib.h>

#include "http.h"
#include "zai/api.h"

namespace zai::connect {

int http_status(Errc code) {
    switch (code) {
        case Errc::bad_request:
        case Errc::invalid_return_path:
        case Errc::invalid_organization_id:
        case Errc::invalid_json:
        case Errc::wrong_type:
        case Errc::missing_member:
        case Errc::invalid_value:
        case Errc::flow_state_missing:
        case Errc::flow_state_unknown:
        case Errc::flow_expired:
        case Errc::flow_denied:
        case Errc::flow_hub_error:
        case Errc::flow_code_rejected:
        case Errc::flow_bearer_mismatch: return 400;
        case Errc::unauthenticated:
        case Errc::session_expired: return 401;
        case Errc::csrf_header_missing:
        case Errc::forbidden:
        case Errc::not_a_member:
        case Errc::not_an_admin: return 403;
        case Errc::not_found:
        case Errc::not_installed: return 404;
        case Errc::installation_revoked: return 409;
        case Errc::payload_too_large: return 413;
        case Errc::rate_limited: return 429;
        case Errc::hub_rate_limited: return 503;
        case Errc::hub_unavailable:
        case Errc::hub_bad_response: return 502;
        case Errc::hub_timeout: return 504;
        case Errc::internal: return 500;
    }
    return 500;
}

void set_no_store(httplib::Response& res) { res.set_header("Cache-Control", "no-store"); }

void send_json(httplib::Response& res, int status, std::string body) {
    res.status = status;
    set_no_store(res);
    res.set_content(std::move(body), "application/json");
}

void send_error(httplib::Response& res, Errc code, std::string_view message) {
    send_json(res, http_status(code), api::error_json(code, message));
}

void send_error_page(httplib::Response& res, Errc code, std::string_view message) {
    const std::string text = html_escape(message.empty() ? default_message(code) : message);
    res.status = http_status(code);
    set_no_store(res);
    res.set_content("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>zai-connect</title><link rel=\"stylesheet\" href=\"/shell.css\"></head>"
                    "<body><main class=\"flow-error\" data-error-code=\"" +
                        std::string(code_id(code)) + "\"><h1>zai-connect</h1><p role=\"alert\">" + text +
                        "</p><p><a href=\"/\">Back to the dashboard</a></p></main></body></html>\n",
                    "text/html; charset=utf-8");
}

void set_security_headers(httplib::Response& res, bool https) {
    // 'wasm-unsafe-eval' lets the page compile WebAssembly without allowing JS eval.
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
                   "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; "
                   "form-action 'self'; frame-ancestors 'none'; object-src 'none'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Cross-Origin-Opener-Policy", "same-origin");
    if (https) res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

bool has_api_header(const httplib::Request& req) {
    return req.get_header_value(std::string(api::api_header_name).c_str()) == api::api_header_value;
}

void log_line(std::string_view line) {
    // One fwrite per line: it holds the stream's lock, so lines stay whole across threads, and on
    // unbuffered stderr it is one write() instead of two.
    std::string whole;
    whole.reserve(line.size() + 1);
    whole.append(line).push_back('\n');
    std::fwrite(whole.data(), 1, whole.size(), stderr);
}

void hide_accept_encoding(const httplib::Request& req) {
    // The server owns a mutable Request and hands handlers a const view of it.
    auto& mutable_req = const_cast<httplib::Request&>(req);
    const auto found = mutable_req.headers.find("Accept-Encoding");
    if (found == mutable_req.headers.end()) return;
    std::string value = found->second;
    mutable_req.headers.erase("Accept-Encoding");
    mutable_req.headers.erase(accept_encoding_header);
    mutable_req.headers.emplace(accept_encoding_header, std::move(value));
}

std::string client_address(const httplib::Request& req, const Config& config) {
    const bool trusted = std::find(config.trusted_proxies.begin(), config.trusted_proxies.end(), req.remote_addr) !=
                         config.trusted_proxies.end();
    if (trusted && req.has_header("X-Forwarded-For")) {
        const std::string xff = req.get_header_value("X-Forwarded-For");
        const auto comma = xff.find(',');
        std::string first = xff.substr(0, comma);
        first.erase(std::remove(first.begin(), first.end(), ' '), first.end());
        if (!first.empty() && first.size() <= 45) return first;
    }
    return req.remote_addr;
}

}  // namespace zai::connect
