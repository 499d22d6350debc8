// hubsim — everything the simulated Hub knows, behind one mutex, and its persistence.
//
//   Directory  apps, people, organisations, memberships (from the seed; roles change at run time)
//   Data       Directory + connections, codes, refresh tokens, issued and revoked tokens,
//              browser sessions, unfinished authorizations, device authorizations
//   Hub        owns Data and its mutex: `hub.with([](Data& d) { ... })`
//   StateFile  --state: writes connections, refresh tokens, issued/revoked token ids and the
//              signing keys to a JSON file (temp file + rename) shortly after they change, and
//              once more on shutdown; reads them back at start.
//
// Secrets the Hub hands out (codes, refresh tokens, device codes, session cookies) are kept only
// as SHA-256 hex, so neither memory dumps of maps nor the state file contain them.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config.h"
#include "zai/scope.h"

namespace zai::hubsim {

class KeyRing;

std::int64_t unix_now();
std::string iso_time(std::int64_t unix_seconds);  // "2024-03-01T09:30:00.000Z"
std::int64_t unix_now_ms();
std::string iso_time_ms(std::int64_t unix_ms);     // "2024-03-01T09:30:00.123Z"

// --- the directory (seed data) ------------------------------------------------------------------

struct App {
    std::string name;       // technical name: JWT aud, token `audiences`, connections' app_name
    std::string client_id;
    std::string client_secret;  // empty for non-confidential apps
    bool confidential = true;
    std::vector<std::string> redirect_urls;  // exact match; the first is the default
    std::vector<Scope> desired_scopes;
    std::string webhook_url;
    std::string webhook_secret;
};

struct Organization {
    std::string id;
    std::string name;
    std::string slug;
    std::vector<std::string> kinds;  // printer, supplier, ... (at least one)
    std::vector<std::pair<std::string, std::vector<std::string>>> sections;  // kind → entries
    std::optional<std::string> country_code;
    std::optional<std::string> currency;
    std::optional<std::string> brand_color;
    std::optional<std::string> logo_url;
    std::int64_t created_at = 0;
};

struct Person {
    std::string id;
    std::string first_name;
    std::string name;
    std::string email;
    std::string locale = "en";  // en | en-US | de
    std::string time_zone = "Europe/Berlin";
    std::string unit_system = "metric";  // metric | imperial
    std::optional<std::string> pronoun;  // "She/Her" | "He/Him"
    std::optional<std::string> country_code;
    std::optional<std::string> currency;
    std::int64_t created_at = 0;

    std::string full_name() const { return first_name + " " + name; }
};

struct Membership {
    std::string id;
    std::string person_id;
    std::string organization_id;
    std::vector<std::string> roles;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

struct Directory {
    std::vector<App> apps;
    std::vector<Person> people;  // in the order the sign-in page lists them
    std::vector<Organization> organizations;
    std::vector<Membership> memberships;
    std::unordered_map<std::string, std::size_t> person_index;  // id → position (build_indexes)
    std::unordered_map<std::string, std::size_t> organization_index;

    void build_indexes();
};

// The Hub's role list (GET /api/v1/roles), in its order, with English and German names.
struct RoleName {
    std::string_view id;
    std::string_view en;
    std::string_view de;
};
const std::vector<RoleName>& hub_roles();

// --- grants and tokens --------------------------------------------------------------------------

// Whom a token acts for: "Person/<id>" or "Organization/<id>" in JWTs.
struct Subject {
    BearerType type = BearerType::person;
    std::string id;

