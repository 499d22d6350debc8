// hubsim — the Hub's data, its rules and its state file (see state.h).
#include "state.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "crypto.h"
#include "keys.h"
#include "zai/model.h"
#include "zai/uuid.h"

namespace zai::hubsim {
namespace {

using nlohmann::json;

constexpr std::int64_t prune_every_seconds = 5;
constexpr std::int64_t expired_device_grace_seconds = 300;  // keep answering expired_token a while

std::string payload_access_token_id(const std::string& jti) { return json{{"access_token_id", jti}}.dump(); }

template <class Map, class Pred>
void erase_if_value(Map& m, Pred pred) {
    for (auto it = m.begin(); it != m.end();) {
        if (pred(it->second)) it = m.erase(it);
        else ++it;
    }
}

std::vector<std::string> scope_texts(const std::vector<Scope>& scopes) {
    std::vector<std::string> out;
    for (const auto& s : scopes) out.push_back(format_scope(s));
    return out;
}

json grant_json(const Grant& g) {
    return {{"client_id", g.client_id},   {"subject", g.subject.jwt_sub()}, {"scopes", scope_texts(g.scopes)},
            {"person_id", g.person_id},   {"connection_id", g.connection_id}};
}

// Reads what state_json wrote; throws json::exception or std::runtime_error on bad content.
std::vector<Scope> scopes_from(const json& j) {
    std::vector<Scope> out;
    for (const auto& s : j) {
        auto scope = parse_scope(s.get<std::string>());
        if (!scope) throw std::runtime_error("bad scope " + s.get<std::string>());
        out.push_back(std::move(*scope));
    }
    return out;
}

Subject subject_from(const json& j) {
    auto s = parse_jwt_sub(j.get<std::string>());
    if (!s) throw std::runtime_error("bad subject " + j.get<std::string>());
    return *s;
}

Grant grant_from(const json& j) {
    return Grant{j.at("client_id").get<std::string>(), subject_from(j.at("subject")), scopes_from(j.at("scopes")),
                 j.at("person_id").get<std::string>(), j.at("connection_id").get<std::string>()};
}

}  // namespace

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t unix_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string iso_time_ms(std::int64_t unix_ms) {
    const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", date, static_cast<int>(unix_ms % 1000));
    return out;
}

std::string iso_time(std::int64_t unix_seconds) { return iso_time_ms(unix_seconds * 1000); }

void Directory::build_indexes() {
    person_index.clear();
    organization_index.clear();
    for (std::size_t i = 0; i < people.size(); ++i) person_index[people[i].id] = i;
    for (std::size_t i = 0; i < organizations.size(); ++i) organization_index[organizations[i].id] = i;
}

const std::vector<RoleName>& hub_roles() {
    // The Hub's order (zaikio-hub.md §3.4): bit i of the on-behalf `roles` claim is role i.
    static const std::vector<RoleName> roles{
        {"owner", "Owner", "Eigentümer"},
        {"admin", "Administrator", "Administrator"},
        {"member", "Member", "Mitglied"},
        {"purchaser", "Purchaser", "Einkauf"},
        {"production_planner", "Production planner", "Produktionsplaner"},
        {"customer_service_representative", "Customer service representative", "Kundenberater"},
        {"sales_representative", "Sales representative", "Vertrieb"},
        {"designer", "Designer", "Designer"},
        {"developer", "Developer", "Entwickler"},
    };
    return roles;
}

std::string Subject::jwt_sub() const { return std::string(bearer_type_name(type)) + "/" + id; }
std::string Subject::loom() const { return (type == BearerType::organization ? "Org/" : "Per/") + id; }
std::string Subject::connectable() const { return std::string(bearer_type_name(type)) + "-" + id; }

std::optional<Subject> parse_jwt_sub(std::string_view sub) {
    const auto slash = sub.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const auto type = parse_bearer_type_name(sub.substr(0, slash));
    const std::string_view id = sub.substr(slash + 1);
    if (!type || !is_uuid(id)) return std::nullopt;
    return Subject{*type, std::string(id)};
}

// --- lookups ------------------------------------------------------------------------------------

const App* find_app(const Data& d, std::string_view client_id) {
    for (const auto& a : d.directory.apps) {
        if (a.client_id == client_id) return &a;
    }
    return nullptr;
}

const App* find_app_by_name(const Data& d, std::string_view name) {
    for (const auto& a : d.directory.apps) {
        if (a.name == name) return &a;
    }
    return nullptr;
}

bool secret_matches(const App& app, std::string_view secret) {
    return app.confidential && !app.client_secret.empty() && constant_time_equal(sha256(secret), sha256(app.client_secret));
}

const Person* find_person(const Data& d, std::string_view id) {
    const auto it = d.directory.person_index.find(std::string(id));
    return it == d.directory.person_index.end() ? nullptr : &d.directory.people[it->second];
}

const Organization* find_organization(const Data& d, std::string_view id) {
    const auto it = d.directory.organization_index.find(std::string(id));
    return it == d.directory.organization_index.end() ? nullptr : &d.directory.organizations[it->second];
}

Membership* find_membership(Data& d, std::string_view person_id, std::string_view organization_id) {
    for (auto& m : d.directory.memberships) {
        if (m.person_id == person_id && m.organization_id == organization_id) return &m;
    }
    return nullptr;
}

bool subject_exists(const Data& d, const Subject& s) {
    return s.type == BearerType::person ? find_person(d, s.id) != nullptr : find_organization(d, s.id) != nullptr;
}

std::vector<const Organization*> administered_organizations(const Data& d, std::string_view person_id) {
    std::vector<const Organization*> out;
    for (const auto& m : d.directory.memberships) {
        if (m.person_id == person_id && may_install(m.roles)) {
            if (const auto* o = find_organization(d, m.organization_id)) out.push_back(o);
        }
    }
    return out;
}

bool administers(const Data& d, std::string_view person_id, std::string_view organization_id) {
    const auto& ms = d.directory.memberships;
    return std::any_of(ms.begin(), ms.end(), [&](const Membership& m) {
        return m.person_id == person_id && m.organization_id == organization_id && may_install(m.roles);
    });
}

Connection* find_connection(Data& d, std::string_view client_id, const Subject& subject) {
    for (auto& c : d.connections) {
        if (c.client_id == client_id && c.subject == subject) return &c;
    }
    return nullptr;
}

std::optional<std::string> grant_problem(const Data& d, const Grant& g, AppAlias alias) {
    if (!find_app(d, g.client_id)) return "app_unknown";
    if (!subject_exists(d, g.subject)) return "subject_unknown";
    const auto& cs = d.connections;
    const auto c = std::find_if(cs.begin(), cs.end(), [&](const Connection& x) { return x.id == g.connection_id; });
    if (c == cs.end()) return "connection_revoked";
    if (!covers_all(c->granted, g.scopes, alias)) return "scopes_withdrawn";
    if (g.subject.type == BearerType::organization && !g.person_id.empty()) {
        const auto& ms = d.directory.memberships;
        const bool member = std::any_of(ms.begin(), ms.end(), [&](const Membership& m) {
            return m.person_id == g.person_id && m.organization_id == g.subject.id;
        });
        if (!member) return "installer_left_organization";
        if (!administers(d, g.person_id, g.subject.id)) return "installer_lost_role";
    }
    return std::nullopt;
}

Connection& connect(Data& d, const std::string& client_id, const Subject& subject, const std::vector<Scope>& scopes,
                    const std::string& person_id, std::vector<EventToSend>& events) {
    const std::int64_t now = unix_now();
    if (Connection* c = find_connection(d, client_id, subject)) {
        bool widened = false;
        for (const auto& s : scopes) {
            if (!covers_all(c->granted, {s})) {
                c->granted.push_back(s);
                widened = true;
            }
        }
        if (widened) {
            c->updated_at = now;
            events.push_back({client_id, "zaikio.connection_changed", subject.loom(), ""});
        }
        return *c;
    }
    d.connections.push_back(Connection{random_uuid(), client_id, subject, scopes, person_id, now, now});
    events.push_back({client_id, "zaikio.established_connection", subject.loom(), ""});
    return d.connections.back();
}

void revoke_token(Data& d, const std::string& jti, std::vector<EventToSend>& events) {
    const auto it = d.issued.find(jti);
    if (it == d.issued.end()) return;
    const IssuedToken& t = it->second;
    d.refresh_tokens.erase(t.refresh_hash);
    if (t.expires_at > unix_now() && d.revoked.emplace(jti, t.expires_at).second) {
        events.push_back({t.client_id, "zaikio.revoked_access_token", t.subject.loom(), payload_access_token_id(jti)});
    }
}

bool revoke_connection(Data& d, std::string_view client_id, const Subject& subject, const Switches& switches,
                       std::vector<EventToSend>& events) {
    const Connection* c = find_connection(d, client_id, subject);
    if (!c) return false;
    const std::string id = c->id;
    std::vector<std::string> jtis;
    for (const auto& [jti, t] : d.issued) {
        if (t.connection_id == id) jtis.push_back(jti);
    }
    for (const auto& jti : jtis) revoke_token(d, jti, events);
    erase_if_value(d.refresh_tokens, [&](const RefreshToken& r) { return r.grant.connection_id == id; });
    std::erase_if(d.connections, [&](const Connection& x) { return x.id == id; });
    events.push_back({std::string(client_id), switches.revoked_connection_event, subject.loom(), ""});
    return true;
}

void prune(Data& d, std::int64_t now) {
    if (now < d.next_prune) return;
    d.next_prune = now + prune_every_seconds;
    erase_if_value(d.codes, [&](const AuthCode& c) { return c.expires_at <= now; });
    erase_if_value(d.refresh_tokens, [&](const RefreshToken& r) { return r.expires_at <= now; });
    erase_if_value(d.issued, [&](const IssuedToken& t) { return t.expires_at <= now; });
    erase_if_value(d.revoked, [&](std::int64_t exp) { return exp <= now; });
    erase_if_value(d.pending, [&](const PendingAuthorization& p) { return p.expires_at <= now; });
    erase_if_value(d.devices,
                   [&](const DeviceAuthorization& a) { return a.expires_at + expired_device_grace_seconds <= now; });
}

Hub::Hub(Directory directory, Lifetimes lifetimes) {
    data_.directory = std::move(directory);
    data_.directory.build_indexes();
    data_.lifetimes = lifetimes;
}

// --- the state file -----------------------------------------------------------------------------

StateFile::StateFile(std::string path, Hub& hub, KeyRing& keys) : path_(std::move(path)), hub_(hub), keys_(keys) {}

StateFile::~StateFile() {
    if (thread_.joinable()) {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
}

std::optional<std::string> StateFile::load() {
    std::ifstream in(path_);
    if (!in) {
        if (errno == ENOENT) return std::nullopt;  // first run
        return "cannot read state file " + path_ + ": " + std::strerror(errno);
    }
    std::stringstream text;
    text << in.rdbuf();
    const json j = json::parse(text.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return "state file " + path_ + " is not a JSON object";
    try {
        if (j.at("version").get<int>() != 1) return "state file " + path_ + " has an unknown version";
        if (auto problem = keys_.replace(j.at("keys").get<std::vector<std::string>>())) {
            return "state file " + path_ + ": " + *problem;
        }
        hub_.with([&](Data& d) {
            auto keep = [&](const std::string& client_id, const Subject& s, const char* what) {
                if (find_app(d, client_id) && subject_exists(d, s)) return true;
                std::fprintf(stderr, "hubsim: state: dropping a %s of %s for %s (not in the seed)\n", what,
                             client_id.c_str(), s.jwt_sub().c_str());
                return false;
            };
            for (const auto& c : j.at("connections")) {
                Connection x{c.at("id").get<std::string>(),        c.at("client_id").get<std::string>(),
                             subject_from(c.at("subject")),        scopes_from(c.at("granted")),
                             c.at("installed_by").get<std::string>(), c.at("created_at").get<std::int64_t>(),
                             c.at("updated_at").get<std::int64_t>()};
                if (keep(x.client_id, x.subject, "connection")) d.connections.push_back(std::move(x));
            }
            for (const auto& r : j.at("refresh_tokens")) {
                RefreshToken t{grant_from(r.at("grant")), r.at("expires_at").get<std::int64_t>(),
                               r.at("code_hash").get<std::string>()};
                if (keep(t.grant.client_id, t.grant.subject, "refresh token")) {
                    d.refresh_tokens.emplace(r.at("hash").get<std::string>(), std::move(t));
                }
            }
            for (const auto& i : j.at("issued")) {
                IssuedToken t{i.at("client_id").get<std::string>(), subject_from(i.at("subject")),
                              i.at("connection_id").get<std::string>(), i.at("expires_at").get<std::int64_t>(),
                              i.at("refresh_hash").get<std::string>()};
                d.issued.emplace(i.at("jti").get<std::string>(), std::move(t));
            }
            for (const auto& r : j.at("revoked")) {
                d.revoked.emplace(r.at("jti").get<std::string>(), r.at("expires_at").get<std::int64_t>());
            }
        });
    } catch (const std::exception& e) {
        return "state file " + path_ + " is malformed: " + e.what();
    }
    saved_generation_ = hub_.generation();
    return std::nullopt;
}

void StateFile::start() { thread_ = std::thread([this] { run(); }); }

void StateFile::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stopping_; });
        const bool stop = stopping_;
        lock.unlock();
        if (hub_.generation() != saved_generation_ || stop) save();
        lock.lock();
        if (stop) return;
    }
}

