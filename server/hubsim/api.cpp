// hubsim — the REST API (see api.h).
#include "api.h"

#include <algorithm>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "http.h"
#include "keys.h"
#include "state.h"
#include "webhooks.h"
#include "zai/model.h"

namespace zai::hubsim::api {
namespace {

using nlohmann::ordered_json;

struct Caller {
    Subject subject;
    std::string jti;
    std::int64_t exp = 0;
    std::string app_name;  // aud[0]: the app the token was issued to
};

ordered_json nullable(const std::optional<std::string>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); }

// zaikio-jwt_auth's checks, in its order (§5.3). `resource` empty: no scope check.
std::optional<Caller> authenticate(Services& s, const httplib::Request& req, httplib::Response& res,
                                   std::optional<BearerType> subject_type, std::string_view resource) {
    const auto token = bearer_token(req.get_header_value("Authorization"));
    if (!token) {
        send_errors(res, 401, {"no_jwt_passed"});
        return std::nullopt;
    }
    const auto claims = s.keys.verify(*token, unix_now());
    if (!claims) {
        send_errors(res, 403, {claims.error() == JwtError::expired ? "jwt_expired" : "invalid_jwt"});
        return std::nullopt;
    }
    const auto subject = parse_jwt_sub(claims->sub);
    const bool revoked = s.hub.with([&](Data& d) { return d.revoked.contains(claims->jti); });
    if (!subject || claims->jti.empty() || revoked) {
        send_errors(res, 403, {"invalid_jwt"});
        return std::nullopt;
    }
    if (subject_type && subject->type != *subject_type) {
        send_errors(res, 403,
                    {"unpermitted_subject", "Expected Subject Type: " + std::string(bearer_type_name(*subject_type)) +
                                                " | Subject type from Access Token: " +
                                                std::string(bearer_type_name(subject->type))});
        return std::nullopt;
    }
    if (!resource.empty()) {
        const AppAlias alias = s.config.switches.directory_alias ? AppAlias::directory_is_zaikio : AppAlias::exact;
        const Scope needed = resource_scope("zaikio", std::string(resource), Permission::r);
        const bool allowed = std::any_of(claims->scope.begin(), claims->scope.end(), [&](const std::string& text) {
            const auto granted = parse_scope(text);
            return granted && covers(*granted, needed, alias);
        });
        if (!allowed) {
            const std::string name = "zaikio." + std::string(resource);
            send_errors(res, s.config.switches.unpermitted_scope_status,
                        {"unpermitted_scope", "This endpoint requires one of the following scopes: " + name + ".r, " +
                                                  name + ".rw"});
            return std::nullopt;
        }
    }
    return Caller{*subject, claims->jti, claims->exp.value_or(0), claims->aud.empty() ? "" : claims->aud.front()};
}

bool connected(Data& d, const std::string& app_name, const Subject& subject) {
    const App* app = find_app_by_name(d, app_name);
    return app && find_connection(d, app->client_id, subject);
}

ordered_json organization_json(Data& d, const Organization& o, const std::string& app_name) {
    ordered_json sections = ordered_json::object();
    for (const auto& [kind, values] : o.sections) sections[kind] = values;
    ordered_json j;
    j["id"] = o.id;
    j["name"] = o.name;
    j["slug"] = o.slug;
    j["logo_url"] = nullable(o.logo_url);
    j["connected"] = connected(d, app_name, Subject{BearerType::organization, o.id});
    j["kinds"] = o.kinds;
    j["sections"] = std::move(sections);
    j["kind"] = o.kinds.front();
    j["country_code"] = nullable(o.country_code);
    j["currency"] = nullable(o.currency);
    j["brand_color"] = nullable(o.brand_color);
    j["test_account_owner_id"] = nullptr;
    j["subscription"] = nullptr;
    j["created_at"] = iso_time(o.created_at);
    j["updated_at"] = iso_time(o.created_at);
    return j;
}

ordered_json person_json(Data& d, const Person& p, const std::string& app_name) {
    ordered_json j;
    j["id"] = p.id;
    j["first_name"] = p.first_name;
    j["name"] = p.name;
    j["full_name"] = p.full_name();
    j["email"] = p.email;
    j["email_confirmed"] = true;
    j["pronoun"] = nullable(p.pronoun);
    j["locale"] = p.locale;
    j["unit_system"] = p.unit_system;
    j["country_code"] = nullable(p.country_code);
    j["currency"] = nullable(p.currency);
    j["time_zone"] = p.time_zone;
    j["avatar_url"] = nullptr;
    j["connected"] = connected(d, app_name, Subject{BearerType::person, p.id});
    j["subscription"] = nullptr;
    j["two_factor_authentication_enabled"] = false;
    j["test_account_owner_id"] = nullptr;
    j["created_at"] = iso_time(p.created_at);
    j["updated_at"] = iso_time(p.created_at);
    return j;
}

ordered_json membership_head(const Membership& m) {
    ordered_json j;
    j["id"] = m.id;
    j["roles"] = m.roles;
    j["created_at"] = iso_time(m.created_at);
    j["updated_at"] = iso_time(m.updated_at);
    return j;
}

ordered_json person_memberships_json(Data& d, const std::string& person_id, const std::string& app_name) {
    ordered_json list = ordered_json::array();
    for (const auto& m : d.directory.memberships) {
        if (m.person_id != person_id) continue;
        const Organization* o = find_organization(d, m.organization_id);
        ordered_json j = membership_head(m);
        j["organization"] = organization_json(d, *o, app_name);
        list.push_back(std::move(j));
    }
    return list;
}

void send_ordered(httplib::Response& res, int status, const ordered_json& j) { send_json(res, status, j.dump()); }

std::optional<int> positive_int(const std::string& text) {
    if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const int v = std::stoi(text);
    return v >= 1 ? std::optional<int>(v) : std::nullopt;
}

}  // namespace

