// zai_core — the Zaikio OAuth scope grammar (see zai/scope.h for the rules and their sources).
#include "zai/scope.h"

#include <array>
#include <utility>

#include "zai/uuid.h"

namespace zai {
namespace {

constexpr std::size_t max_scope_bytes = 256;
constexpr std::size_t max_list_bytes = 4096;
constexpr std::string_view subscription_word = "subscription_create";

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// APP: [a-z][a-z0-9_]{2,}
bool is_app_name(std::string_view s) {
    if (s.size() < 3 || !is_lower(s[0])) return false;
    for (char c : s) {
        if (!is_lower(c) && !is_digit(c) && c != '_') return false;
    }
    return true;
}

// RESOURCE: [a-z][a-z_]{2,}
bool is_resource_name(std::string_view s) {
    if (s.size() < 3 || !is_lower(s[0])) return false;
    for (char c : s) {
        if (!is_lower(c) && c != '_') return false;
    }
    return true;
}

// ID: [a-z0-9-]+ (the Hub's regex; only UUIDs name real bearers)
bool is_bearer_id(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!is_lower(c) && !is_digit(c) && c != '-') return false;
    }
    return true;
}

// A plan name: [a-z0-9_-]+ (the Hub's plan slugs).
bool is_plan_name(std::string_view s) {
    return !s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string_view::npos;
}

std::optional<Permission> parse_permission(std::string_view s) {
    if (s == "r") return Permission::r;
    if (s == "w") return Permission::w;
    if (s == "rw") return Permission::rw;
    return std::nullopt;
}

std::string_view permission_text(Permission p) {
    switch (p) {
        case Permission::r: return "r";
        case Permission::w: return "w";
        case Permission::rw: return "rw";
    }
    return "r";
}

ScopeProblem problem(ScopeError e, std::string_view scope, std::string reason) {
    return ScopeProblem{e, std::string(scope.substr(0, 120)), std::move(reason)};
}

Unexpected<ScopeProblem> malformed(std::string_view scope, std::string reason) {
    return Unexpected{problem(ScopeError::malformed_scope, scope, std::move(reason))};
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = s.find(sep);
        parts.push_back(s.substr(0, at));
        if (at == std::string_view::npos) return parts;
        s.remove_prefix(at + 1);
    }
}

// "Org", "Org/<id>", "Per", "Per/<id>", "Per>Org", "Per>Org/<id>", "Per/<id>>Org[/<id>]".
// Returns false when `text` is not one of those.
bool parse_bearer(std::string_view text, Scope& s) {
    auto take_id = [](std::string_view& rest, std::string& id) {
        if (rest.empty() || rest.front() != '/') return true;  // no id
        rest.remove_prefix(1);
        const auto end = rest.find('>');
        id = std::string(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
        return is_bearer_id(id);
    };
    std::string_view rest = text;
    if (rest.starts_with("Org")) {
        rest.remove_prefix(3);
        s.form = BearerForm::org;
        return take_id(rest, s.bearer_id) && rest.empty();
    }
    if (!rest.starts_with("Per")) return false;
    rest.remove_prefix(3);
    std::string person_id;
    if (!take_id(rest, person_id)) return false;
    if (rest.empty()) {
        s.form = BearerForm::per;
        s.bearer_id = std::move(person_id);
        return true;
    }
    if (!rest.starts_with(">Org")) return false;
    rest.remove_prefix(4);
    s.form = BearerForm::per_for_org;
    s.person_id = std::move(person_id);
    return take_id(rest, s.bearer_id) && rest.empty();
}

// Class of the bearer for the "one bearer type per request" rule: an implicit bearer is a person.
int bearer_class(const Scope& s) {
    switch (s.form) {
        case BearerForm::implicit:
        case BearerForm::per: return 0;
        case BearerForm::org: return 1;
        case BearerForm::per_for_org: return 2;
    }
    return 0;
}

std::string_view app_for_compare(const std::string& app, AppAlias alias) {
    if (alias == AppAlias::directory_is_zaikio && app == "directory") return "zaikio";
    return app;
}

}  // namespace

