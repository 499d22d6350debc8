// zai-connect — Zaikio Loom events (zaikio-hub.md §6, security.md R58).
//
// POST /webhooks/zaikio: the raw body must carry a valid `X-Loom-Signature` (hex HMAC-SHA256
// with WEBHOOK_SECRET, compared in constant time) or it is refused with 401 before it is parsed.
// Events are idempotent by id (a repeat answers 200 and changes nothing). Acted upon:
//   *.revoked_connection (subject Org/<uuid>)   → the installation becomes revoked, grant deleted
//   *.revoked_access_token ({access_token_id})  → that access token is dropped; next use refreshes
// for both the `zaikio.` and the older `directory.` prefixes. Other events are acknowledged.
#pragma once

#include <string_view>

#include "config.h"
#include "metrics.h"
#include "store.h"
#include "httplib_fwd.h"

namespace zai::connect {

// Is `signature_header` the lower-case hex HMAC-SHA256 of `body` keyed with `secret`? Compared in
// constant time; an empty secret verifies nothing. Pure, so tests/fuzz can drive it directly.
bool verify_loom_signature(std::string_view secret, std::string_view signature_header, std::string_view body);

class Webhooks {
public:
    Webhooks(Store& store, const Config& config, Metrics& metrics);
    void receive(const httplib::Request& req, httplib::Response& res);

private:
    Store& store_;
    const Config& config_;
    Metrics& metrics_;
};

}  // namespace zai::connect