void person(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const auto caller = authenticate(s, req, res, BearerType::person, "person");
    if (!caller) return;
    s.hub.with([&](Data& d) {
        const Person* p = find_person(d, caller->subject.id);
        if (!p) return send_errors(res, 404, {"not_found"});
        ordered_json j = person_json(d, *p, caller->app_name);
        j["organization_memberships"] = person_memberships_json(d, p->id, caller->app_name);
        j["accessible_apps"] = ordered_json::array();
        send_ordered(res, 200, j);
    });
}

void person_memberships(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const auto caller = authenticate(s, req, res, BearerType::person, "person");
    if (!caller) return;
    s.hub.with([&](Data& d) {
        if (!find_person(d, caller->subject.id)) return send_errors(res, 404, {"not_found"});
        send_ordered(res, 200, person_memberships_json(d, caller->subject.id, caller->app_name));
    });
}

void organization(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const auto caller = authenticate(s, req, res, BearerType::organization, "organization");
    if (!caller) return;
    s.hub.with([&](Data& d) {
        const Organization* o = find_organization(d, caller->subject.id);
        if (!o) return send_errors(res, 404, {"not_found"});
        send_ordered(res, 200, organization_json(d, *o, caller->app_name));
    });
}

void organization_memberships(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const auto caller = authenticate(s, req, res, BearerType::organization, "organization_members");
    if (!caller) return;
    s.hub.with([&](Data& d) {
        if (!find_organization(d, caller->subject.id)) return send_errors(res, 404, {"not_found"});
        ordered_json list = ordered_json::array();
        for (const auto& m : d.directory.memberships) {
            if (m.organization_id != caller->subject.id) continue;
            ordered_json j = membership_head(m);
            j["person"] = person_json(d, *find_person(d, m.person_id), caller->app_name);
            list.push_back(std::move(j));
        }
        send_ordered(res, 200, list);
    });
}

void roles(Services&, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const bool german = req.has_param("lang") && req.get_param_value("lang") == "de";
    ordered_json list = ordered_json::array();
    for (const auto& r : hub_roles()) list.push_back({{"id", r.id}, {"name", german ? r.de : r.en}});
    send_ordered(res, 200, list);
}

