// hubsim — the control API (see control.h).
#include "control.h"

#include <algorithm>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "faults.h"
#include "keys.h"
#include "request_log.h"
#include "state.h"
#include "webhooks.h"
#include "zai/model.h"

namespace zai::hubsim::control {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

void fail(httplib::Response& res, int status, std::string_view message) {
    send_json(res, status, json{{"error", message}}.dump());
}

// The request body as a JSON object; answers 400 and returns nullopt otherwise.
std::optional<json> body_object(const httplib::Request& req, httplib::Response& res) {
    json j = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        fail(res, 400, "the body must be a JSON object");
        return std::nullopt;
    }
    return j;
}

std::string str(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ordered_json lifetimes_json(const Lifetimes& l) {
    return ordered_json{{"access_token", l.access_token},
                        {"refresh_token", l.refresh_token},
                        {"code", l.code},
                        {"device_code", l.device_code}};
}

ordered_json fault_json(const Fault& f) {
    ordered_json j;
    j["id"] = f.id;
    j["kind"] = fault_kind_name(f.kind);
    j["path"] = f.path;
    if (!f.grant_type.empty()) j["grant_type"] = f.grant_type;
    if (f.kind == FaultKind::latency) j["latency_ms"] = f.latency_ms;
    if (f.kind == FaultKind::status) j["status"] = f.status;
    j["probability"] = f.probability;
    j["count"] = f.count;
    j["fired"] = f.fired;
    return j;
}

void send_events(Services& s, const std::vector<EventToSend>& events) { s.webhooks.send(s.hub, events); }

}  // namespace

void index(Services&, const httplib::Request&, httplib::Response& res, RequestNote&) {
    const ordered_json endpoints = {
        {"GET /__hubsim/requests[?since=N]", "requests received (names of parameters, never values of secrets)"},
        {"POST /__hubsim/requests/reset", "forget the request log"},
        {"GET /__hubsim/issued", "codes and tokens handed out lately, for leak scans in tests"},
        {"GET /__hubsim/webhooks", "Loom deliveries and their attempts"},
        {"POST /__hubsim/webhooks/reset", "forget finished deliveries"},
        {"GET /__hubsim/faults", "injected faults"},
        {"POST /__hubsim/faults", "add a fault: kind, path, grant_type, latency_ms, status, probability, count"},
        {"DELETE /__hubsim/faults/<id>", "remove a fault"},
        {"POST /__hubsim/faults/reset", "remove all faults"},
        {"GET /__hubsim/lifetimes", "token lifetimes in seconds"},
        {"POST /__hubsim/lifetimes", "set access_token, refresh_token, code, device_code (seconds)"},
        {"POST /__hubsim/keys/rotate", "new signing key; {\"drop_old\": true} unpublishes the old ones"},
        {"GET /__hubsim/connections", "all connections"},
        {"POST /__hubsim/connections/revoke", "revoke a connection: client_id, subject"},
        {"POST /__hubsim/memberships/roles", "change roles: person_id, organization_id, roles"},
        {"POST /__hubsim/memberships/remove", "remove a member: person_id, organization_id"},
    };
    send_json(res, 200, ordered_json{{"endpoints", endpoints}}.dump());
}

void requests(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    std::uint64_t since = 0;
    if (req.has_param("since")) {
        const std::string v = req.get_param_value("since");
        if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
            return fail(res, 400, "since must be a sequence number");
        }
        since = std::stoull(v);
    }
    send_json(res, 200, s.requests.json(since));
}

void issued(Services& s, const httplib::Request&, httplib::Response& res, RequestNote&) {
    send_json(res, 200, s.requests.secrets_json());
}

void requests_reset(Services& s, const httplib::Request&, httplib::Response& res, RequestNote&) {
    s.requests.clear();
    send_json(res, 200, R"({"ok":true})");
}

void webhooks(Services& s, const httplib::Request&, httplib::Response& res, RequestNote&) {
    ordered_json list = ordered_json::array();
    for (const auto& d : s.webhooks.deliveries()) {
        ordered_json attempts = ordered_json::array();
        for (const auto& a : d.attempts) {
            ordered_json j{{"at", iso_time_ms(a.at_ms)}, {"status", a.status}};
            if (!a.error.empty()) j["error"] = a.error;
            attempts.push_back(std::move(j));
        }
        list.push_back(ordered_json{{"event_id", d.event_id},
                                    {"name", d.name},
                                    {"subject", d.subject},
                                    {"url", d.url},
                                    {"delivered", d.delivered},
                                    {"given_up", d.given_up},
                                    {"attempts", attempts},
                                    {"event", ordered_json::parse(d.body)}});
    }
    send_json(res, 200, ordered_json{{"deliveries", list}}.dump());
}

void webhooks_reset(Services& s, const httplib::Request&, httplib::Response& res, RequestNote&) {
    s.webhooks.clear();
    send_json(res, 200, R"({"ok":true})");
}

void faults(Services& s, const httplib::Request&, httplib::Response& res, RequestNote&) {
    ordered_json list = ordered_json::array();
    for (const auto& f : s.faults.list()) list.push_back(fault_json(f));
    send_json(res, 200, ordered_json{{"faults", list}}.dump());
}

