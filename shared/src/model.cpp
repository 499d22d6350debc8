// zai_core — reading the Hub's objects (see zai/model.h for the tolerance rules).
#include "zai/model.h"

#include <algorithm>

#include "json_read.h"
#include "zai/uuid.h"

namespace zai {
namespace {

using detail::json;
using detail::ObjectReader;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

void read_uuid(ObjectReader& r, std::string_view key, std::string& out) {
    r.required(key, out);
    if (!r.error() && !is_uuid(out)) r.fail(Errc::invalid_value, key, "is not a UUID");
}

Expected<Organization, Error> read_organization(const json& j, const std::string& path) {
    Organization o;
    ObjectReader r(j, path);
    read_uuid(r, "id", o.id);
    r.required("name", o.name)
        .optional("slug", o.slug)
        .optional("kinds", o.kinds)
        .optional("country_code", o.country_code)
        .optional("currency", o.currency)
        .optional("brand_color", o.brand_color)
        .optional("logo_url", o.logo_url)
        .optional("connected", o.connected);
    if (r.error()) return Unexpected{*r.error()};
    return o;
}

Expected<Membership, Error> read_membership(const json& j, const std::string& path) {
    Membership m;
    ObjectReader r(j, path);
    read_uuid(r, "id", m.id);
    r.required("roles", m.roles);
    const json* org = r.member("organization", true);
    if (r.error()) return Unexpected{*r.error()};
    auto o = read_organization(*org, r.path_of("organization"));
    if (!o) return Unexpected{o.error()};
    m.organization = std::move(*o);
    return m;
}

Expected<std::vector<Membership>, Error> read_memberships(const json& j, const std::string& path) {
    if (!j.is_array()) return Unexpected{Error{Errc::wrong_type, (path.empty() ? "document" : path) + " is not an array"}};
    std::vector<Membership> out;
    out.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
        auto m = read_membership(j[i], path + "[" + std::to_string(i) + "]");
        if (!m) return Unexpected{m.error()};
        out.push_back(std::move(*m));
    }
    return out;
}

// Reads {"id", "type"[, "roles"]}; `roles` only for bearer_on_behalf_of.
Expected<Bearer, Error> read_bearer(ObjectReader& parent, std::string_view key, std::vector<std::string>* roles) {
    const json* j = parent.member(key, true);
    if (parent.error()) return Unexpected{*parent.error()};
    Bearer b;
    ObjectReader r(*j, parent.path_of(key));
    std::string type;
    read_uuid(r, "id", b.id);
    r.required("type", type);
    if (roles) r.optional("roles", *roles);
    if (!r.error()) {
        if (auto t = parse_bearer_type_name(type)) b.type = *t;
        else r.fail(Errc::invalid_value, "type", "is neither Person nor Organization");
    }
    if (r.error()) return Unexpected{*r.error()};
    return b;
}

template <class T, class F>
Expected<T, Error> from_text(std::string_view text, F read) {
    auto j = detail::parse_json(text);
    if (!j) return Unexpected{j.error()};
    return read(*j);
}

}  // namespace

bool may_install(const std::vector<std::string>& roles) {
    return std::any_of(roles.begin(), roles.end(), [](const std::string& r) { return r == role_owner || r == role_admin; });
}

Expected<Organization, Error> parse_organization(const nlohmann::json& j) { return read_organization(j, ""); }
Expected<Organization, Error> parse_organization(std::string_view text) {
    return from_text<Organization>(text, [](const json& j) { return read_organization(j, ""); });
}

Expected<Person, Error> parse_person(const nlohmann::json& j) {
    Person p;
    ObjectReader r(j, "");
    read_uuid(r, "id", p.id);
    r.optional("first_name", p.first_name)
        .optional("name", p.name)
        .required("full_name", p.full_name)
        .required("email", p.email);
    const json* ms = r.member("organization_memberships", true);
    if (r.error()) return Unexpected{*r.error()};
    auto memberships = read_memberships(*ms, "organization_memberships");
    if (!memberships) return Unexpected{memberships.error()};
    p.memberships = std::move(*memberships);
    return p;
}

Expected<Person, Error> parse_person(std::string_view text) {
    return from_text<Person>(text, [](const json& j) { return parse_person(j); });
}

Expected<std::vector<Membership>, Error> parse_memberships(std::string_view text) {
    return from_text<std::vector<Membership>>(text, [](const json& j) { return read_memberships(j, ""); });
}

Expected<TokenResponse, Error> parse_token_response(const nlohmann::json& j) {
    TokenResponse t;
    ObjectReader r(j, "");
    std::string scope;
    r.required("access_token", t.access_token)
        .optional("refresh_token", t.refresh_token)
        .required("token_type", t.token_type)
        .optional("scope", scope)
        .optional("audiences", t.audiences)
        .required("expires_in", t.expires_in);
    if (!r.error() && t.access_token.empty()) r.fail(Errc::invalid_value, "access_token", "is empty");
    if (!r.error() && t.refresh_token && t.refresh_token->empty()) r.fail(Errc::invalid_value, "refresh_token", "is empty");
    if (!r.error() && !iequals(t.token_type, "bearer")) r.fail(Errc::invalid_value, "token_type", "is not bearer");
    if (!r.error() && t.expires_in < 0) r.fail(Errc::invalid_value, "expires_in", "is negative");
    if (!r.error()) {
        auto scopes = parse_scope_list(scope, ScopeListOptions{.allow_empty = true});
        if (scopes) t.scopes = std::move(*scopes);
        else r.fail(Errc::invalid_value, "scope", "is not a comma-separated scope list");
    }
    if (r.error()) return Unexpected{*r.error()};

    auto bearer = read_bearer(r, "bearer", nullptr);
    if (!bearer) return Unexpected{bearer.error()};
    t.bearer = std::move(*bearer);
    if (r.member("bearer_on_behalf_of", false)) {
        BearerOnBehalfOf on_behalf;
        auto b = read_bearer(r, "bearer_on_behalf_of", &on_behalf.roles);
        if (!b) return Unexpected{b.error()};
        on_behalf.type = b->type;
        on_behalf.id = std::move(b->id);
        t.bearer_on_behalf_of = std::move(on_behalf);
    }
    return t;
}

Expected<TokenResponse, Error> parse_token_response(std::string_view text) {
    return from_text<TokenResponse>(text, [](const json& j) { return parse_token_response(j); });
}

std::string token_response_json(const TokenResponse& t) {
    json j = {
        {"access_token", t.access_token},
        {"token_type", t.token_type},
        {"scope", format_scope_list(t.scopes)},
        {"audiences", t.audiences},
        {"expires_in", t.expires_in},
        {"bearer", {{"id", t.bearer.id}, {"type", bearer_type_name(t.bearer.type)}}},
    };
    if (t.refresh_token) j["refresh_token"] = *t.refresh_token;
    if (t.bearer_on_behalf_of) {
        const auto& b = *t.bearer_on_behalf_of;
        j["bearer_on_behalf_of"] = {{"id", b.id}, {"type", bearer_type_name(b.type)}, {"roles", b.roles}};
    }
    return j.dump();
}

std::string_view installation_state_id(InstallationState s) {
    switch (s) {
        case InstallationState::not_installed: return "not_installed";
        case InstallationState::installed: return "installed";
        case InstallationState::revoked: return "revoked";
    }
    return "not_installed";
}

std::optional<InstallationState> parse_installation_state_id(std::string_view id) {
    for (auto s : {InstallationState::not_installed, InstallationState::installed, InstallationState::revoked}) {
        if (installation_state_id(s) == id) return s;
    }
    return std::nullopt;
}

}  // namespace zai
