// zai-connect — Zaikio Loom events.
#include "webhooks.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "crypto.h"
#include "edge.h"
#include "grants.h"
#include "zai/uuid.h"

namespace zai::connect {
namespace {

// "zaikio.revoked_connection" and "directory.revoked_connection" both end in the event's own name.
bool is_event(const std::string& name, std::string_view event) {
    for (std::string_view app : {"zaikio.", "directory."}) {
        if (name.size() == app.size() + event.size() && name.starts_with(app) && name.ends_with(event)) return true;
    }
    return false;
}

// A string member, or "" when absent or of another type (value() would throw on a type mismatch).
std::string string_member(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

bool verify_loom_signature(std::string_view secret, std::string_view signature_header, std::string_view body) {
    return !secret.empty() && constant_time_equal(signature_header, hmac_sha256_hex(secret, body));
}

Webhooks::Webhooks(Store& store, const Config& config, Metrics& metrics)
    : store_(store), config_(config), metrics_(metrics) {}

void Webhooks::receive(const httplib::Request& req, httplib::Response& res) {
    if (config_.webhook_secret.empty()) return send_error(res, Errc::not_found, "webhooks are not configured");
    if (!verify_loom_signature(config_.webhook_secret, req.get_header_value("X-Loom-Signature"), req.body)) {
        metrics_.count("zai_webhook_events_total", R"(result="bad_signature")");
        return send_error(res, Errc::forbidden, "bad signature");
    }
    const auto event = nlohmann::json::parse(req.body, nullptr, false);
    const std::string id = event.is_object() ? string_member(event, "id") : "";
    const std::string name = event.is_object() ? string_member(event, "name") : "";
    if (id.empty() || id.size() > 128 || name.empty()) {
        metrics_.count("zai_webhook_events_total", R"(result="malformed")");
        return send_error(res, Errc::bad_request, "not a Loom event");
    }
    if (!store_.record_event(id, unix_now())) {
        metrics_.count("zai_webhook_events_total", R"(result="duplicate")");
        return send_json(res, 200, R"({"status":"duplicate"})");
    }

    const std::string subject = string_member(event, "subject");
    if (is_event(name, "revoked_connection") && subject.starts_with("Org/") && is_uuid(subject.substr(4))) {
        store_.revoke_installation(subject.substr(4), "connection_revoked", unix_now());
        log_line("webhook: connection revoked for organization " + subject.substr(4));
    } else if (is_event(name, "revoked_access_token")) {
        const auto payload = event.find("payload");
        const std::string jti =
            payload != event.end() && payload->is_object() ? string_member(*payload, "access_token_id") : "";
        if (!jti.empty()) store_.drop_access_token_by_jti(jti);
    }
    metrics_.count("zai_webhook_events_total", R"(result="accepted")");
    send_json(res, 200, R"({"status":"accepted"})");
}

}  // namespace zai::connect