void connections(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note) {
    const auto basic = parse_basic_authorization(req.get_header_value("Authorization"));
    note.client_auth = basic ? "basic" : "none";
    if (basic) note.client_id = basic->user;
    const auto parsed = request_params("", "", req.target);
    if (!parsed) return send_errors(res, 400, {"invalid_query"});
    note_params(note, *parsed);
    const std::string page_text = param(*parsed, "page");
    const std::string per_page_text = param(*parsed, "per_page");
    const auto page = page_text.empty() ? std::optional<int>(1) : positive_int(page_text);
    const auto per_page = per_page_text.empty() ? std::optional<int>(100) : positive_int(per_page_text);
    const std::string filter = param(*parsed, "filters[connectable_id]");
    s.hub.with([&](Data& d) {
        const App* app = basic ? find_app(d, basic->user) : nullptr;
        if (!app || !secret_matches(*app, basic->password)) {
            res.set_header("WWW-Authenticate", "Basic realm=\"hubsim\"");
            return send_errors(res, 401, {"unauthorized"});
        }
        if (!page) return send_errors(res, 400, {"invalid_page"});
        if (!per_page || *per_page > 100) return send_errors(res, 400, {"invalid_per_page"});
        std::vector<const Connection*> all;
        for (const auto& c : d.connections) {
            if (c.client_id == app->client_id && (filter.empty() || c.subject.connectable() == filter)) all.push_back(&c);
        }
        const int total = static_cast<int>(all.size());
        const int pages = (total + *per_page - 1) / *per_page;
        ordered_json list = ordered_json::array();
        for (int i = (*page - 1) * *per_page; i < std::min(total, *page * *per_page); ++i) {
            const Connection& c = *all[static_cast<std::size_t>(i)];
            ordered_json j;
            j["app_name"] = app->name;
            j["connectable_type"] = bearer_type_name(c.subject.type);
            j["connectable_id"] = c.subject.id;
            j["created_at"] = iso_time(c.created_at);
            j["updated_at"] = iso_time(c.updated_at);
            std::vector<std::string> granted;
            for (const auto& sc : c.granted) granted.push_back(format_scope(sc));
            j["granted_oauth_scopes"] = granted;
            list.push_back(std::move(j));
        }
        auto link = [&](int n, const char* rel) {
            QueryParams q{{"page", std::to_string(n)}, {"per_page", std::to_string(*per_page)}};
            if (!filter.empty()) q.emplace_back("filters[connectable_id]", filter);
            return "<" + s.base_url + "/api/v1/connections?" + build_query(q) + ">; rel=\"" + rel + "\"";
        };
        std::string links = link(1, "first");
        if (*page > 1) links += ", " + link(*page - 1, "prev");
        if (*page < pages) links += ", " + link(*page + 1, "next");
        links += ", " + link(std::max(pages, 1), "last");
        send_ordered(res, 200, list);
        res.set_header("Link", links);
        res.set_header("Current-Page", std::to_string(*page));
        res.set_header("Total-Count", std::to_string(total));
        res.set_header("Total-Pages", std::to_string(pages));
    });
}

void revoked_tokens(Services& s, const httplib::Request&, httplib::Response& res, RequestNote&) {
    std::vector<std::string> ids;
    s.hub.with([&](Data& d) {
        const std::int64_t now = unix_now();
        for (const auto& [jti, exp] : d.revoked) {
            if (exp > now) ids.push_back(jti);
        }
    });
    std::sort(ids.begin(), ids.end());
    send_ordered(res, 200, ordered_json{{"revoked_token_ids", ids}});
}

void revoke_token(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    const auto caller = authenticate(s, req, res, std::nullopt, "");
    if (!caller) return;
    std::vector<EventToSend> events;
    s.hub.with([&](Data& d) {
        if (d.issued.contains(caller->jti)) hubsim::revoke_token(d, caller->jti, events);
        else d.revoked.emplace(caller->jti, caller->exp);
    });
    s.hub.changed();
    s.webhooks.send(s.hub, events);
    send_ordered(res, 201, ordered_json{{"access_token_id", caller->jti}});
}

void jwt_public_keys(Services& s, const httplib::Request&, httplib::Response& res, RequestNote&) {
    send_json(res, 200, s.keys.jwks_json());
}

}  // namespace zai::hubsim::api
