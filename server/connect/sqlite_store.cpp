// zai-connect — the Store on one SQLite file (see sqlite_store.h for the schema and the rules).
#include "sqlite_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace zai::connect {
namespace {

// Step i takes the schema from version i to i + 1. Released steps are never edited; a change is
// a new step at the end.
constexpr std::array<const char*, 1> migrations = {
    R"sql(
CREATE TABLE sessions (
    id_hash             TEXT PRIMARY KEY,
    person_id           TEXT NOT NULL,
    person_name         TEXT NOT NULL,
    email               TEXT NOT NULL,
    memberships_json    TEXT NOT NULL,
    memberships_at      INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    last_seen_at        INTEGER NOT NULL,
    absolute_expires_at INTEGER NOT NULL,
    action_nonce        TEXT NOT NULL
);
CREATE INDEX sessions_by_person ON sessions (person_id);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_by_absolute_end ON sessions (absolute_expires_at);

CREATE TABLE transactions (
    state_hash      TEXT PRIMARY KEY,
    browser_hash    TEXT NOT NULL,
    intent          TEXT NOT NULL CHECK (intent IN ('sign_in', 'install')),
    organization_id TEXT NOT NULL,
    session_hash    TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    code_verifier   TEXT NOT NULL,
    return_path     TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX transactions_by_browser ON transactions (browser_hash, created_at);
CREATE INDEX transactions_by_created ON transactions (created_at);

CREATE TABLE installations (
    organization_id        TEXT PRIMARY KEY,
    state                  TEXT NOT NULL CHECK (state IN ('installed', 'revoked')),
    installed_by_person_id TEXT NOT NULL,
    installed_by_name      TEXT NOT NULL,
    installed_at           INTEGER NOT NULL,
    revoked_at             INTEGER NOT NULL,
    revoked_reason         TEXT NOT NULL,
    requested_scopes       TEXT NOT NULL,
    granted_scopes         TEXT NOT NULL
);

CREATE TABLE grants (
    id               TEXT PRIMARY KEY,
    session_hash     TEXT REFERENCES sessions (id_hash) ON DELETE CASCADE,
    organization_id  TEXT REFERENCES installations (organization_id) ON DELETE CASCADE,
    bearer_type      TEXT NOT NULL,
    bearer_id        TEXT NOT NULL,
    access_token     TEXT,
    refresh_token    TEXT,
    expires_at       INTEGER NOT NULL,
    jti              TEXT NOT NULL,
    scopes           TEXT NOT NULL,
    requested_scopes TEXT NOT NULL,
    version          INTEGER NOT NULL,
    refreshed_at     INTEGER NOT NULL,
    lock_owner       TEXT,
    lock_until_ms    INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT grant_owner CHECK (
        (session_hash IS NOT NULL AND organization_id IS NULL AND bearer_type = 'Person'
         AND id = 'session:' || session_hash)
        OR (organization_id IS NOT NULL AND session_hash IS NULL AND bearer_type = 'Organization'
            AND id = 'org:' || organization_id AND bearer_id = organization_id))
);
CREATE INDEX grants_by_session ON grants (session_hash);
CREATE INDEX grants_by_organization ON grants (organization_id);
CREATE INDEX grants_by_jti ON grants (jti) WHERE jti <> '';

CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY,
    at INTEGER NOT NULL
);
CREATE INDEX webhook_events_by_at ON webhook_events (at);
)sql",
};

StoreErrc errc_of(int rc) {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return StoreErrc::busy;
        case SQLITE_FULL: return StoreErrc::disk_full;
        case SQLITE_IOERR: return StoreErrc::io_error;
        case SQLITE_CANTOPEN: return StoreErrc::cannot_open;
        case SQLITE_READONLY:
        case SQLITE_PERM: return StoreErrc::read_only;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: return StoreErrc::corrupt;
        case SQLITE_CONSTRAINT: return StoreErrc::constraint;
        default: return StoreErrc::other;
    }
}