    std::string jwt_sub() const;     // Person/<id> | Organization/<id>
    std::string loom() const;        // Per/<id> | Org/<id> (Loom event subjects)
    std::string connectable() const; // Person-<id> | Organization-<id> (/connections filters)
    friend bool operator==(const Subject&, const Subject&) = default;
};
std::optional<Subject> parse_jwt_sub(std::string_view sub);  // only with a UUID

// An app's connection to a person or organisation: made when someone consents.
struct Connection {
    std::string id;  // new each time a revoked connection is made again: old grants stay dead
    std::string client_id;
    Subject subject;
    std::vector<Scope> granted;  // plain scopes (no bearer prefix)
    std::string installed_by;    // person id
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

// What a code, refresh token or device authorization entitles to.
struct Grant {
    std::string client_id;
    Subject subject;
    std::vector<Scope> scopes;   // plain, as they go into the token
    std::string person_id;       // who consented; empty for client credentials
    std::string connection_id;
};

struct AuthCode {
    Grant grant;
    std::string redirect_uri;
    std::string code_challenge;  // empty: no PKCE
    std::string code_challenge_method;
    std::int64_t expires_at = 0;
    bool used = false;
    std::vector<std::string> jtis;            // everything issued from it, for
    std::vector<std::string> refresh_hashes;  // revocation when the code is replayed
};

struct RefreshToken {
    Grant grant;
    std::int64_t expires_at = 0;
    std::string code_hash;  // the code the chain started from, if any
};

struct IssuedToken {
    std::string client_id;
    Subject subject;
    std::string connection_id;
    std::int64_t expires_at = 0;
    std::string refresh_hash;  // issued together with it (revoking one revokes both)
};

// An authorize (or device verification) in progress while the person signs in and decides.
struct PendingAuthorization {
    std::string client_id;
    std::string redirect_uri;     // empty for device verification
    std::optional<std::string> state;
    std::vector<Scope> scopes;    // as requested, with bearer forms
    std::string code_challenge;
    std::string code_challenge_method;
    std::string device_hash;      // set for device verification
    bool force_consent = false;   // prompt=consent, and always for devices
    bool consented = false;       // the person pressed Allow
    std::string person_id;        // once signed in
    std::string organization_id;  // once chosen (or preselected with Org/<id>)
    std::int64_t expires_at = 0;
};

struct DeviceAuthorization {
    enum class Status { pending, approved, denied };
    std::string client_id;
    std::vector<Scope> scopes;
    std::string user_code;  // "1234-5678"
    std::int64_t expires_at = 0;
    std::int64_t interval = 0;
    std::int64_t last_poll = 0;
    Status status = Status::pending;
    Grant grant;  // once approved
};

struct Data {
    Directory directory;
    Lifetimes lifetimes;
    std::vector<Connection> connections;
    std::unordered_map<std::string, AuthCode> codes;              // sha256 hex → code
    std::unordered_map<std::string, RefreshToken> refresh_tokens; // sha256 hex → token
    std::unordered_map<std::string, IssuedToken> issued;          // jti → access token
    std::unordered_map<std::string, std::int64_t> revoked;        // jti → its exp
    std::unordered_map<std::string, std::string> sessions;        // sha256 hex of cookie → person id
    std::unordered_map<std::string, PendingAuthorization> pending;   // id → authorization
    std::unordered_map<std::string, DeviceAuthorization> devices;    // sha256 hex of device_code →
    std::int64_t next_prune = 0;
};

// A Loom event to deliver to an app (webhooks.h); produced under the lock, sent after it.
struct EventToSend {
    std::string client_id;
    std::string name;       // e.g. zaikio.established_connection
    std::string subject;    // Org/<id> | Per/<id>
    std::string payload_json;  // "" for none
};

// --- lookups and rules over Data (callers hold the lock) ----------------------------------------

const App* find_app(const Data& d, std::string_view client_id);
const App* find_app_by_name(const Data& d, std::string_view name);
// Is `secret` the app's client secret? Never for non-confidential apps. Compares SHA-256
// digests in constant time, so neither content nor length leaks through timing.
bool secret_matches(const App& app, std::string_view secret);
const Person* find_person(const Data& d, std::string_view id);
const Organization* find_organization(const Data& d, std::string_view id);
Membership* find_membership(Data& d, std::string_view person_id, std::string_view organization_id);
bool subject_exists(const Data& d, const Subject& s);
// Organisations the person may install apps for (owner or admin), in membership order.
std::vector<const Organization*> administered_organizations(const Data& d, std::string_view person_id);
bool administers(const Data& d, std::string_view person_id, std::string_view organization_id);

Connection* find_connection(Data& d, std::string_view client_id, const Subject& subject);

// Why a grant no longer holds ("connection_revoked", "installer_lost_role", ...), or nullopt.
// A refresh is denied for any of these (zaikio-hub.md §4.2).
std::optional<std::string> grant_problem(const Data& d, const Grant& g, AppAlias alias);

// Records consent: creates the connection (or widens its scopes). Events for the app.
Connection& connect(Data& d, const std::string& client_id, const Subject& subject, const std::vector<Scope>& scopes,
                    const std::string& person_id, std::vector<EventToSend>& events);

// Marks an access token revoked (and its refresh token gone); an event when it was live.
void revoke_token(Data& d, const std::string& jti, std::vector<EventToSend>& events);
// Deletes the connection, its refresh tokens, and revokes its live access tokens.
bool revoke_connection(Data& d, std::string_view client_id, const Subject& subject, const Switches& switches,
                       std::vector<EventToSend>& events);

// Drops expired codes, tokens, revocations, authorizations (at most every few seconds).
void prune(Data& d, std::int64_t now);

// --- the Hub ------------------------------------------------------------------------------------

class Hub {
public:
    Hub(Directory directory, Lifetimes lifetimes);

    // Runs `f(Data&)` holding the Hub's lock.
    template <class F>
    decltype(auto) with(F&& f) {
        std::lock_guard lock(mutex_);
        return f(data_);
    }
    // Persisted data (connections, refresh tokens, issued/revoked ids, keys) changed.
    void changed() { generation_.fetch_add(1, std::memory_order_relaxed); }
    std::uint64_t generation() const { return generation_.load(std::memory_order_relaxed); }

private:
    std::mutex mutex_;
    Data data_;
    std::atomic<std::uint64_t> generation_{0};
};

class StateFile {
public:
    StateFile(std::string path, Hub& hub, KeyRing& keys);
    ~StateFile();  // stops the writer after a last save

    // Reads the file if it exists: keys into the key ring, the rest into the hub. Records whose
    // app or subject is not in the directory are dropped (one line on stderr each).
    // An unreadable or malformed file is an error: better to refuse than to lose grants.
    std::optional<std::string> load();
    void start();  // a thread that saves within ~100 ms of a change
    void save();   // now (atomic: temp file, fsync, rename; mode 0600: it holds private keys)

private:
    void run();

    std::string path_;
    Hub& hub_;
    KeyRing& keys_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
    std::uint64_t saved_generation_ = 0;
};

}  // namespace zai::hubsim
