// hubsim — built-in demo seed and the --seed file reader (format and names in seed.h).
#include "seed.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "http.h"
#include "zai/model.h"
#include "zai/uuid.h"

namespace zai::hubsim {
namespace {

using nlohmann::json;

constexpr std::int64_t seed_time = 1704096000;  // 2024-01-01T08:00:00Z

// The Hub schema's enums (hub-api-openapi.json, Organization.kinds / sections).
const std::vector<std::string> kinds{"printer",  "supplier",  "machine_vendor",     "brand_owner",
                                     "designer", "publisher", "software_developer", "other"};
const std::vector<std::pair<std::string, std::vector<std::string>>> section_values{
    {"printer",
     {"softcover_books", "hardcover_books", "labels", "packagings", "business_cards", "flyers", "leaflets", "brochures",
      "large_formats"}},
    {"supplier", {"sheet_substrates", "web_substrates", "ink", "plates", "foils", "other"}},
    {"machine_vendor",
     {"sheet_fed_offset_presses", "web_fed_offset_presses", "sheet_fed_digital_presses", "web_fed_digital_presses",
      "cutters", "binders", "saddle_stitchers"}},
    {"designer", {"self_employed", "studio", "inhouse", "other"}},
    {"publisher", {"softcover_books", "hardcover_books", "brochures"}},
    {"software_developer",
     {"imposing", "ganging", "mis", "reporting", "web_to_print", "logistics", "warehousing", "machine_integration",
      "preflight", "workflow", "billing", "accounting", "production_planning", "production_scheduling",
      "production_capacity_planning"}},
};

bool contains(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

bool is_brand_color(std::string_view c) {
    if (!c.empty() && c.front() == '#') c.remove_prefix(1);
    return (c.size() == 3 || c.size() == 6) && c.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

bool is_app_name(std::string_view s) {
    return s.size() >= 3 && s[0] >= 'a' && s[0] <= 'z' &&
           s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string_view::npos;
}

std::string slug_of(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
        else if (!out.empty() && out.back() != '_') out.push_back('_');
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out;
}

std::string hex12(unsigned n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%012x", n);
    return buf;
}

std::vector<Scope> scopes_or_throw(std::string_view text, const std::string& where) {
    auto s = parse_scope_list(text);
    if (!s) throw std::runtime_error(where + ": " + s.error().reason + " (" + s.error().scope + ")");
    return *s;
}

// One rule set for both seeds: the Hub's schema enums and the references between records.
void check(const Seed& seed) {
    const Directory& d = seed.directory;
    std::set<std::string> ids;
    auto unique_uuid = [&](const std::string& id, const std::string& where) {
        if (!is_uuid(id)) throw std::runtime_error(where + ".id is not a lower-case UUID: " + id);
        if (!ids.insert(id).second) throw std::runtime_error(where + ".id is used twice: " + id);
    };
    std::set<std::string> client_ids;
    for (std::size_t i = 0; i < d.apps.size(); ++i) {
        const App& a = d.apps[i];
        const std::string at = "apps[" + std::to_string(i) + "]";
        if (!is_app_name(a.name)) throw std::runtime_error(at + ".name must be [a-z][a-z0-9_]{2,}");
        if (a.client_id.empty() || !client_ids.insert(a.client_id).second) {
            throw std::runtime_error(at + ".client_id is empty or used twice");
        }
        if (a.confidential && a.client_secret.empty()) {
            throw std::runtime_error(at + " (" + a.client_id +
                                     ") is confidential but has no secret: pass --app-secret or set HUBSIM_APP_SECRET");
        }
        if (a.redirect_urls.empty()) throw std::runtime_error(at + ".redirect_urls is empty");
        for (const auto& u : a.redirect_urls) {
            if (!split_url(u)) throw std::runtime_error(at + ": redirect URL is not an absolute http(s) URL: " + u);
        }
        if (!a.webhook_url.empty()) {
            if (!split_url(a.webhook_url)) throw std::runtime_error(at + ".webhook_url is not an http(s) URL");
            if (a.webhook_secret.empty()) {
                throw std::runtime_error(at + " has a webhook URL but no secret: pass --app-webhook-secret");
            }
        }
    }
    for (std::size_t i = 0; i < d.organizations.size(); ++i) {
        const Organization& o = d.organizations[i];
        const std::string at = "organizations[" + std::to_string(i) + "]";
        unique_uuid(o.id, at);
        if (o.name.empty()) throw std::runtime_error(at + ".name is empty");
        if (o.kinds.empty()) throw std::runtime_error(at + ".kinds needs at least one kind");
        for (const auto& k : o.kinds) {
            if (!contains(kinds, k)) throw std::runtime_error(at + ".kinds: unknown kind " + k);
        }
        for (const auto& [kind, values] : o.sections) {
            const auto allowed = std::find_if(section_values.begin(), section_values.end(),
                                              [&](const auto& s) { return s.first == kind; });
            if (allowed == section_values.end()) throw std::runtime_error(at + ".sections: no sections for " + kind);
            for (const auto& v : values) {
                if (!contains(allowed->second, v)) throw std::runtime_error(at + ".sections." + kind + ": unknown " + v);
            }
        }
        if (o.brand_color && !is_brand_color(*o.brand_color)) throw std::runtime_error(at + ".brand_color is not #rrggbb");
    }
    for (std::size_t i = 0; i < d.people.size(); ++i) {
        const Person& p = d.people[i];
        const std::string at = "people[" + std::to_string(i) + "]";
        unique_uuid(p.id, at);
        if (p.first_name.empty() || p.name.empty()) throw std::runtime_error(at + ": first_name and name are required");
        if (p.email.find('@') == std::string::npos) throw std::runtime_error(at + ".email is not an e-mail address");
        if (!contains({"en", "en-US", "de"}, p.locale)) throw std::runtime_error(at + ".locale must be en, en-US or de");
        if (!contains({"metric", "imperial"}, p.unit_system)) throw std::runtime_error(at + ".unit_system");
        if (p.pronoun && !contains({"She/Her", "He/Him"}, *p.pronoun)) throw std::runtime_error(at + ".pronoun");
    }
    std::set<std::pair<std::string, std::string>> pairs;
    for (std::size_t i = 0; i < d.memberships.size(); ++i) {
        const Membership& m = d.memberships[i];
        const std::string at = "memberships[" + std::to_string(i) + "]";
        unique_uuid(m.id, at);
        if (!d.person_index.contains(m.person_id)) throw std::runtime_error(at + ".person_id is not a person");
        if (!d.organization_index.contains(m.organization_id)) {
            throw std::runtime_error(at + ".organization_id is not an organization");
        }
        if (!pairs.emplace(m.person_id, m.organization_id).second) {
            throw std::runtime_error(at + ": that person is already a member of that organization");
        }
        if (m.roles.empty()) throw std::runtime_error(at + ".roles is empty");
        for (const auto& r : m.roles) {
            const auto& known = hub_roles();
            if (std::none_of(known.begin(), known.end(), [&](const RoleName& n) { return n.id == r; })) {
                throw std::runtime_error(at + ".roles: unknown role " + r);
            }
        }
    }
    for (std::size_t i = 0; i < seed.connections.size(); ++i) {
        const SeedConnection& c = seed.connections[i];
        const std::string at = "connections[" + std::to_string(i) + "]";
        if (std::none_of(d.apps.begin(), d.apps.end(), [&](const App& a) { return a.client_id == c.client_id; })) {
            throw std::runtime_error(at + ".client_id is not an app");
        }
        const bool person = c.subject.type == BearerType::person;
        if (!(person ? d.person_index.contains(c.subject.id) : d.organization_index.contains(c.subject.id))) {
            throw std::runtime_error(at + ".subject does not exist");
        }
        if (!d.person_index.contains(c.installed_by)) throw std::runtime_error(at + ".installed_by is not a person");
        for (const auto& s : c.scopes) {
            if (s.form != BearerForm::implicit || s.kind != Scope::Kind::resource) {
                throw std::runtime_error(at + ".scopes must be plain app.resource.permission scopes");
            }
        }
        if (!person) {
            const bool admin = std::any_of(d.memberships.begin(), d.memberships.end(), [&](const Membership& m) {
                return m.person_id == c.installed_by && m.organization_id == c.subject.id && may_install(m.roles);
            });
            if (!admin) throw std::runtime_error(at + ".installed_by is not owner or admin of that organization");
        }
    }
}

// --- reading JSON strictly ----------------------------------------------------------------------

class Reader {
public:
    Reader(const json& j, std::string path, std::initializer_list<const char*> allowed) : j_(j), path_(std::move(path)) {
        if (!j_.is_object()) throw std::runtime_error(path_ + " must be an object");
        for (const auto& [key, value] : j_.items()) {
            if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
                throw std::runtime_error(path_ + ": unknown member \"" + key + "\"");
            }
        }
    }
    bool has(const char* key) const { return j_.contains(key) && !j_.at(key).is_null(); }
    std::string str(const char* key, std::string fallback, bool required = false) const {
        if (!has(key)) {
            if (required) throw std::runtime_error(path_ + "." + key + " is required");
            return fallback;
        }
        if (!j_.at(key).is_string()) throw std::runtime_error(path_ + "." + key + " must be a string");
        return j_.at(key).get<std::string>();
    }
    std::optional<std::string> opt(const char* key) const {
        if (!has(key)) return std::nullopt;
        return str(key, "");
    }
    bool boolean(const char* key, bool fallback) const {
        if (!has(key)) return fallback;
        if (!j_.at(key).is_boolean()) throw std::runtime_error(path_ + "." + key + " must be true or false");
        return j_.at(key).get<bool>();
    }
    std::vector<std::string> strings(const char* key, bool required) const {
        if (!has(key)) {
            if (required) throw std::runtime_error(path_ + "." + key + " is required");
            return {};
        }
        const json& a = j_.at(key);
        std::vector<std::string> out;
        if (!a.is_array()) throw std::runtime_error(path_ + "." + key + " must be an array of strings");
        for (const auto& v : a) {
            if (!v.is_string()) throw std::runtime_error(path_ + "." + key + " must be an array of strings");
            out.push_back(v.get<std::string>());
        }
        return out;
    }
    // A scope list written as "a,b" or ["a", "b"].
    std::vector<Scope> scopes(const char* key) const {
        if (has(key) && j_.at(key).is_array()) {
            std::string joined;
            for (const auto& s : strings(key, true)) joined += (joined.empty() ? "" : ",") + s;
            return scopes_or_throw(joined, path_ + "." + key);
        }
        return scopes_or_throw(str(key, "", true), path_ + "." + key);
    }
    const json& at(const char* key) const { return j_.at(key); }
    const std::string& path() const { return path_; }

private:
    const json& j_;
    std::string path_;
};

const json& array_member(const json& root, const char* key) {
    static const json empty = json::array();
    if (!root.contains(key)) return empty;
    if (!root.at(key).is_array()) throw std::runtime_error(std::string(key) + " must be an array");
    return root.at(key);
}

Seed read_seed(const json& root, const AppOptions& options) {
    Reader top(root, "seed", {"apps", "organizations", "people", "memberships", "connections"});
    Seed seed;
    Directory& d = seed.directory;
    const json& apps = array_member(root, "apps");
    for (std::size_t i = 0; i < apps.size(); ++i) {
        Reader r(apps[i], "apps[" + std::to_string(i) + "]",
                 {"name", "client_id", "client_secret", "confidential", "redirect_urls", "desired_scopes",
                  "webhook_url", "webhook_secret"});
        App a;
        a.name = r.str("name", "", true);
        a.client_id = r.str("client_id", "", true);
        a.confidential = r.boolean("confidential", true);
        a.client_secret = a.confidential ? r.str("client_secret", options.secret) : "";
        a.redirect_urls = r.strings("redirect_urls", true);
        a.desired_scopes = r.scopes("desired_scopes");
        a.webhook_url = r.str("webhook_url", "");
        a.webhook_secret = a.webhook_url.empty() ? "" : r.str("webhook_secret", options.webhook_secret);
        d.apps.push_back(std::move(a));
    }
    const json& orgs = array_member(root, "organizations");
    for (std::size_t i = 0; i < orgs.size(); ++i) {
        Reader r(orgs[i], "organizations[" + std::to_string(i) + "]",
                 {"id", "name", "slug", "kinds", "sections", "country_code", "currency", "brand_color", "logo_url"});
        Organization o;
        o.id = r.str("id", "", true);
        o.name = r.str("name", "", true);
        o.slug = r.str("slug", slug_of(o.name));
        o.kinds = r.strings("kinds", true);
        if (r.has("sections")) {
            Reader s(r.at("sections"), r.path() + ".sections",
                     {"printer", "supplier", "machine_vendor", "designer", "publisher", "software_developer"});
            for (const auto& [kind, values] : section_values) {
                if (s.has(kind.c_str())) o.sections.emplace_back(kind, s.strings(kind.c_str(), true));
            }
        }
        o.country_code = r.opt("country_code");
        o.currency = r.opt("currency");
        o.brand_color = r.opt("brand_color");
        o.logo_url = r.opt("logo_url");
        o.created_at = seed_time;
        d.organizations.push_back(std::move(o));
    }
    const json& people = array_member(root, "people");
    for (std::size_t i = 0; i < people.size(); ++i) {
        Reader r(people[i], "people[" + std::to_string(i) + "]",
                 {"id", "first_name", "name", "email", "locale", "time_zone", "unit_system", "pronoun", "country_code",
                  "currency"});
        Person p;
        p.id = r.str("id", "", true);
        p.first_name = r.str("first_name", "", true);
        p.name = r.str("name", "", true);
        p.email = r.str("email", "", true);
        p.locale = r.str("locale", p.locale);
        p.time_zone = r.str("time_zone", p.time_zone);
        p.unit_system = r.str("unit_system", p.unit_system);
        p.pronoun = r.opt("pronoun");
        p.country_code = r.opt("country_code");
        p.currency = r.opt("currency");
        p.created_at = seed_time;
        d.people.push_back(std::move(p));
    }
    const json& memberships = array_member(root, "memberships");
    for (std::size_t i = 0; i < memberships.size(); ++i) {
        Reader r(memberships[i], "memberships[" + std::to_string(i) + "]", {"id", "person_id", "organization_id", "roles"});
        d.memberships.push_back(Membership{r.str("id", "", true), r.str("person_id", "", true),
                                           r.str("organization_id", "", true), r.strings("roles", true), seed_time,
                                           seed_time});
    }
    const json& connections = array_member(root, "connections");
    for (std::size_t i = 0; i < connections.size(); ++i) {
        Reader r(connections[i], "connections[" + std::to_string(i) + "]",
                 {"client_id", "subject", "scopes", "installed_by"});
        const auto subject = parse_jwt_sub(r.str("subject", "", true));
        if (!subject) throw std::runtime_error(r.path() + ".subject must be Person/<uuid> or Organization/<uuid>");
        seed.connections.push_back(
            SeedConnection{r.str("client_id", "", true), *subject, r.scopes("scopes"), r.str("installed_by", "", true)});
    }
    return seed;
}

Expected<Seed, std::string> checked(Seed seed) {
    seed.directory.build_indexes();
    try {
        check(seed);
    } catch (const std::runtime_error& e) {
        return Unexpected{std::string(e.what())};
    }
    return seed;
}

}  // namespace

Expected<Seed, std::string> builtin_seed(const AppOptions& options) {
    Seed seed;
    Directory& d = seed.directory;
    try {
        App connect;
        connect.name = "zai_connect";
        connect.client_id = "zai_connect";
        connect.client_secret = options.secret;
        connect.redirect_urls =
            options.redirect_urls.empty() ? std::vector<std::string>{default_redirect_url} : options.redirect_urls;
        connect.desired_scopes = scopes_or_throw(options.desired_scopes, "--app-desired-scopes");
        connect.webhook_url = options.webhook_url;
        connect.webhook_secret = options.webhook_secret;
        d.apps.push_back(std::move(connect));
    } catch (const std::runtime_error& e) {
        return Unexpected{std::string(e.what())};
    }

    App mobile;
    mobile.name = "zai_mobile";
    mobile.client_id = "zai_mobile";
    mobile.confidential = false;
    mobile.redirect_urls = {"http://127.0.0.1:8090/callback"};
    mobile.desired_scopes =
        *parse_scope_list("zaikio.person.r,Org.zaikio.organization.r,Org.zaikio.organization_members.r");
    d.apps.push_back(std::move(mobile));

    const std::string lindqvist = "3f0c6d2e-8b1a-4c5d-9e7f-1a2b3c4d5e60";
    const std::string nordlicht = "7a9e4b12-5c3d-4e6f-8a1b-2c3d4e5f6a70";
    d.organizations.push_back(Organization{lindqvist, "Lindqvist Druck GmbH", "lindqvist_druck_gmbh", {"printer"},
                                           {{"printer", {"labels", "packagings", "brochures"}}}, "DE", "EUR", "#0a6e5c",
                                           std::nullopt, seed_time});
    d.organizations.push_back(Organization{nordlicht, "Nordlicht Verpackungen AG", "nordlicht_verpackungen_ag",
                                           {"printer", "supplier"},
                                           {{"printer", {"packagings"}}, {"supplier", {"foils", "web_substrates"}}}, "DE",
                                           "EUR", std::nullopt, std::nullopt, seed_time});

    auto person = [&](std::string id, std::string first, std::string last, std::string email, std::string locale,
                      std::optional<std::string> pronoun) {
        Person p;
        p.id = std::move(id);
        p.first_name = std::move(first);
        p.name = std::move(last);
        p.email = std::move(email);
        p.locale = std::move(locale);
        p.pronoun = std::move(pronoun);
        p.country_code = "DE";
        p.currency = "EUR";
        p.created_at = seed_time;
        d.people.push_back(std::move(p));
        return d.people.back().id;
    };
    const auto ada = person("a1d4c0de-0000-4000-8000-00000000000a", "Ada", "Lindqvist", "ada@lindqvist-druck.example", "de",
                            "She/Her");
    const auto bruno = person("b2a7e1f0-0000-4000-8000-00000000000b", "Bruno", "Hartmann",
                              "bruno.hartmann@lindqvist-druck.example", "de", "He/Him");
    const auto chiara =
        person("c3e9a2b4-0000-4000-8000-00000000000c", "Chiara", "Rossi", "chiara.rossi@lindqvist-druck.example", "en",
               std::nullopt);
    const auto dev = person("d4f0b3c5-0000-4000-8000-00000000000d", "Dev", "Patel", "dev.patel@scale-print.example",
                            "en-US", std::nullopt);
    d.people.back().unit_system = "imperial";
    d.people.back().time_zone = "America/Chicago";
    d.people.back().country_code = "US";
    d.people.back().currency = "USD";
    person("e5a1c4d6-0000-4000-8000-00000000000e", "Emil", "Novak", "emil.novak@example.org", "en", std::nullopt);

    unsigned next_membership = 1;
    auto member = [&](const std::string& p, const std::string& o, std::vector<std::string> roles) {
        d.memberships.push_back(Membership{"ae3b1000-0000-4000-8000-" + hex12(next_membership++), p, o, std::move(roles),
                                           seed_time, seed_time});
    };
    member(ada, lindqvist, {"owner"});
    member(ada, nordlicht, {"owner"});
    member(bruno, lindqvist, {"admin"});
    member(bruno, nordlicht, {"member"});
    member(chiara, lindqvist, {"member", "purchaser"});

    // A person in 1,000 organisations, for scale (the dashboard's long list, big /person bodies).
    for (unsigned i = 1; i <= 1000; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "Scale Print %04u", i);
        const std::string id = "5ca1e000-0000-4000-8000-" + hex12(i);
        d.organizations.push_back(Organization{id, name, slug_of(name), {"printer"}, {}, "US", "USD", std::nullopt,
                                               std::nullopt, seed_time});
        d.memberships.push_back(Membership{"5ca1e001-0000-4000-8000-" + hex12(i), dev, id,
                                           i % 10 == 0 ? std::vector<std::string>{"admin"} : std::vector<std::string>{"member"},
                                           seed_time, seed_time});
    }
    return checked(std::move(seed));
}

Expected<Seed, std::string> load_seed_file(const std::string& path, const AppOptions& options) {
    std::ifstream in(path);
    if (!in) return Unexpected{"cannot read seed file " + path};
    std::stringstream text;
    text << in.rdbuf();
    const json root = json::parse(text.str(), nullptr, false);
    if (root.is_discarded()) return Unexpected{"seed file " + path + " is not JSON"};
    Seed seed;
    try {
        seed = read_seed(root, options);
    } catch (const std::exception& e) {  // our messages, or nlohmann's for a value of the wrong type
        return Unexpected{"seed file " + path + ": " + e.what()};
    }
    auto result = checked(std::move(seed));
    if (!result) return Unexpected{"seed file " + path + ": " + result.error()};
    return result;
}

}  // namespace zai::hubsim
