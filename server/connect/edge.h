// zai-connect — the HTTP edge: what every response carries, and the one place where an error
// code becomes an HTTP status and a JSON body (or, for browser navigations, an HTML page).
#pragma once

#include <string>
#include <string_view>

#include "config.h"
#include "zai/error.h"
#include "httplib_fwd.h"

namespace zai::connect {

// The HTTP status for each error code; decided here and nowhere else.
int http_status(Errc code);

// {"error": {"code", "message"}} with http_status(code) and no-store.
void send_error(httplib::Response& res, Errc code, std::string_view message = {});
void send_json(httplib::Response& res, int status, std::string body);

// A small HTML page for errors met during top-level navigations (/login, /install, the OAuth
// callback): the message is HTML-escaped, the code is in data-error-code for tests and support.
void send_error_page(httplib::Response& res, Errc code, std::string_view message = {});

// Security headers for every response (R60, R61): CSP fit for the wasm dashboard, nosniff,
// frame-ancestors none, referrer policy, HSTS when served over HTTPS.
void set_security_headers(httplib::Response& res, bool https);
void set_no_store(httplib::Response& res);

// R46: JSON API calls must carry `X-CSRF: 1`.
bool has_api_header(const httplib::Request& req);

// The peer address, or the first X-Forwarded-For address when the peer is a trusted proxy (R63).
std::string client_address(const httplib::Request& req, const Config& config);

// One line to stderr, whole (lines from parallel requests never interleave). Callers pass only
// fixed words, ids and codes: never tokens, secrets, authorization codes or query strings.
void log_line(std::string_view line);

// cpp-httplib 0.11.4 compresses every text response on the fly whenever the client accepts it,
// even when the handler already set Content-Encoding (measured: a precompressed file went out
// encoded twice). We serve precompressed files and small JSON, so the pre-routing handler moves
// Accept-Encoding out of httplib's sight into this header, where StaticFiles reads it.
inline constexpr const char* accept_encoding_header = "Zai-Accept-Encoding";
void hide_accept_encoding(const httplib::Request& req);

}  // namespace zai::connect