std::string_view bearer_type_name(BearerType t) {
    return t == BearerType::organization ? "Organization" : "Person";
}

std::optional<BearerType> parse_bearer_type_name(std::string_view name) {
    if (name == "Person") return BearerType::person;
    if (name == "Organization") return BearerType::organization;
    return std::nullopt;
}

namespace {
constexpr std::array scope_error_ids{
    std::pair{ScopeError::malformed_scope, std::string_view{"malformed_scope"}},
    std::pair{ScopeError::different_bearer_types, std::string_view{"different_bearer_types"}},
    std::pair{ScopeError::different_bearer_ids, std::string_view{"different_bearer_ids"}},
    std::pair{ScopeError::scope_is_not_included_in_desired_scopes,
              std::string_view{"scope_is_not_included_in_desired_scopes"}},
    std::pair{ScopeError::bearer_does_not_exist, std::string_view{"bearer_does_not_exist"}},
    std::pair{ScopeError::unpermitted_bearer_id, std::string_view{"unpermitted_bearer_id"}},
    std::pair{ScopeError::ungranted_scope, std::string_view{"ungranted_scope"}},
    std::pair{ScopeError::scope_was_not_granted_in_parent, std::string_view{"scope_was_not_granted_in_parent"}},
    std::pair{ScopeError::delegation_access_token_cannot_delegate,
              std::string_view{"delegation_access_token_cannot_delegate"}},
    std::pair{ScopeError::parent_has_no_delegation_permission,
              std::string_view{"parent_has_no_delegation_permission"}},
};
}  // namespace

std::string_view scope_error_id(ScopeError e) {
    for (const auto& [err, id] : scope_error_ids) {
        if (err == e) return id;
    }
    return "malformed_scope";
}

std::optional<ScopeError> parse_scope_error_id(std::string_view id) {
    for (const auto& [err, text] : scope_error_ids) {
        if (text == id) return err;
    }
    return std::nullopt;
}

BearerType Scope::bearer_type() const {
    return (form == BearerForm::org || form == BearerForm::per_for_org) ? BearerType::organization
                                                                        : BearerType::person;
}

Scope resource_scope(std::string app, std::string resource, Permission p) {
    Scope s;
    s.app = std::move(app);
    s.resource = std::move(resource);
    s.permission = p;
    return s;
}

Expected<Scope, ScopeProblem> parse_scope(std::string_view text) {
    if (text.empty()) return malformed(text, "empty scope");
    if (text.size() > max_scope_bytes) return malformed(text, "scope longer than 256 bytes");

    Scope s;
    const std::vector<std::string_view> parts = split(text, '.');
    for (std::string_view part : parts) {
        if (part.empty()) return malformed(text, "empty segment (two dots, or a dot at either end)");
    }
    std::size_t first = 0;
    // Apps start with a lower-case letter, so anything else in front is a bearer.
    if (!is_lower(parts[0][0])) {
        if (!parse_bearer(parts[0], s)) {
            return malformed(text, "bearer must be Org, Per or Per>Org, optionally with /<id>");
        }
        first = 1;
    }
    const std::size_t n = parts.size() - first;

    if (s.form == BearerForm::org && n >= 1 && n <= 2 && parts[first].starts_with(subscription_word)) {
        std::string_view word = parts[first];
        word.remove_prefix(subscription_word.size());
        if (!word.empty()) {
            if (word.front() != '_' || !is_app_name(word.substr(1))) {
                return malformed(text, "subscription_create must be followed by _<app> or nothing");
            }
            s.subscription_app = std::string(word.substr(1));
        }
        if (n == 2) {
            if (!is_plan_name(parts[first + 1])) return malformed(text, "plan must be [a-z0-9_-]+");
            s.plan = std::string(parts[first + 1]);
        }
        s.kind = Scope::Kind::subscription;
        return s;
    }

    if (n != 3) return malformed(text, "expected APP.RESOURCE.PERMISSION");
    if (!is_app_name(parts[first])) return malformed(text, "app must be [a-z][a-z0-9_]{2,}");
    if (!is_resource_name(parts[first + 1])) return malformed(text, "resource must be [a-z][a-z_]{2,}");
    const auto permission = parse_permission(parts[first + 2]);
    if (!permission) return malformed(text, "permission must be r, w or rw");
    s.app = std::string(parts[first]);
    s.resource = std::string(parts[first + 1]);
    s.permission = *permission;
    return s;
}