void fault_add(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const auto j = body_object(req, res);
    if (!j) return;
    Fault f;
    const auto kind = parse_fault_kind(str(*j, "kind"));
    if (!kind) return fail(res, 400, "kind must be latency, status, malformed_json, drop or wrong_bearer");
    f.kind = *kind;
    f.path = str(*j, "path");
    if (!f.path.starts_with("/") || f.path.starts_with("/__hubsim")) {
        return fail(res, 400, "path must be a request path such as /oauth/access_token or /api/v1/");
    }
    f.grant_type = str(*j, "grant_type");
    try {
        f.latency_ms = j->value("latency_ms", 0);
        f.status = j->value("status", 503);
        f.probability = j->value("probability", 1.0);
        f.count = j->value("count", 0);
    } catch (const json::type_error&) {
        return fail(res, 400, "latency_ms, status and count must be integers, probability a number");
    }
    if (f.latency_ms < 0 || f.latency_ms > 60000) return fail(res, 400, "latency_ms must be 0..60000");
    if (f.status < 400 || f.status > 599) return fail(res, 400, "status must be 400..599");
    if (!(f.probability > 0 && f.probability <= 1)) return fail(res, 400, "probability must be in (0, 1]");
    if (f.count < 0) return fail(res, 400, "count must be ≥ 0 (0: no limit)");
    send_json(res, 201, ordered_json{{"id", s.faults.add(f)}}.dump());
}

void fault_remove(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    if (!s.faults.remove(req.matches[1].str())) return fail(res, 404, "no such fault");
    send_json(res, 200, R"({"ok":true})");
}

void faults_reset(Services& s, const httplib::Request&, httplib::Response& res, RequestNote&) {
    s.faults.clear();
    send_json(res, 200, R"({"ok":true})");
}

void lifetimes(Services& s, const httplib::Request&, httplib::Response& res, RequestNote&) {
    const Lifetimes l = s.hub.with([](Data& d) { return d.lifetimes; });
    send_json(res, 200, lifetimes_json(l).dump());
}

void lifetimes_set(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const auto j = body_object(req, res);
    if (!j) return;
    Lifetimes l = s.hub.with([](Data& d) { return d.lifetimes; });
    for (auto [key, field] : {std::pair{"access_token", &l.access_token}, std::pair{"refresh_token", &l.refresh_token},
                              std::pair{"code", &l.code}, std::pair{"device_code", &l.device_code}}) {
        const auto it = j->find(key);
        if (it == j->end()) continue;
        if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 400 * 86400) {
            return fail(res, 400, std::string(key) + " must be a whole number of seconds, 1..34560000");
        }
        *field = it->get<std::int64_t>();
    }
    s.hub.with([&](Data& d) { d.lifetimes = l; });
    send_json(res, 200, lifetimes_json(l).dump());
}

void rotate_keys(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const auto j = body_object(req, res);
    if (!j) return;
    const auto drop = j->find("drop_old");
    if (drop != j->end() && !drop->is_boolean()) return fail(res, 400, "drop_old must be true or false");
    const std::string kid = s.keys.rotate(drop != j->end() && drop->get<bool>());
    s.hub.changed();
    send_json(res, 200, ordered_json{{"kid", kid}, {"kids", s.keys.kids()}}.dump());
}

void connections(Services& s, const httplib::Request&, httplib::Response& res, RequestNote&) {
    ordered_json list = ordered_json::array();
    s.hub.with([&](Data& d) {
        for (const auto& c : d.connections) {
            std::vector<std::string> granted;
            for (const auto& sc : c.granted) granted.push_back(format_scope(sc));
            list.push_back(ordered_json{{"id", c.id},
                                        {"client_id", c.client_id},
                                        {"subject", c.subject.jwt_sub()},
                                        {"granted", granted},
                                        {"installed_by", c.installed_by},
                                        {"created_at", iso_time(c.created_at)},
                                        {"updated_at", iso_time(c.updated_at)}});
        }
    });
    send_json(res, 200, ordered_json{{"connections", list}}.dump());
}

void revoke_connection(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const auto j = body_object(req, res);
    if (!j) return;
    const std::string client_id = str(*j, "client_id").empty() ? "zai_connect" : str(*j, "client_id");
    const auto subject = parse_jwt_sub(str(*j, "subject"));
    if (!subject) return fail(res, 400, "subject must be Organization/<uuid> or Person/<uuid>");
    std::vector<EventToSend> events;
    const bool revoked = s.hub.with(
        [&](Data& d) { return revoke_connection(d, client_id, *subject, s.config.switches, events); });
    if (!revoked) return fail(res, 404, "no such connection");
    s.hub.changed();
    send_events(s, events);
    send_json(res, 200, R"({"revoked":true})");
}

void set_roles(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const auto j = body_object(req, res);
    if (!j) return;
    const auto roles = j->find("roles");
    if (roles == j->end() || !roles->is_array() || roles->empty() ||
        !std::all_of(roles->begin(), roles->end(), [](const json& r) {
            const auto& known = hub_roles();
            return r.is_string() &&
                   std::any_of(known.begin(), known.end(), [&](const RoleName& n) { return n.id == r.get<std::string>(); });
        })) {
        return fail(res, 400, "roles must be a non-empty array of role ids from GET /api/v1/roles");
    }
    const bool found = s.hub.with([&](Data& d) {
        Membership* m = find_membership(d, str(*j, "person_id"), str(*j, "organization_id"));
        if (!m) return false;
        m->roles = roles->get<std::vector<std::string>>();
        m->updated_at = unix_now();
        return true;
    });
    if (!found) return fail(res, 404, "no such membership");
    send_json(res, 200, ordered_json{{"roles", *roles}}.dump());
}

void remove_member(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const auto j = body_object(req, res);
    if (!j) return;
    const std::string person = str(*j, "person_id");
    const std::string org = str(*j, "organization_id");
    const bool removed = s.hub.with([&](Data& d) {
        return std::erase_if(d.directory.memberships, [&](const Membership& m) {
                   return m.person_id == person && m.organization_id == org;
               }) > 0;
    });
    if (!removed) return fail(res, 404, "no such membership");
    send_json(res, 200, R"({"removed":true})");
}

}  // namespace zai::hubsim::control