// SQLite's messages name tables, columns and constraints, never bound values.
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view doing) {
    throw StoreError(errc_of(rc), std::string(doing) + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

[[noreturn]] void bad_row(std::string_view what) { throw StoreError(StoreErrc::bad_row, what); }

// A cached prepared statement, reset and unbound when this handle goes.
class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
    ~Statement() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, std::string_view v) {
        check(sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
        return *this;
    }
    Statement& bind(int i, std::int64_t v) {
        check(sqlite3_bind_int64(s_, i, v));
        return *this;
    }
    Statement& bind_nullable(int i, const std::optional<std::string>& v) {
        if (!v) {
            check(sqlite3_bind_null(s_, i));
            return *this;
        }
        return bind(i, std::string_view(*v));
    }

    // true: a row is ready; false: done.
    bool step() {
        const int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db_, rc, "running a statement");
    }
    // Runs a statement that returns no rows; how many rows it changed.
    int run() {
        while (step()) {
        }
        return sqlite3_changes(db_);
    }

    bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
    std::string text(int col) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
        return p == nullptr ? std::string() : std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, col)));
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(s_, col); }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) fail(db_, rc, "binding a value");
    }

    sqlite3* db_;
    sqlite3_stmt* s_;
};

// One connection and its statement cache; used by one thread at a time.
class Connection {
public:
    Connection(const std::string& path, int busy_timeout_ms) {
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
        sqlite3* db = nullptr;
        const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
        db_.reset(db);  // SQLite allocates a handle even when opening fails
        if (rc != SQLITE_OK) fail(db, rc, "opening " + path);
        sqlite3_busy_timeout(db, busy_timeout_ms);
        exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
    }
    ~Connection() {
        for (auto& [sql, s] : statements_) sqlite3_finalize(s);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* db() const { return db_.get(); }

    void exec(const char* sql) {
        const int rc = sqlite3_exec(db(), sql, nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) fail(db(), rc, "running SQL");
    }

    Statement prepare(const char* sql) {
        auto it = statements_.find(std::string_view(sql));
        if (it == statements_.end()) {
            sqlite3_stmt* s = nullptr;
            const int rc = sqlite3_prepare_v3(db(), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr);
            if (rc != SQLITE_OK) fail(db(), rc, "preparing a statement");
            it = statements_.emplace(sql, s).first;
        }
        return Statement(db(), it->second);
    }

    bool broken = false;  // a failed rollback left it in an unknown state: close, do not reuse

private:
    struct Close {
        void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
    };
    // Looked up by the SQL text without copying it into a std::string.
    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
    };
    std::unique_ptr<sqlite3, Close> db_;  // closed after the statements are finalized (destructor body)
    std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> statements_;
};

}  // namespace

namespace sqlite_detail {

class Pool {
public:
    Pool(std::string path, int busy_timeout_ms) : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

    std::unique_ptr<Connection> acquire() {
        {
            std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                auto c = std::move(idle_.back());
                idle_.pop_back();
                return c;
            }
        }
        return std::make_unique<Connection>(path_, busy_timeout_ms_);
    }

    void release(std::unique_ptr<Connection> c) {
        if (c->broken) return;
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(c));
    }

    std::mutex& write_mutex() { return write_mutex_; }

private:
    const std::string path_;
    const int busy_timeout_ms_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::mutex write_mutex_;
};

}  // namespace sqlite_detail