std::string format_scope(const Scope& s) {
    std::string out;
    auto id_suffix = [&out](const std::string& id) {
        if (!id.empty()) {
            out.push_back('/');
            out += id;
        }
    };
    switch (s.form) {
        case BearerForm::implicit: break;
        case BearerForm::per:
            out = "Per";
            id_suffix(s.bearer_id);
            out.push_back('.');
            break;
        case BearerForm::org:
            out = "Org";
            id_suffix(s.bearer_id);
            out.push_back('.');
            break;
        case BearerForm::per_for_org:
            out = "Per";
            id_suffix(s.person_id);
            out += ">Org";
            id_suffix(s.bearer_id);
            out.push_back('.');
            break;
    }
    if (s.kind == Scope::Kind::subscription) {
        out += subscription_word;
        if (!s.subscription_app.empty()) out += "_" + s.subscription_app;
        if (!s.plan.empty()) out += "." + s.plan;
        return out;
    }
    out += s.app;
    out.push_back('.');
    out += s.resource;
    out.push_back('.');
    out += permission_text(s.permission);
    return out;
}

Expected<std::vector<Scope>, ScopeProblem> parse_scope_list(std::string_view text, ScopeListOptions options) {
    if (text.size() > max_list_bytes) return malformed(text, "scope list longer than 4096 bytes");
    std::vector<Scope> scopes;
    if (text.empty()) {
        if (options.allow_empty) return scopes;
        return malformed(text, "no scope requested");
    }
    std::string normalised_separators;
    if (options.allow_spaces) {
        normalised_separators = std::string(text);
        for (char& c : normalised_separators) {
            if (c == ' ') c = ',';
        }
        text = normalised_separators;
    }
    for (std::string_view piece : split(text, ',')) {
        if (piece.empty()) {
            if (options.allow_spaces) continue;  // "a, b" became "a,,b"
            return malformed(text, "empty scope in list (two commas, or a comma at either end)");
        }
        auto scope = parse_scope(piece);
        if (!scope) return Unexpected{scope.error()};
        scopes.push_back(std::move(*scope));
    }
    if (scopes.empty()) return malformed(text, "no scope requested");
    return scopes;
}

std::string format_scope_list(const std::vector<Scope>& scopes) {
    std::string out;
    for (const auto& s : scopes) {
        if (!out.empty()) out.push_back(',');
        out += format_scope(s);
    }
    return out;
}

Scope normalised(Scope s) {
    if (s.app == "directory") s.app = "zaikio";
    if (s.subscription_app == "directory") s.subscription_app = "zaikio";
    return s;
}

bool covers(const Scope& granted, const Scope& required, AppAlias alias) {
    if (granted.kind != Scope::Kind::resource || required.kind != Scope::Kind::resource) return false;
    const auto g = static_cast<unsigned>(granted.permission);
    const auto r = static_cast<unsigned>(required.permission);
    return app_for_compare(granted.app, alias) == app_for_compare(required.app, alias) &&
           granted.resource == required.resource && (g & r) == r;
}

bool covers_all(const std::vector<Scope>& granted, const std::vector<Scope>& required, AppAlias alias) {
    for (const auto& need : required) {
        bool found = false;
        for (const auto& have : granted) {
            if (covers(have, need, alias)) {
                found = true;
                break;
            }
        }
        if (!found) return false;
    }
    return true;
}

