// zai_core — JSON of the dashboard ↔ backend API (see zai/api.h).
#include "zai/api.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "json_read.h"

namespace zai::api {
namespace {

using detail::json;
using detail::ObjectReader;

json organization_json(const Organization& o) {
    json j = {{"id", o.id}, {"name", o.name}, {"slug", o.slug}, {"kinds", o.kinds}, {"connected", o.connected}};
    auto opt = [&j](const char* key, const std::optional<std::string>& v) { j[key] = v ? json(*v) : json(nullptr); };
    opt("country_code", o.country_code);
    opt("currency", o.currency);
    opt("brand_color", o.brand_color);
    opt("logo_url", o.logo_url);
    return j;
}

json row_json(const OrganizationRow& r) {
    return {{"id", r.id},
            {"name", r.name},
            {"roles", r.roles},
            {"installation", installation_state_id(r.installation)}};
}

void read_state(ObjectReader& r, std::string_view key, InstallationState& out) {
    std::string id;
    r.required(key, id);
    if (r.error()) return;
    if (auto s = parse_installation_state_id(id)) out = *s;
    else r.fail(Errc::invalid_value, key, "is not an installation state");
}

Expected<OrganizationRow, Error> read_row(const json& j, const std::string& path) {
    OrganizationRow row;
    ObjectReader r(j, path);
    r.required("id", row.id).required("name", row.name).required("roles", row.roles);
    read_state(r, "installation", row.installation);
    if (r.error()) return Unexpected{*r.error()};
    return row;
}

}  // namespace

bool SessionView::administers_any() const {
    return std::any_of(organizations.begin(), organizations.end(), [](const OrganizationRow& r) { return r.can_install(); });
}

void to_json(nlohmann::json& j, const SessionView& v) {
    j = {{"authenticated", v.authenticated}, {"expires_in", v.expires_in}};
    if (v.person) {
        j["person"] = {{"id", v.person->id}, {"full_name", v.person->full_name}, {"email", v.person->email}};
    } else {
        j["person"] = nullptr;
    }
    json rows = json::array();
    for (const auto& r : v.organizations) rows.push_back(row_json(r));
    j["organizations"] = std::move(rows);
    j["action_nonce"] = v.action_nonce;
}

void to_json(nlohmann::json& j, const OrganizationView& v) {
    const auto& in = v.installation;
    j = {{"organization", row_json(v.organization)},
         {"installation",
          {{"state", installation_state_id(in.state)},
           {"installed_by", in.installed_by},
           {"installed_at", in.installed_at},
           {"revoked_at", in.revoked_at},
           {"revoked_reason", in.revoked_reason},
           {"granted_scopes", in.granted_scopes},
           {"access_expires_at", in.access_expires_at},
           {"refreshed_at", in.refreshed_at}}},
         {"data", v.data ? organization_json(*v.data) : json(nullptr)},
         {"data_error", v.data_error ? json(code_id(*v.data_error)) : json(nullptr)},
         {"server_time", v.server_time}};
}

std::string session_view_json(const SessionView& v) { return json(v).dump(); }
std::string organization_view_json(const OrganizationView& v) { return json(v).dump(); }

Expected<SessionView, Error> parse_session_view(std::string_view text) {
    auto parsed = detail::parse_json(text);
    if (!parsed) return Unexpected{parsed.error()};
    SessionView v;
    ObjectReader r(*parsed, "");
    r.required("authenticated", v.authenticated).required("expires_in", v.expires_in).optional("action_nonce", v.action_nonce);
    if (const json* p = r.member("person", false)) {
        PersonSummary person;
        ObjectReader pr(*p, "person");
        pr.required("id", person.id).required("full_name", person.full_name).required("email", person.email);
        if (pr.error()) return Unexpected{*pr.error()};
        v.person = std::move(person);
    }
    const json* rows = r.member("organizations", true);
    if (r.error()) return Unexpected{*r.error()};
    if (!rows->is_array()) return Unexpected{Error{Errc::wrong_type, "organizations is not an array"}};
    for (std::size_t i = 0; i < rows->size(); ++i) {
        auto row = read_row((*rows)[i], "organizations[" + std::to_string(i) + "]");
        if (!row) return Unexpected{row.error()};
        v.organizations.push_back(std::move(*row));
    }
    return v;
}

Expected<OrganizationView, Error> parse_organization_view(std::string_view text) {
    auto parsed = detail::parse_json(text);
    if (!parsed) return Unexpected{parsed.error()};
    OrganizationView v;
    ObjectReader r(*parsed, "");
    r.required("server_time", v.server_time);
    const json* org = r.member("organization", true);
    const json* inst = r.member("installation", true);
    if (r.error()) return Unexpected{*r.error()};

    auto row = read_row(*org, "organization");
    if (!row) return Unexpected{row.error()};
    v.organization = std::move(*row);

    auto& in = v.installation;
    ObjectReader ir(*inst, "installation");
    read_state(ir, "state", in.state);
    ir.required("installed_by", in.installed_by)
        .required("installed_at", in.installed_at)
        .required("revoked_at", in.revoked_at)
        .required("revoked_reason", in.revoked_reason)
        .required("granted_scopes", in.granted_scopes)
        .required("access_expires_at", in.access_expires_at)
        .required("refreshed_at", in.refreshed_at);
    if (ir.error()) return Unexpected{*ir.error()};

    if (const json* data = r.member("data", false)) {
        auto o = parse_organization(*data);
        if (!o) return Unexpected{Error{o.error().code, "data." + o.error().detail}};
        v.data = std::move(*o);
    }
    std::optional<std::string> data_error;
    r.optional("data_error", data_error);
    if (data_error) {
        v.data_error = parse_code_id(*data_error);
        if (!v.data_error) r.fail(Errc::invalid_value, "data_error", "is not an error code");
    }
    if (r.error()) return Unexpected{*r.error()};
    return v;
}

std::string error_json(Errc code, std::string_view message) {
    const json j = {{"error", {{"code", code_id(code)}, {"message", message.empty() ? default_message(code) : message}}}};
    // Messages can carry Hub text cut at a byte limit: a split UTF-8 sequence becomes U+FFFD
    // instead of a type_error thrown while answering.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Error parse_error(std::string_view text) {
    auto parsed = detail::parse_json(text);
    if (!parsed) return Error{Errc::internal, "error body is not JSON"};
    std::string code;
    std::string message;
    ObjectReader r(*parsed, "");
    if (const json* e = r.member("error", true)) {
        ObjectReader er(*e, "error");
        er.required("code", code).optional("message", message);
        if (er.error()) return Error{Errc::internal, er.error()->detail};
    }
    if (r.error()) return Error{Errc::internal, r.error()->detail};
    if (auto c = parse_code_id(code)) return Error{*c, message};
    return Error{Errc::internal, "unknown error code " + code.substr(0, 40)};
}

}  // namespace zai::api