namespace {

using sqlite_detail::Pool;

// A connection borrowed from the pool for one method call.
class Lease {
public:
    explicit Lease(Pool& pool) : pool_(pool), c_(pool.acquire()) {}
    ~Lease() { pool_.release(std::move(c_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() const { return *c_; }

private:
    Pool& pool_;
    std::unique_ptr<Connection> c_;
};

// BEGIN … COMMIT; rolls back when left without commit (an exception).
class Tx {
public:
    Tx(Connection& c, bool write) : c_(c) { c_.prepare(write ? "BEGIN IMMEDIATE" : "BEGIN").run(); }
    ~Tx() {
        if (committed_ || sqlite3_get_autocommit(c_.db()) != 0) return;  // done, or SQLite already rolled back
        if (sqlite3_exec(c_.db(), "ROLLBACK", nullptr, nullptr, nullptr) != SQLITE_OK) c_.broken = true;
    }
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;
    void commit() {
        c_.prepare("COMMIT").run();
        committed_ = true;
    }

private:
    Connection& c_;
    bool committed_ = false;
};

// Runs `f(connection)` as one transaction and returns its result. Statements `f` used are
// reset before the commit (their handles die with `f`'s scope).
template <class F>
auto in_transaction(Pool& pool, bool write, F&& f) {
    // This process's writers queue on a mutex rather than in SQLite's busy handler, which polls
    // with sleeps; other processes still meet the busy handler.
    std::unique_lock<std::mutex> one_writer;
    if (write) one_writer = std::unique_lock(pool.write_mutex());
    Lease lease(pool);
    Tx tx(*lease, write);
    if constexpr (std::is_void_v<std::invoke_result_t<F&, Connection&>>) {
        f(*lease);
        tx.commit();
    } else {
        auto result = f(*lease);
        tx.commit();
        return result;
    }
}

template <class F>
auto writing(Pool& pool, F&& f) {
    return in_transaction(pool, true, std::forward<F>(f));
}

template <class F>
auto reading(Pool& pool, F&& f) {
    return in_transaction(pool, false, std::forward<F>(f));
}

// Creates the file readable by its owner only, before SQLite creates it with the umask's mode.
// Failure is left to SQLite, which reports it with its own message (missing folder, ...).
void create_private_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
}

int user_version(Connection& c) {
    auto s = c.prepare("PRAGMA user_version");
    if (!s.step()) throw StoreError(StoreErrc::other, "PRAGMA user_version returned nothing");
    return static_cast<int>(s.integer(0));
}

void use_wal(Connection& c) {
    auto s = c.prepare("PRAGMA journal_mode = WAL");
    const std::string mode = s.step() ? s.text(0) : "";
    if (mode != "wal") {
        throw StoreError(StoreErrc::other, "the database cannot use write-ahead logging (journal mode: " +
                                               (mode.empty() ? std::string("unknown") : mode) + ")");
    }
}

void migrate(Connection& c) {
    constexpr int latest = static_cast<int>(migrations.size());
    Tx tx(c, true);
    const int found = user_version(c);
    if (found > latest) {
        throw StoreError(StoreErrc::schema_too_new, "the database has schema version " + std::to_string(found) +
                                                        ", written by a newer zai-connect; this one knows up to " +
                                                        std::to_string(latest));
    }
    if (found == latest) return;  // nothing to write: the rollback only releases the lock
    for (int v = found; v < latest; ++v) c.exec(migrations[static_cast<std::size_t>(v)]);
    c.exec(("PRAGMA user_version = " + std::to_string(latest)).c_str());
    tx.commit();
}

// --- values in and out of rows --------------------------------------------------------------

std::string grant_ad(std::string_view grant_id, std::string_view field) {
    return "grant:" + std::string(grant_id) + ":" + std::string(field);
}

std::string verifier_ad(std::string_view state_hash) { return "transaction:" + std::string(state_hash) + ":verifier"; }

std::string open_sealed(const Vault& vault, std::string_view sealed, const std::string& ad, std::string_view where) {
    auto plain = vault.open(sealed, ad);
    if (!plain) {
        throw StoreError(StoreErrc::unreadable_secret,
                         std::string(where) +
                             " does not open: the key that sealed it is not configured, or the value was altered or moved");
    }
    return std::move(*plain);
}

std::string json_list(const std::vector<std::string>& items) { return nlohmann::json(items).dump(); }

std::vector<std::string> parse_json_list(const std::string& text, std::string_view where) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_array()) bad_row(std::string(where) + " is not a JSON array");
    std::vector<std::string> items;
    for (const auto& item : j) {
        if (!item.is_string()) bad_row(std::string(where) + " holds a non-string");
        items.push_back(item.get<std::string>());
    }
    return items;
}

std::vector<Scope> parse_scopes(const std::string& text, std::string_view where) {
    auto scopes = parse_scope_list(text, ScopeListOptions{.allow_empty = true});
    if (!scopes) bad_row(std::string(where) + " is not a scope list: " + scopes.error().reason);
    return std::move(*scopes);
}

std::string_view intent_id(Intent i) { return i == Intent::sign_in ? "sign_in" : "install"; }

Intent parse_intent(const std::string& text) {
    if (text == "sign_in") return Intent::sign_in;
    if (text == "install") return Intent::install;
    bad_row("transactions.intent '" + text + "' is unknown");
}

// --- grants -----------------------------------------------------------------------------------

constexpr const char* insert_grant_sql =
    "INSERT INTO grants (id, session_hash, organization_id, bearer_type, bearer_id, access_token, refresh_token, "
    "expires_at, jti, scopes, requested_scopes, version, refreshed_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
    // Replacing (a reinstall): the version counter continues and any refresh lock is released.
    "ON CONFLICT (id) DO UPDATE SET bearer_id = excluded.bearer_id, access_token = excluded.access_token, "
    "refresh_token = excluded.refresh_token, expires_at = excluded.expires_at, jti = excluded.jti, "
    "scopes = excluded.scopes, requested_scopes = excluded.requested_scopes, "
    "version = max(excluded.version, grants.version + 1), refreshed_at = excluded.refreshed_at, "
    "lock_owner = NULL, lock_until_ms = 0";

std::optional<std::string> seal_access(const Vault& vault, std::string_view grant_id, const TokenSet& t) {
    if (t.access_token.empty()) return std::nullopt;
    return vault.seal(t.access_token, grant_ad(grant_id, "access"));
}

std::optional<std::string> seal_refresh(const Vault& vault, std::string_view grant_id, const TokenSet& t) {
    if (!t.refresh_token) return std::nullopt;
    return vault.seal(*t.refresh_token, grant_ad(grant_id, "refresh"));
}

void write_grant(Connection& c, const Vault& vault, const Grant& g, const std::optional<std::string>& session_hash,
                 const std::optional<std::string>& organization_id) {
    c.prepare(insert_grant_sql)
        .bind(1, g.id)
        .bind_nullable(2, session_hash)
        .bind_nullable(3, organization_id)
        .bind(4, bearer_type_name(g.bearer_type))
        .bind(5, g.bearer_id)
        .bind_nullable(6, seal_access(vault, g.id, g.tokens))
        .bind_nullable(7, seal_refresh(vault, g.id, g.tokens))
        .bind(8, g.tokens.expires_at)
        .bind(9, g.tokens.jti)
        .bind(10, json_list(g.tokens.scopes))
        .bind(11, json_list(g.requested_scopes))
        .bind(12, g.version)
        .bind(13, g.refreshed_at)
        .run();
}

Grant read_grant(const Statement& s, const Vault& vault) {
    Grant g;
    g.id = s.text(0);
    const auto type = parse_bearer_type_name(s.text(1));
    if (!type) bad_row("grants.bearer_type of grant " + g.id + " is unknown");
    g.bearer_type = *type;
    g.bearer_id = s.text(2);
    if (!s.is_null(3)) {
        g.tokens.access_token = open_sealed(vault, s.text(3), grant_ad(g.id, "access"), "grants.access_token of " + g.id);
    }
    if (!s.is_null(4)) {
        g.tokens.refresh_token =
            open_sealed(vault, s.text(4), grant_ad(g.id, "refresh"), "grants.refresh_token of " + g.id);
    }
    g.tokens.expires_at = s.integer(5);
    g.tokens.jti = s.text(6);
    g.tokens.scopes = parse_json_list(s.text(7), "grants.scopes of " + g.id);
    g.requested_scopes = parse_json_list(s.text(8), "grants.requested_scopes of " + g.id);
    g.version = s.integer(9);
    g.refreshed_at = s.integer(10);
    return g;
}

// --- installations ----------------------------------------------------------------------------

constexpr const char* select_installation_sql =
    "SELECT organization_id, state, installed_by_person_id, installed_by_name, installed_at, revoked_at, "
    "revoked_reason, requested_scopes, granted_scopes FROM installations WHERE organization_id = ?1";

Installation read_installation(const Statement& s) {
    Installation i;
    i.organization_id = s.text(0);
    const auto state = parse_installation_state_id(s.text(1));
    if (!state) bad_row("installations.state of " + i.organization_id + " is unknown");
    i.state = *state;
    i.installed_by_person_id = s.text(2);
    i.installed_by_name = s.text(3);
    i.installed_at = s.integer(4);
    i.revoked_at = s.integer(5);
    i.revoked_reason = s.text(6);
    i.requested_scopes = parse_scopes(s.text(7), "installations.requested_scopes of " + i.organization_id);
    i.granted_scopes = parse_scopes(s.text(8), "installations.granted_scopes of " + i.organization_id);
    return i;
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path, const Vault& vault, SqliteOptions options)
    : vault_(vault), options_(options), pool_(std::make_unique<Pool>(path, options.busy_timeout_ms)) {
    create_private_file(path);
    Lease lease(*pool_);
    use_wal(*lease);
    migrate(*lease);
}

SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version() { return static_cast<int>(migrations.size()); }

// --- sessions ---------------------------------------------------------------------------------

void SqliteStore::create_session(const Session& s, const Grant& person_grant) {
    if (person_grant.bearer_id != s.person_id) {
        throw StoreError(StoreErrc::constraint, "a session's grant must be its person's");
    }
    writing(*pool_, [&](Connection& c) {
        c.prepare("INSERT INTO sessions (id_hash, person_id, person_name, email, memberships_json, memberships_at, "
                  "created_at, last_seen_at, absolute_expires_at, action_nonce) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
            .bind(1, s.id_hash)
            .bind(2, s.person_id)
            .bind(3, s.person_name)
            .bind(4, s.email)
            .bind(5, s.memberships_json)
            .bind(6, s.memberships_at)
            .bind(7, s.created_at)
            .bind(8, s.last_seen_at)
            .bind(9, s.absolute_expires_at)
            .bind(10, s.action_nonce)
            .run();
        write_grant(c, vault_, person_grant, s.id_hash, std::nullopt);
    });
}

std::optional<Session> SqliteStore::find_session(std::string_view id_hash) {
    return reading(*pool_, [&](Connection& c) -> std::optional<Session> {
        auto st = c.prepare(
            "SELECT id_hash, person_id, person_name, email, memberships_json, memberships_at, created_at, "
            "last_seen_at, absolute_expires_at, action_nonce FROM sessions WHERE id_hash = ?1");
        st.bind(1, id_hash);
        if (!st.step()) return std::nullopt;
        Session s;
        s.id_hash = st.text(0);
        s.person_id = st.text(1);
        s.person_name = st.text(2);
        s.email = st.text(3);
        s.memberships_json = st.text(4);
        s.memberships_at = st.integer(5);
        s.created_at = st.integer(6);
        s.last_seen_at = st.integer(7);
        s.absolute_expires_at = st.integer(8);
        s.action_nonce = st.text(9);
        return s;
    });
}

void SqliteStore::touch_session(std::string_view id_hash, std::int64_t last_seen_at) {
    writing(*pool_, [&](Connection& c) {
        // Never backwards: a slow request must not undo a later one's touch.
        c.prepare("UPDATE sessions SET last_seen_at = ?2 WHERE id_hash = ?1 AND last_seen_at < ?2")
            .bind(1, id_hash)
            .bind(2, last_seen_at)
            .run();
    });
}

void SqliteStore::update_memberships(std::string_view id_hash, std::string_view memberships_json, std::int64_t at) {
    writing(*pool_, [&](Connection& c) {
        c.prepare("UPDATE sessions SET memberships_json = ?2, memberships_at = ?3 WHERE id_hash = ?1")
            .bind(1, id_hash)
            .bind(2, memberships_json)
            .bind(3, at)
            .run();
    });
}

void SqliteStore::delete_session(std::string_view id_hash) {
    writing(*pool_, [&](Connection& c) {
        c.prepare("DELETE FROM sessions WHERE id_hash = ?1").bind(1, id_hash).run();  // its grant cascades
    });
}

int SqliteStore::delete_sessions_of_person(std::string_view person_id) {
    return writing(*pool_, [&](Connection& c) {
        return c.prepare("DELETE FROM sessions WHERE person_id = ?1").bind(1, person_id).run();
    });
}

int SqliteStore::purge(std::int64_t now, std::int64_t idle_before, std::int64_t transactions_before) {
    return writing(*pool_, [&](Connection& c) {
        // Same boundaries as policy.h: a session has ended once now ≥ its absolute end or its
        // last sight + idle timeout. Grants are deleted first so that they are counted.
        int n = c.prepare("DELETE FROM grants WHERE session_hash IN (SELECT id_hash FROM sessions "
                          "WHERE absolute_expires_at <= ?1 OR last_seen_at <= ?2)")
                    .bind(1, now)
                    .bind(2, idle_before)
                    .run();
        n += c.prepare("DELETE FROM sessions WHERE absolute_expires_at <= ?1 OR last_seen_at <= ?2")
                 .bind(1, now)
                 .bind(2, idle_before)
                 .run();
        n += c.prepare("DELETE FROM transactions WHERE created_at < ?1").bind(1, transactions_before).run();
        n += c.prepare("DELETE FROM webhook_events WHERE at < ?1")
                 .bind(1, now - options_.event_retention_seconds)
                 .run();
        return n;
    });
}

// --- transactions -----------------------------------------------------------------------------

void SqliteStore::put_transaction(const Transaction& t, int max_per_browser) {
    if (max_per_browser < 1) throw std::invalid_argument("max_per_browser must be at least 1");
    const std::string sealed_verifier = vault_.seal(t.code_verifier, verifier_ad(t.state_hash));
    writing(*pool_, [&](Connection& c) {
        c.prepare("INSERT INTO transactions (state_hash, browser_hash, intent, organization_id, session_hash, "
                  "person_id, code_verifier, return_path, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
            .bind(1, t.state_hash)
            .bind(2, t.browser_hash)
            .bind(3, intent_id(t.intent))
            .bind(4, t.organization_id)
            .bind(5, t.session_hash)
            .bind(6, t.person_id)
            .bind(7, sealed_verifier)
            .bind(8, t.return_path)
            .bind(9, t.created_at)
            .run();
        // Oldest first: by creation time, then by insertion order (rowid) for equal times.
        c.prepare("DELETE FROM transactions WHERE browser_hash = ?1 AND rowid NOT IN ("
                  "SELECT rowid FROM transactions WHERE browser_hash = ?1 ORDER BY created_at DESC, rowid DESC "
                  "LIMIT ?2)")
            .bind(1, t.browser_hash)
            .bind(2, std::int64_t{max_per_browser})
            .run();
    });
}

std::optional<Transaction> SqliteStore::take_transaction(std::string_view state_hash) {
    return writing(*pool_, [&](Connection& c) -> std::optional<Transaction> {
        auto st = c.prepare(
            "DELETE FROM transactions WHERE state_hash = ?1 RETURNING state_hash, browser_hash, intent, "
            "organization_id, session_hash, person_id, code_verifier, return_path, created_at");
        st.bind(1, state_hash);
        if (!st.step()) return std::nullopt;
        Transaction t;
        t.state_hash = st.text(0);
        t.browser_hash = st.text(1);
        t.intent = parse_intent(st.text(2));
        t.organization_id = st.text(3);
        t.session_hash = st.text(4);
        t.person_id = st.text(5);
        // Opened inside the transaction: if it does not open, the row stays (nothing changed).
        t.code_verifier = open_sealed(vault_, st.text(6), verifier_ad(t.state_hash), "transactions.code_verifier");
        t.return_path = st.text(7);
        t.created_at = st.integer(8);
        while (st.step()) {
        }
        return t;
    });
}

// --- grants -----------------------------------------------------------------------------------

std::optional<Grant> SqliteStore::find_grant(std::string_view grant_id) {
    return reading(*pool_, [&](Connection& c) -> std::optional<Grant> {
        auto st = c.prepare(
            "SELECT id, bearer_type, bearer_id, access_token, refresh_token, expires_at, jti, scopes, "
            "requested_scopes, version, refreshed_at FROM grants WHERE id = ?1");
        st.bind(1, grant_id);
        if (!st.step()) return std::nullopt;
        return read_grant(st, vault_);
    });
}

bool SqliteStore::replace_tokens(std::string_view grant_id, std::int64_t expected_version, const TokenSet& tokens,
                                 std::int64_t refreshed_at) {
    const auto access = seal_access(vault_, grant_id, tokens);
    const auto refresh = seal_refresh(vault_, grant_id, tokens);
    return writing(*pool_, [&](Connection& c) {
        return c.prepare("UPDATE grants SET access_token = ?3, refresh_token = ?4, expires_at = ?5, jti = ?6, "
                         "scopes = ?7, version = version + 1, refreshed_at = ?8, lock_owner = NULL, "
                         "lock_until_ms = 0 WHERE id = ?1 AND version = ?2")
                   .bind(1, grant_id)
                   .bind(2, expected_version)
                   .bind_nullable(3, access)
                   .bind_nullable(4, refresh)
                   .bind(5, tokens.expires_at)
                   .bind(6, tokens.jti)
                   .bind(7, json_list(tokens.scopes))
                   .bind(8, refreshed_at)
                   .run() == 1;
    });
}

int SqliteStore::drop_access_token_by_jti(std::string_view jti) {
    if (jti.empty()) return 0;  // '' means "no access token", not a token id
    return writing(*pool_, [&](Connection& c) {
        return c.prepare("UPDATE grants SET access_token = NULL, jti = '' WHERE jti = ?1").bind(1, jti).run();
    });
}

bool SqliteStore::try_lock_grant(std::string_view grant_id, std::string_view owner, std::int64_t lease_until_ms,
                                 std::int64_t now_ms) {
    return writing(*pool_, [&](Connection& c) {
        return c.prepare("UPDATE grants SET lock_owner = ?2, lock_until_ms = ?3 "
                         "WHERE id = ?1 AND (lock_owner IS NULL OR lock_until_ms <= ?4)")
                   .bind(1, grant_id)
                   .bind(2, owner)
                   .bind(3, lease_until_ms)
                   .bind(4, now_ms)
                   .run() == 1;
    });
}

void SqliteStore::unlock_grant(std::string_view grant_id, std::string_view owner) {
    writing(*pool_, [&](Connection& c) {
        c.prepare("UPDATE grants SET lock_owner = NULL, lock_until_ms = 0 WHERE id = ?1 AND lock_owner = ?2")
            .bind(1, grant_id)
            .bind(2, owner)
            .run();
    });
}

// --- installations ----------------------------------------------------------------------------

void SqliteStore::install(const Installation& installation, const Grant& organization_grant) {
    writing(*pool_, [&](Connection& c) {
        c.prepare("INSERT INTO installations (organization_id, state, installed_by_person_id, installed_by_name, "
                  "installed_at, revoked_at, revoked_reason, requested_scopes, granted_scopes) "
                  "VALUES (?1, 'installed', ?2, ?3, ?4, 0, '', ?5, ?6) "
                  "ON CONFLICT (organization_id) DO UPDATE SET state = 'installed', "
                  "installed_by_person_id = excluded.installed_by_person_id, "
                  "installed_by_name = excluded.installed_by_name, installed_at = excluded.installed_at, "
                  "revoked_at = 0, revoked_reason = '', requested_scopes = excluded.requested_scopes, "
                  "granted_scopes = excluded.granted_scopes")
            .bind(1, installation.organization_id)
            .bind(2, installation.installed_by_person_id)
            .bind(3, installation.installed_by_name)
            .bind(4, installation.installed_at)
            .bind(5, format_scope_list(installation.requested_scopes))
            .bind(6, format_scope_list(installation.granted_scopes))
            .run();
        write_grant(c, vault_, organization_grant, std::nullopt, installation.organization_id);
    });
}

std::optional<Installation> SqliteStore::find_installation(std::string_view organization_id) {
    return reading(*pool_, [&](Connection& c) -> std::optional<Installation> {
        auto st = c.prepare(select_installation_sql);
        st.bind(1, organization_id);
        if (!st.step()) return std::nullopt;
        return read_installation(st);
    });
}

std::vector<Installation> SqliteStore::find_installations(const std::vector<std::string>& organization_ids) {
    return reading(*pool_, [&](Connection& c) {
        std::vector<Installation> found;
        std::unordered_set<std::string_view> seen;
        for (const auto& id : organization_ids) {
            if (!seen.insert(id).second) continue;
            auto st = c.prepare(select_installation_sql);
            st.bind(1, id);
            if (st.step()) found.push_back(read_installation(st));
        }
        return found;
    });
}

void SqliteStore::revoke_installation(std::string_view organization_id, std::string_view reason, std::int64_t at) {
    writing(*pool_, [&](Connection& c) {
        c.prepare("UPDATE installations SET state = 'revoked', revoked_at = ?2, revoked_reason = ?3 "
                  "WHERE organization_id = ?1 AND state = 'installed'")
            .bind(1, organization_id)
            .bind(2, at)
            .bind(3, reason)
            .run();
        c.prepare("DELETE FROM grants WHERE organization_id = ?1").bind(1, organization_id).run();
    });
}

void SqliteStore::delete_installation(std::string_view organization_id) {
    writing(*pool_, [&](Connection& c) {
        c.prepare("DELETE FROM installations WHERE organization_id = ?1").bind(1, organization_id).run();  // grant cascades
    });
}

// --- webhooks and operations ------------------------------------------------------------------

bool SqliteStore::record_event(std::string_view event_id, std::int64_t at) {
    return writing(*pool_, [&](Connection& c) {
        return c.prepare("INSERT OR IGNORE INTO webhook_events (id, at) VALUES (?1, ?2)")
                   .bind(1, event_id)
                   .bind(2, at)
                   .run() == 1;
    });
}

bool SqliteStore::ready() {
    try {
        return reading(*pool_, [](Connection& c) {
            auto st = c.prepare("SELECT count(*) FROM sqlite_schema");
            return st.step();
        });
    } catch (const StoreError&) {
        return false;
    }
}

}  // namespace zai::connect