std::optional<ScopeProblem> check_bearer_rules(const std::vector<Scope>& scopes) {
    if (scopes.empty()) return std::nullopt;
    const Scope& first = scopes.front();
    for (const auto& s : scopes) {
        if (bearer_class(s) != bearer_class(first)) {
            return problem(ScopeError::different_bearer_types, format_scope(s),
                           "all scopes of one request must have the same bearer type");
        }
    }
    for (const auto& s : scopes) {
        if (s.bearer_id != first.bearer_id || s.person_id != first.person_id) {
            return problem(ScopeError::different_bearer_ids, format_scope(s),
                           "all scopes of one request must name the same bearer (or none)");
        }
    }
    return std::nullopt;
}

std::optional<ScopeProblem> check_desired(const std::vector<Scope>& requested, const std::vector<Scope>& desired,
                                          AppAlias alias) {
    for (const auto& want : requested) {
        if (want.kind != Scope::Kind::resource) continue;  // checkout scopes are not desired scopes
        bool found = false;
        for (const auto& d : desired) {
            if (covers(d, want, alias)) {
                found = true;
                break;
            }
        }
        if (!found) {
            return problem(ScopeError::scope_is_not_included_in_desired_scopes, format_scope(want),
                           "the app's desired scopes do not include this scope");
        }
    }
    return std::nullopt;
}

std::optional<ScopeProblem> check_flow(const std::vector<Scope>& scopes, Flow flow) {
    for (const auto& s : scopes) {
        const bool names_person = (s.form == BearerForm::per && !s.bearer_id.empty()) || !s.person_id.empty();
        if (flow == Flow::interactive && names_person) {
            return problem(ScopeError::unpermitted_bearer_id, format_scope(s),
                           "an interactive flow may name an organisation, never a person");
        }
        if (flow == Flow::client_credentials && s.bearer_id.empty()) {
            return problem(ScopeError::bearer_does_not_exist, format_scope(s),
                           "client credentials must name their bearer: Org/<id>. or Per/<id>.");
        }
    }
    return std::nullopt;
}

Expected<std::vector<Scope>, ScopeProblem> validate_request(std::string_view scope_param,
                                                            const std::vector<Scope>& desired, Flow flow,
                                                            AppAlias alias, ScopeListOptions options) {
    auto scopes = parse_scope_list(scope_param, options);
    if (!scopes) return scopes;
    if (auto p = check_bearer_rules(*scopes)) return Unexpected{std::move(*p)};
    if (auto p = check_flow(*scopes, flow)) return Unexpected{std::move(*p)};
    if (auto p = check_desired(*scopes, desired, alias)) return Unexpected{std::move(*p)};
    return scopes;
}

Expected<std::vector<Scope>, ScopeProblem> install_scopes(std::optional<std::string_view> organization_id,
                                                          const std::vector<Scope>& desired) {
    if (organization_id && !is_uuid(*organization_id)) {
        return malformed(*organization_id, "organisation id is not a UUID");
    }
    if (desired.empty()) return malformed("", "no organisation scopes configured");
    std::vector<Scope> out;
    for (const auto& d : desired) {
        if (d.kind != Scope::Kind::resource || (d.form != BearerForm::org && d.form != BearerForm::implicit)) {
            return malformed(format_scope(d), "organisation scopes must be plain or Org. resource scopes");
        }
        Scope s = d;
        s.form = BearerForm::org;
        s.bearer_id = organization_id ? std::string(*organization_id) : std::string{};
        s.person_id.clear();
        // The id makes the scope longer: it must still be a scope the Hub, and parse_scope, accept.
        if (std::string text = format_scope(s); text.size() > max_scope_bytes) {
            return malformed(text, "scope longer than 256 bytes with the organisation id");
        }
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace zai