void StateFile::save() {
    const std::uint64_t generation = hub_.generation();
    json j = {{"version", 1}, {"keys", keys_.private_pems()}};
    hub_.with([&](Data& d) {
        json connections = json::array();
        for (const auto& c : d.connections) {
            connections.push_back({{"id", c.id},
                                   {"client_id", c.client_id},
                                   {"subject", c.subject.jwt_sub()},
                                   {"granted", scope_texts(c.granted)},
                                   {"installed_by", c.installed_by},
                                   {"created_at", c.created_at},
                                   {"updated_at", c.updated_at}});
        }
        json refresh = json::array();
        for (const auto& [hash, r] : d.refresh_tokens) {
            refresh.push_back(
                {{"hash", hash}, {"grant", grant_json(r.grant)}, {"expires_at", r.expires_at}, {"code_hash", r.code_hash}});
        }
        json issued = json::array();
        for (const auto& [jti, t] : d.issued) {
            issued.push_back({{"jti", jti},
                              {"client_id", t.client_id},
                              {"subject", t.subject.jwt_sub()},
                              {"connection_id", t.connection_id},
                              {"expires_at", t.expires_at},
                              {"refresh_hash", t.refresh_hash}});
        }
        json revoked = json::array();
        for (const auto& [jti, exp] : d.revoked) revoked.push_back({{"jti", jti}, {"expires_at", exp}});
        j["connections"] = std::move(connections);
        j["refresh_tokens"] = std::move(refresh);
        j["issued"] = std::move(issued);
        j["revoked"] = std::move(revoked);
    });
    const std::string text = j.dump(1) + "\n";
    const std::string tmp = path_ + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0;
    std::size_t written = 0;
    while (ok && written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) written += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    if (fd >= 0) ok = ::close(fd) == 0 && ok;
    ok = ok && std::rename(tmp.c_str(), path_.c_str()) == 0;
    if (!ok) {
        std::fprintf(stderr, "hubsim: cannot write state file %s: %s\n", path_.c_str(), std::strerror(errno));
        return;
    }
    saved_generation_ = generation;
}

}  // namespace zai::hubsim
