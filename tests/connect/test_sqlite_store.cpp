// The SQLite store: every method, its transactions across two stores on one file (as two
// processes would share it), migrations, secrets at rest (R25, R64) and typed failures.
#include <doctest/doctest.h>

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <functional>
#include <fstream>
#include <latch>
#include <sstream>
#include <thread>

#include "crypto.h"
#include "sqlite_store.h"
#include "temp_dir.h"

using namespace zai;
using namespace zai::connect;
using zai::connect::testing::TempDir;
namespace fs = std::filesystem;

namespace {

Key key_of(std::uint8_t fill) {
    Key k;
    k.fill(fill);
    return k;
}

// The database as any other program (sqlite3 CLI, a backup tool, an attacker) sees it.
class RawDb {
public:
    explicit RawDb(const std::string& path) {
        REQUIRE(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) == SQLITE_OK);
        sqlite3_busy_timeout(db_, 5000);
    }
    ~RawDb() { sqlite3_close_v2(db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    int try_exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }
    void exec(const std::string& sql) {
        const int rc = try_exec(sql);
        INFO(sql << ": " << sqlite3_errmsg(db_));
        REQUIRE(rc == SQLITE_OK);
    }
    // Every value of the first column, as text.
    std::vector<std::string> column(const std::string& sql) {
        std::vector<std::string> out;
        sqlite3_stmt* s = nullptr;
        REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
        while (sqlite3_step(s) == SQLITE_ROW) out.push_back(cell(s, 0));
        sqlite3_finalize(s);
        return out;
    }
    std::string value(const std::string& sql) {
        const auto values = column(sql);
        REQUIRE(values.size() == 1);
        return values.front();
    }
    // Every cell of every table, like a dump.
    std::vector<std::string> dump() {
        std::vector<std::string> cells;
        for (const auto& table : column("SELECT name FROM sqlite_schema WHERE type = 'table'")) {
            sqlite3_stmt* s = nullptr;
            REQUIRE(sqlite3_prepare_v2(db_, ("SELECT * FROM \"" + table + "\"").c_str(), -1, &s, nullptr) == SQLITE_OK);
            while (sqlite3_step(s) == SQLITE_ROW) {
                for (int i = 0; i < sqlite3_column_count(s); ++i) cells.push_back(cell(s, i));
            }
            sqlite3_finalize(s);
        }
        return cells;
    }

private:
    static std::string cell(sqlite3_stmt* s, int i) {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(s, i));
        return p == nullptr ? std::string() : std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
    }
    sqlite3* db_ = nullptr;
};

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::string person_a = "6b1bd9a2-5c2f-4f0e-9a57-3f8a1a0d0a01";
const std::string person_b = "6b1bd9a2-5c2f-4f0e-9a57-3f8a1a0d0a02";
const std::string org_1 = "0f4a1c3e-8b0d-4d7e-a1b2-c3d4e5f60001";
const std::string org_2 = "0f4a1c3e-8b0d-4d7e-a1b2-c3d4e5f60002";

TokenSet tokens(const std::string& tag) {
    TokenSet t;
    t.access_token = "ACCESS-PLAINTEXT-" + tag;
    t.refresh_token = "REFRESH-PLAINTEXT-" + tag;
    t.expires_at = 1'700'003'600;
    t.jti = "jti-" + tag;
    t.scopes = {"directory.person.r", "Org/" + org_1 + ".directory.organization.r"};
    return t;
}

Session session(const std::string& hash, const std::string& person, std::int64_t now = 1'700'000'000) {
    Session s;
    s.id_hash = hash;
    s.person_id = person;
    s.person_name = "Ada Lovelace";
    s.email = "ada@example.com";
    s.memberships_json = R"([{"id":")" + org_1 + R"(","name":"Org One","roles":["admin"]}])";
    s.memberships_at = now;
    s.created_at = now;
    s.last_seen_at = now;
    s.absolute_expires_at = now + 86400;
    s.action_nonce = "nonce-" + hash;
    return s;
}

Grant person_grant(const Session& s, const std::string& tag) {
    Grant g;
    g.id = person_grant_id(s.id_hash);
    g.bearer_type = BearerType::person;
    g.bearer_id = s.person_id;
    g.tokens = tokens(tag);
    g.requested_scopes = {"directory.person.r"};
    g.refreshed_at = s.created_at;
    return g;
}

std::vector<Scope> scopes_of(const std::string& text) {
    auto s = parse_scope_list(text);
    REQUIRE(s.has_value());
    return *s;
}

Installation installation(const std::string& org, std::int64_t at = 1'700'000'000) {
    Installation i;
    i.organization_id = org;
    i.state = InstallationState::installed;
    i.installed_by_person_id = person_a;
    i.installed_by_name = "Ada Lovelace";
    i.installed_at = at;
    i.requested_scopes = scopes_of("Org/" + org + ".directory.organization.r");
    i.granted_scopes = scopes_of("directory.organization.r");
    return i;
}

Grant org_grant(const std::string& org, const std::string& tag) {
    Grant g;
    g.id = organization_grant_id(org);
    g.bearer_type = BearerType::organization;
    g.bearer_id = org;
    g.tokens = tokens(tag);
    g.requested_scopes = {"Org/" + org + ".directory.organization.r"};
    g.refreshed_at = 1'700'000'000;
    return g;
}

Transaction transaction(const std::string& state, const std::string& browser, std::int64_t created_at) {
    Transaction t;
    t.state_hash = state;
    t.browser_hash = browser;
    t.intent = Intent::install;
    t.organization_id = org_1;
    t.session_hash = "session-hash";
    t.person_id = person_a;
    t.code_verifier = "VERIFIER-PLAINTEXT-" + state;
    t.return_path = "/organizations/" + org_1;
    t.created_at = created_at;
    return t;
}

// Releases `racers` threads at once, alternating between two stores on one file (as two processes
// would share it), each making one `attempt`; how many attempts succeeded.
int race(Store& a, Store& b, const std::function<bool(Store&, int)>& attempt, int racers = 6) {
    std::latch start(racers);
    std::atomic<int> winners{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < racers; ++i) {
        Store& store = i % 2 == 0 ? a : b;
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            if (attempt(store, i)) ++winners;
        });
    }
    for (auto& t : threads) t.join();
    return winners;
}

StoreErrc code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const StoreError& e) {
        return e.code();
    }
    FAIL("no StoreError was thrown");
    return StoreErrc::other;
}

}  // namespace

TEST_CASE("the grant ids name their owner") {
    CHECK(person_grant_id("abc") == "session:abc");
    CHECK(organization_grant_id(org_1) == "org:" + org_1);
}

TEST_CASE("store errors have stable ids and say what failed") {
    const StoreError e(StoreErrc::busy, "writing");
    CHECK(std::string(e.what()) == "store_busy: writing");
    CHECK(e.code() == StoreErrc::busy);
    CHECK(e.errc() == Errc::internal);
    CHECK(store_errc_id(StoreErrc::unreadable_secret) == "store_unreadable_secret");
    CHECK(store_errc_id(StoreErrc::schema_too_new) == "store_schema_too_new");
}

TEST_CASE("schema: a new database is created private, in WAL mode, at the current version") {
    TempDir dir;
    const Vault vault({key_of(1)});
    const auto path = dir.file("db.sqlite3");
    {
        SqliteStore store(path, vault);
        store.create_session(session("s1", person_a), person_grant(session("s1", person_a), "s1"));
        for (const auto& file : {path, path + "-wal"}) {
            struct stat st {};
            REQUIRE(::stat(file.c_str(), &st) == 0);
            CHECK((st.st_mode & 0777) == 0600);
        }
    }
    RawDb raw(path);
    CHECK(raw.value("PRAGMA user_version") == std::to_string(SqliteStore::schema_version()));
    CHECK(raw.value("PRAGMA journal_mode") == "wal");
    for (const char* table : {"sessions", "transactions", "grants", "installations", "webhook_events"}) {
        CHECK(raw.value(std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '") + table + "'") ==
              "1");
    }

    SUBCASE("reopening keeps the data and migrates nothing") {
        SqliteStore again(path, vault);
        CHECK(again.find_session("s1") == session("s1", person_a));
        CHECK(raw.value("PRAGMA user_version") == std::to_string(SqliteStore::schema_version()));
    }
}

TEST_CASE("schema: an empty file is migrated") {
    TempDir dir;
    const auto path = dir.write("empty.sqlite3", "");
    const Vault vault({key_of(1)});
    SqliteStore store(path, vault);
    CHECK(store.ready());
    CHECK(RawDb(path).value("PRAGMA user_version") == std::to_string(SqliteStore::schema_version()));
}

TEST_CASE("schema: a database of a newer zai-connect is refused and left alone") {
    TempDir dir;
    const auto path = dir.file("newer.sqlite3");
    RawDb(path).exec("CREATE TABLE future (x); PRAGMA user_version = 99;");
    const Vault vault({key_of(1)});
    try {
        SqliteStore store(path, vault);
        FAIL("opened a newer database");
    } catch (const StoreError& e) {
        CHECK(e.code() == StoreErrc::schema_too_new);
        CHECK(std::string(e.what()).find("99") != std::string::npos);
    }
    RawDb raw(path);
    CHECK(raw.value("PRAGMA user_version") == "99");
    CHECK(raw.value("SELECT count(*) FROM sqlite_schema WHERE name = 'grants'") == "0");
}

TEST_CASE("schema: a migration that fails changes nothing") {
    TempDir dir;
    const auto path = dir.file("foreign.sqlite3");
    // Someone else's database at version 0 with a table of the same name: step 1 cannot run.
    RawDb(path).exec("CREATE TABLE webhook_events (theirs TEXT); INSERT INTO webhook_events VALUES ('kept');");
    const Vault vault({key_of(1)});
    CHECK(code_of([&] { SqliteStore store(path, vault); }) == StoreErrc::other);
    RawDb raw(path);
    CHECK(raw.value("PRAGMA user_version") == "0");
    CHECK(raw.value("SELECT count(*) FROM sqlite_schema WHERE name IN ('sessions', 'grants')") == "0");
    CHECK(raw.value("SELECT theirs FROM webhook_events") == "kept");
}

TEST_CASE("schema: several processes opening one new file at once all succeed") {
    TempDir dir;
    const auto path = dir.file("shared.sqlite3");
    const Vault vault({key_of(1)});
    constexpr int openers = 6;
    std::latch start(openers);
    std::atomic<int> opened{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < openers; ++i) {
        threads.emplace_back([&] {
            start.arrive_and_wait();
            try {
                SqliteStore store(path, vault);
                if (store.ready()) ++opened;
            } catch (const StoreError&) {
                ++failed;
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(opened == openers);
    CHECK(failed == 0);
    CHECK(RawDb(path).value("PRAGMA user_version") == std::to_string(SqliteStore::schema_version()));
}

TEST_CASE("opening what is not a usable database is a typed error") {
    TempDir dir;
    const Vault vault({key_of(1)});
    SUBCASE("a file that is not a database") {
        const auto path = dir.file("text.sqlite3");
        dir.write("text.sqlite3", std::string(8192, 'x'));
        CHECK(code_of([&] { SqliteStore store(path, vault); }) == StoreErrc::corrupt);
        CHECK(file_bytes(path) == std::string(8192, 'x'));
    }
    SUBCASE("a folder that does not exist") {
        CHECK(code_of([&] { SqliteStore store(dir.file("missing/db.sqlite3"), vault); }) == StoreErrc::cannot_open);
    }
}

TEST_CASE("sessions") {
    TempDir dir;
    const Vault vault({key_of(1)});
    SqliteStore store(dir.file("db.sqlite3"), vault);
    const Session s = session("hash-1", person_a);
    const Grant g = person_grant(s, "p1");
    store.create_session(s, g);

    CHECK(store.find_session("hash-1") == s);
    CHECK(store.find_grant(g.id) == g);
    CHECK_FALSE(store.find_session("hash-2"));

    SUBCASE("touch moves last_seen forward only") {
        store.touch_session("hash-1", s.last_seen_at + 120);
        CHECK(store.find_session("hash-1")->last_seen_at == s.last_seen_at + 120);
        store.touch_session("hash-1", s.last_seen_at + 60);
        CHECK(store.find_session("hash-1")->last_seen_at == s.last_seen_at + 120);
        store.touch_session("missing", 5);
        CHECK_FALSE(store.find_session("missing"));
    }
    SUBCASE("memberships are replaced with their time") {
        store.update_memberships("hash-1", "[]", s.memberships_at + 300);
        const auto found = store.find_session("hash-1");
        CHECK(found->memberships_json == "[]");
        CHECK(found->memberships_at == s.memberships_at + 300);
        CHECK(found->person_name == s.person_name);
    }
    SUBCASE("deleting a session deletes its grant; deleting again is harmless") {
        store.delete_session("hash-1");
        CHECK_FALSE(store.find_session("hash-1"));
        CHECK_FALSE(store.find_grant(g.id));
        store.delete_session("hash-1");
        store.delete_session("never-existed");
    }
    SUBCASE("R44 ending every session of a person leaves other people's") {
        const Session s2 = session("hash-2", person_a);
        const Session other = session("hash-3", person_b);
        store.create_session(s2, person_grant(s2, "p2"));
        store.create_session(other, person_grant(other, "p3"));
        CHECK(store.delete_sessions_of_person(person_a) == 2);
        CHECK_FALSE(store.find_session("hash-1"));
        CHECK_FALSE(store.find_session("hash-2"));
        CHECK_FALSE(store.find_grant(person_grant_id("hash-2")));
        CHECK(store.find_session("hash-3"));
        CHECK(store.find_grant(person_grant_id("hash-3")));
        CHECK(store.delete_sessions_of_person(person_a) == 0);
    }
    SUBCASE("R28 signing out does not touch an organisation's grant") {
        store.install(installation(org_1), org_grant(org_1, "o1"));
        store.delete_session("hash-1");
        CHECK(store.find_grant(organization_grant_id(org_1)));
        CHECK(store.find_installation(org_1));
    }
    SUBCASE("a person grant without a refresh token or access token round-trips") {
        Session s2 = session("hash-2", person_a);
        Grant g2 = person_grant(s2, "p2");
        g2.tokens.refresh_token.reset();
        g2.tokens.access_token.clear();
        g2.tokens.scopes.clear();
        store.create_session(s2, g2);
        CHECK(store.find_grant(g2.id) == g2);
    }
}

TEST_CASE("a session and its grant are written together or not at all") {
    TempDir dir;
    const Vault vault({key_of(1)});
    SqliteStore store(dir.file("db.sqlite3"), vault);
    const Session s = session("hash-1", person_a);

    SUBCASE("a grant named for another session") {
        Grant g = person_grant(s, "p1");
        g.id = person_grant_id("hash-other");
        CHECK(code_of([&] { store.create_session(s, g); }) == StoreErrc::constraint);
    }
    SUBCASE("an organisation grant") {
        Grant g = person_grant(s, "p1");
        g.bearer_type = BearerType::organization;
        CHECK(code_of([&] { store.create_session(s, g); }) == StoreErrc::constraint);
    }
    SUBCASE("R27 a grant of another person") {
        Grant g = person_grant(s, "p1");
        g.bearer_id = person_b;
        CHECK(code_of([&] { store.create_session(s, g); }) == StoreErrc::constraint);
    }
    SUBCASE("a session id that exists already") {
        store.create_session(s, person_grant(s, "p1"));
        Session copy = s;
        copy.person_name = "Someone Else";
        CHECK(code_of([&] { store.create_session(copy, person_grant(copy, "p9")); }) == StoreErrc::constraint);
        CHECK(store.find_session("hash-1")->person_name == "Ada Lovelace");
        CHECK(store.find_grant(person_grant_id("hash-1"))->tokens == tokens("p1"));
        return;
    }
    CHECK_FALSE(store.find_session("hash-1"));
}

TEST_CASE("transactions") {
    TempDir dir;
    const Vault vault({key_of(1)});
    SqliteStore store(dir.file("db.sqlite3"), vault);
    const Transaction t = transaction("state-1", "browser-a", 1000);
    store.put_transaction(t, 5);

    SUBCASE("R13 taken once, with every field") {
        CHECK(store.take_transaction("state-1") == t);
        CHECK_FALSE(store.take_transaction("state-1"));
        CHECK_FALSE(store.take_transaction("state-unknown"));
    }
    SUBCASE("a sign-in transaction with empty install fields") {
        Transaction sign_in;
        sign_in.state_hash = "state-2";
        sign_in.browser_hash = "browser-a";
        sign_in.intent = Intent::sign_in;
        sign_in.code_verifier = "VERIFIER-PLAINTEXT-2";
        sign_in.return_path = "/";
        sign_in.created_at = 1001;
        store.put_transaction(sign_in, 5);
        CHECK(store.take_transaction("state-2") == sign_in);
    }
    SUBCASE("R8 a browser keeps at most max_per_browser pending: the oldest go") {
        store.put_transaction(transaction("state-b1", "browser-b", 900), 3);
        store.put_transaction(transaction("state-2", "browser-a", 1002), 3);
        store.put_transaction(transaction("state-3", "browser-a", 1001), 3);  // older than state-2
        store.put_transaction(transaction("state-4", "browser-a", 1003), 3);
        CHECK_FALSE(store.take_transaction("state-1"));
        CHECK(store.take_transaction("state-3"));
        CHECK(store.take_transaction("state-2"));
        CHECK(store.take_transaction("state-4"));
        CHECK(store.take_transaction("state-b1"));  // another browser's are not counted
    }
    SUBCASE("R8 equal creation times: the first put is the oldest") {
        store.put_transaction(transaction("state-2", "browser-a", 1000), 2);
        store.put_transaction(transaction("state-3", "browser-a", 1000), 2);
        CHECK_FALSE(store.take_transaction("state-1"));
        CHECK(store.take_transaction("state-2"));
        CHECK(store.take_transaction("state-3"));
    }
    SUBCASE("a cap below one is a programming error") {
        CHECK_THROWS_AS(store.put_transaction(transaction("state-2", "browser-a", 1000), 0), std::invalid_argument);
        CHECK(store.take_transaction("state-1"));
    }
    SUBCASE("a state that exists already is refused, the first kept") {
        Transaction again = transaction("state-1", "browser-x", 2000);
        CHECK(code_of([&] { store.put_transaction(again, 5); }) == StoreErrc::constraint);
        CHECK(store.take_transaction("state-1") == t);
    }
}

TEST_CASE("R13 two processes racing for one transaction: exactly one gets it") {
    TempDir dir;
    const Vault vault({key_of(1)});
    const auto path = dir.file("db.sqlite3");
    SqliteStore a(path, vault);
    SqliteStore b(path, vault);
    for (int round = 0; round < 10; ++round) {
        const std::string state = "state-" + std::to_string(round);
        a.put_transaction(transaction(state, "browser", 1000 + round), 100);
        std::atomic<int> wrong{0};
        CHECK(race(a, b, [&](Store& store, int) {
                  const auto t = store.take_transaction(state);
                  if (t && t->code_verifier != "VERIFIER-PLAINTEXT-" + state) ++wrong;
                  return t.has_value();
              }) == 1);
        CHECK(wrong == 0);
    }
}

TEST_CASE("grants: compare-and-swap replacement (R32)") {
    TempDir dir;
    const Vault vault({key_of(1)});
    SqliteStore store(dir.file("db.sqlite3"), vault);
    const Session s = session("hash-1", person_a);
    const Grant g = person_grant(s, "old");
    store.create_session(s, g);
    CHECK_FALSE(store.find_grant("session:nope"));

    TokenSet fresh = tokens("new");
    fresh.refresh_token.reset();
    REQUIRE(store.replace_tokens(g.id, 0, fresh, 1'700'000'500));
    auto now = store.find_grant(g.id);
    REQUIRE(now);
    CHECK(now->tokens == fresh);
    CHECK(now->version == 1);
    CHECK(now->refreshed_at == 1'700'000'500);
    CHECK(now->requested_scopes == g.requested_scopes);
    CHECK(now->bearer_id == person_a);

    SUBCASE("a stale version loses and changes nothing") {
        CHECK_FALSE(store.replace_tokens(g.id, 0, tokens("stale"), 1'700'000'600));
        CHECK(store.find_grant(g.id) == now);
    }
    SUBCASE("the current version wins again") {
        CHECK(store.replace_tokens(g.id, 1, tokens("newer"), 1'700'000'700));
        CHECK(store.find_grant(g.id)->version == 2);
        CHECK(store.find_grant(g.id)->tokens == tokens("newer"));
    }
    SUBCASE("a missing grant is no match") { CHECK_FALSE(store.replace_tokens("session:gone", 0, fresh, 1)); }
    SUBCASE("replacing releases the refresh lock") {
        REQUIRE(store.try_lock_grant(g.id, "holder", 10'000, 1'000));
        CHECK_FALSE(store.try_lock_grant(g.id, "other", 10'000, 1'000));
        CHECK(store.replace_tokens(g.id, 1, tokens("newer"), 1'700'000'700));
        CHECK(store.try_lock_grant(g.id, "other", 10'000, 1'000));
    }
}

TEST_CASE("grants: a revoked access token is forgotten by its jti") {
    TempDir dir;
    const Vault vault({key_of(1)});
    SqliteStore store(dir.file("db.sqlite3"), vault);
    const Session s = session("hash-1", person_a);
    store.create_session(s, person_grant(s, "p1"));
    store.install(installation(org_1), org_grant(org_1, "o1"));

    CHECK(store.drop_access_token_by_jti("jti-o1") == 1);
    const auto g = store.find_grant(organization_grant_id(org_1));
    REQUIRE(g);
    CHECK(g->tokens.access_token.empty());
    CHECK(g->tokens.jti.empty());
    CHECK(g->tokens.refresh_token == "REFRESH-PLAINTEXT-o1");  // so the next use can refresh
    CHECK(g->version == 0);
    CHECK(store.find_grant(person_grant_id("hash-1"))->tokens == tokens("p1"));
    CHECK(store.drop_access_token_by_jti("jti-o1") == 0);
    CHECK(store.drop_access_token_by_jti("jti-unknown") == 0);
    CHECK(store.drop_access_token_by_jti("") == 0);
    CHECK(store.find_grant(person_grant_id("hash-1"))->tokens.access_token == "ACCESS-PLAINTEXT-p1");
}

TEST_CASE("R31 the refresh lock: one holder, a lease, release by the holder only") {
    TempDir dir;
    const Vault vault({key_of(1)});
    SqliteStore store(dir.file("db.sqlite3"), vault);
    store.install(installation(org_1), org_grant(org_1, "o1"));
    const std::string id = organization_grant_id(org_1);

    CHECK(store.try_lock_grant(id, "p1:1", 5'000, 1'000));
    CHECK_FALSE(store.try_lock_grant(id, "p2:1", 6'000, 1'000));
    CHECK_FALSE(store.try_lock_grant(id, "p2:1", 6'000, 4'999));
    CHECK_FALSE(store.try_lock_grant("org:missing", "p2:1", 6'000, 1'000));

    SUBCASE("someone else's unlock does nothing") {
        store.unlock_grant(id, "p2:1");
        CHECK_FALSE(store.try_lock_grant(id, "p2:1", 6'000, 1'000));
    }
    SUBCASE("the holder's unlock frees it") {
        store.unlock_grant(id, "p1:1");
        CHECK(store.try_lock_grant(id, "p2:1", 6'000, 1'000));
        store.unlock_grant(id, "p1:1");  // the old holder, late: still p2's
        CHECK_FALSE(store.try_lock_grant(id, "p3:1", 6'000, 1'000));
    }
    SUBCASE("a lease that has passed is taken over (a crashed holder)") {
        CHECK(store.try_lock_grant(id, "p2:1", 9'000, 5'000));
        CHECK_FALSE(store.try_lock_grant(id, "p1:1", 9'000, 5'000));
    }
    SUBCASE("the lock does not change the tokens or the version") {
        CHECK(store.find_grant(id) == org_grant(org_1, "o1"));
    }
}

TEST_CASE("R31 two processes racing for one grant's lock: exactly one wins") {
    TempDir dir;
    const Vault vault({key_of(1)});
    const auto path = dir.file("db.sqlite3");
    SqliteStore a(path, vault);
    SqliteStore b(path, vault);
    for (int round = 0; round < 10; ++round) {
        const std::string org = "0f4a1c3e-8b0d-4d7e-a1b2-c3d4e5f6100" + std::to_string(round);
        a.install(installation(org), org_grant(org, "race"));
        CHECK(race(a, b, [&](Store& store, int racer) {
                  return store.try_lock_grant(organization_grant_id(org), "owner-" + std::to_string(racer), 60'000, 1'000);
              }) == 1);
    }
}

TEST_CASE("installations") {
    TempDir dir;
    const Vault vault({key_of(1)});
    SqliteStore store(dir.file("db.sqlite3"), vault);
    const std::string id = organization_grant_id(org_1);
    store.install(installation(org_1), org_grant(org_1, "o1"));

    const auto found = store.find_installation(org_1);
    REQUIRE(found);
    CHECK(*found == installation(org_1));
    CHECK(store.find_grant(id) == org_grant(org_1, "o1"));
    CHECK_FALSE(store.find_installation(org_2));

    SUBCASE("reinstalling replaces both, continuing the grant's version and freeing its lock") {
        REQUIRE(store.replace_tokens(id, 0, tokens("o1b"), 1'700'000'100));
        REQUIRE(store.try_lock_grant(id, "holder", 60'000, 1'000));
        Installation again = installation(org_1, 1'700'001'000);
        again.installed_by_person_id = person_b;
        again.installed_by_name = "Grace Hopper";
        again.granted_scopes = {};
        store.install(again, org_grant(org_1, "o2"));
        CHECK(*store.find_installation(org_1) == again);
        const auto g = store.find_grant(id);
        REQUIRE(g);
        CHECK(g->tokens == tokens("o2"));
        CHECK(g->version == 2);
        CHECK(store.try_lock_grant(id, "other", 60'000, 1'000));
        SUBCASE("so a refresh that read the old grant cannot overwrite the new one") {
            CHECK_FALSE(store.replace_tokens(id, 1, tokens("from-old-refresh"), 1'700'001'100));
            CHECK(store.find_grant(id)->tokens == tokens("o2"));
        }
    }
    SUBCASE("the installation's state is always 'installed' when written") {
        Installation odd = installation(org_2);
        odd.state = InstallationState::revoked;
        odd.revoked_at = 5;
        odd.revoked_reason = "stale";
        store.install(odd, org_grant(org_2, "o2"));
        CHECK(*store.find_installation(org_2) == installation(org_2));
    }
    SUBCASE("find_installations returns the installed ones among the ids, once each") {
        store.install(installation(org_2), org_grant(org_2, "o2"));
        const auto list = store.find_installations({org_2, "0f4a1c3e-8b0d-4d7e-a1b2-c3d4e5f69999", org_1, org_2});
        REQUIRE(list.size() == 2);
        CHECK(list[0].organization_id == org_2);
        CHECK(list[1].organization_id == org_1);
        CHECK(store.find_installations({}).empty());
    }
    SUBCASE("R33 revoking keeps the record, marks it and deletes the grant") {
        store.revoke_installation(org_1, "refresh_denied", 1'700'000'900);
        const auto revoked = store.find_installation(org_1);
        REQUIRE(revoked);
        CHECK(revoked->state == InstallationState::revoked);
        CHECK(revoked->revoked_reason == "refresh_denied");
        CHECK(revoked->revoked_at == 1'700'000'900);
        CHECK(revoked->installed_by_person_id == person_a);
        CHECK_FALSE(store.find_grant(id));
        SUBCASE("a second revocation keeps the first reason and time") {
            store.revoke_installation(org_1, "connection_revoked", 1'700'009'999);
            CHECK(store.find_installation(org_1)->revoked_reason == "refresh_denied");
            CHECK(store.find_installation(org_1)->revoked_at == 1'700'000'900);
        }
        SUBCASE("reinstalling after a revocation makes it installed again") {
            store.install(installation(org_1), org_grant(org_1, "o3"));
            CHECK(*store.find_installation(org_1) == installation(org_1));
            CHECK(store.find_grant(id)->tokens == tokens("o3"));
        }
    }
    SUBCASE("revoking what is not installed does nothing") {
        store.revoke_installation(org_2, "connection_revoked", 1);
        CHECK_FALSE(store.find_installation(org_2));
    }
    SUBCASE("R28 uninstalling deletes the record and the grant") {
        store.delete_installation(org_1);
        CHECK_FALSE(store.find_installation(org_1));
        CHECK_FALSE(store.find_grant(id));
        store.delete_installation(org_1);
    }
    SUBCASE("a grant that does not match its installation is refused, with the installation") {
        const Grant wrong = org_grant(org_1, "o9");
        CHECK(code_of([&] { store.install(installation(org_2), wrong); }) == StoreErrc::constraint);
        CHECK_FALSE(store.find_installation(org_2));
        CHECK_FALSE(store.find_grant(organization_grant_id(org_2)));
    }
}

TEST_CASE("R58 webhook events are recorded once") {
    TempDir dir;
    const Vault vault({key_of(1)});
    SqliteStore store(dir.file("db.sqlite3"), vault);
    CHECK(store.record_event("event-1", 100));
    CHECK_FALSE(store.record_event("event-1", 200));
    CHECK(store.record_event("event-2", 200));
    CHECK(store.ready());
}

TEST_CASE("R28 purge removes ended sessions with their grants, old transactions and old event ids") {
    TempDir dir;
    const Vault vault({key_of(1)});
    SqliteOptions options;
    options.event_retention_seconds = 1000;
    SqliteStore store(dir.file("db.sqlite3"), vault, options);
    const std::int64_t now = 1'700'100'000;
    const std::int64_t idle = 3600;

    Session live = session("live", person_a, now - 100);
    Session ended_absolute = session("absolute", person_a, now - 5000);
    ended_absolute.absolute_expires_at = now;  // ends exactly now
    ended_absolute.last_seen_at = now - 10;
    Session ended_idle = session("idle", person_b, now - 5000);
    ended_idle.last_seen_at = now - idle;  // idle exactly the timeout
    Session almost_idle = session("almost", person_b, now - 5000);
    almost_idle.last_seen_at = now - idle + 1;
    for (const auto* s : {&live, &ended_absolute, &ended_idle, &almost_idle}) store.create_session(*s, person_grant(*s, s->id_hash));
    store.install(installation(org_1), org_grant(org_1, "o1"));
    store.put_transaction(transaction("old", "b", now - 601), 5);
    store.put_transaction(transaction("edge", "b", now - 600), 5);
    store.record_event("old-event", now - 1001);
    store.record_event("new-event", now - 1000);

    CHECK(store.purge(now, now - idle, now - 600) == 2 + 2 + 1 + 1);
    CHECK(store.find_session("live"));
    CHECK(store.find_session("almost"));
    CHECK(store.find_grant(person_grant_id("almost")));
    CHECK_FALSE(store.find_session("absolute"));
    CHECK_FALSE(store.find_session("idle"));
    CHECK_FALSE(store.find_grant(person_grant_id("absolute")));
    CHECK_FALSE(store.find_grant(person_grant_id("idle")));
    CHECK(store.find_grant(organization_grant_id(org_1)));
    CHECK_FALSE(store.take_transaction("old"));
    CHECK(store.take_transaction("edge"));
    CHECK(store.record_event("old-event", now));  // forgotten, so new again
    CHECK_FALSE(store.record_event("new-event", now));
    CHECK(store.purge(now, now - idle, now - 600) == 0);
}

TEST_CASE("R25 a database dump holds no token, refresh token or verifier in plaintext") {
    TempDir dir;
    const Vault vault({key_of(1)});
    const auto path = dir.file("db.sqlite3");
    std::vector<std::string> secrets;
    SqliteStore store(path, vault);  // stays open: its write-ahead log is scanned too
    {
        for (int i = 0; i < 3; ++i) {
            const Session s = session("hash-" + std::to_string(i), person_a);
            store.create_session(s, person_grant(s, "person-" + std::to_string(i)));
            secrets.push_back("ACCESS-PLAINTEXT-person-" + std::to_string(i));
            secrets.push_back("REFRESH-PLAINTEXT-person-" + std::to_string(i));
        }
        store.install(installation(org_1), org_grant(org_1, "org-first"));
        store.install(installation(org_1), org_grant(org_1, "org-second"));
        REQUIRE(store.replace_tokens(organization_grant_id(org_1), 1, tokens("org-third"), 1'700'000'001));
        for (const auto* tag : {"org-first", "org-second", "org-third"}) {
            secrets.push_back(std::string("ACCESS-PLAINTEXT-") + tag);
            secrets.push_back(std::string("REFRESH-PLAINTEXT-") + tag);
        }
        store.put_transaction(transaction("state-kept", "b", 1000), 5);
        store.put_transaction(transaction("state-taken", "b", 1000), 5);
        REQUIRE(store.take_transaction("state-taken"));
        secrets.push_back("VERIFIER-PLAINTEXT-state-kept");
        secrets.push_back("VERIFIER-PLAINTEXT-state-taken");
    }

    RawDb raw(path);
    const auto cells = raw.dump();
    CHECK(cells.size() > 40);
    for (const auto& cell : cells) {
        for (const auto& secret : secrets) {
            INFO(secret);
            CHECK(cell.find(secret) == std::string::npos);
            CHECK(cell.find(base64url_encode(secret)) == std::string::npos);
        }
    }
    SUBCASE("nor do the raw file and its write-ahead log") {
        const std::string wal = file_bytes(path + "-wal");
        CHECK(wal.find("ada@example.com") != std::string::npos);  // the log holds the rows: a real scan
        const std::string bytes = file_bytes(path) + wal;
        for (const auto& secret : secrets) {
            INFO(secret);
            CHECK(bytes.find(secret) == std::string::npos);
        }
    }
    SUBCASE("the sealed values name the key and open only for their own row and column") {
        const auto access = raw.value("SELECT access_token FROM grants WHERE id = 'session:hash-0'");
        CHECK(access.starts_with(vault.current_key_id() + "."));
        CHECK(vault.open(access, "grant:session:hash-0:access") == "ACCESS-PLAINTEXT-person-0");
        CHECK_FALSE(vault.open(access, "grant:session:hash-1:access"));
        CHECK_FALSE(vault.open(access, "grant:session:hash-0:refresh"));
        const auto verifier = raw.value("SELECT code_verifier FROM transactions");
        CHECK(vault.open(verifier, "transaction:state-kept:verifier") == "VERIFIER-PLAINTEXT-state-kept");
    }
}

TEST_CASE("R25 a sealed value that does not open is a typed error, and the row survives it") {
    TempDir dir;
    const Vault vault({key_of(1)});
    const auto path = dir.file("db.sqlite3");
    SqliteStore store(path, vault);
    const Session s0 = session("hash-0", person_a);
    const Session s1 = session("hash-1", person_a);
    store.create_session(s0, person_grant(s0, "zero"));
    store.create_session(s1, person_grant(s1, "one"));
    store.put_transaction(transaction("state-1", "b", 1000), 5);
    RawDb raw(path);

    SUBCASE("a token copied into another row does not open there") {
        raw.exec("UPDATE grants SET access_token = (SELECT access_token FROM grants WHERE id = 'session:hash-0') "
                 "WHERE id = 'session:hash-1'");
        CHECK(code_of([&] { store.find_grant(person_grant_id("hash-1")); }) == StoreErrc::unreadable_secret);
        CHECK(store.find_grant(person_grant_id("hash-0"))->tokens == tokens("zero"));
    }
    SUBCASE("a refresh token moved into the access token column does not open") {
        raw.exec("UPDATE grants SET access_token = refresh_token WHERE id = 'session:hash-0'");
        CHECK(code_of([&] { store.find_grant(person_grant_id("hash-0")); }) == StoreErrc::unreadable_secret);
    }
    SUBCASE("an altered ciphertext does not open") {
        const auto sealed = raw.value("SELECT refresh_token FROM grants WHERE id = 'session:hash-0'");
        std::string altered = sealed;
        altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
        raw.exec("UPDATE grants SET refresh_token = '" + altered + "' WHERE id = 'session:hash-0'");
        CHECK(code_of([&] { store.find_grant(person_grant_id("hash-0")); }) == StoreErrc::unreadable_secret);
        raw.exec("UPDATE grants SET refresh_token = '" + sealed + "' WHERE id = 'session:hash-0'");
        CHECK(store.find_grant(person_grant_id("hash-0"))->tokens == tokens("zero"));
    }
    SUBCASE("garbage instead of a sealed value") {
        raw.exec("UPDATE grants SET access_token = 'not sealed' WHERE id = 'session:hash-0'");
        CHECK(code_of([&] { store.find_grant(person_grant_id("hash-0")); }) == StoreErrc::unreadable_secret);
    }
    SUBCASE("a store with another key reads nothing and deletes nothing") {
        const Vault other({key_of(2)});
        SqliteStore wrong(path, other);
        CHECK(code_of([&] { wrong.find_grant(person_grant_id("hash-0")); }) == StoreErrc::unreadable_secret);
        CHECK(code_of([&] { wrong.take_transaction("state-1"); }) == StoreErrc::unreadable_secret);
        CHECK(wrong.find_session("hash-0"));  // nothing sealed there
        CHECK(store.find_grant(person_grant_id("hash-0"))->tokens == tokens("zero"));
        CHECK(store.take_transaction("state-1") == transaction("state-1", "b", 1000));
    }
    SUBCASE("R64 after a key rotation, old values open and new ones use the new key") {
        const Vault rotated({key_of(2), key_of(1)});
        SqliteStore next(path, rotated);
        CHECK(next.find_grant(person_grant_id("hash-0"))->tokens == tokens("zero"));
        CHECK(next.take_transaction("state-1") == transaction("state-1", "b", 1000));
        REQUIRE(next.replace_tokens(person_grant_id("hash-0"), 0, tokens("rotated"), 1));
        const auto sealed = raw.value("SELECT access_token FROM grants WHERE id = 'session:hash-0'");
        CHECK(sealed.starts_with(rotated.current_key_id() + "."));
        CHECK(code_of([&] { store.find_grant(person_grant_id("hash-0")); }) == StoreErrc::unreadable_secret);
    }
}

TEST_CASE("a stored value this version cannot read is store_bad_row, never a guess") {
    TempDir dir;
    const Vault vault({key_of(1)});
    const auto path = dir.file("db.sqlite3");
    SqliteStore store(path, vault);
    const Session s = session("hash-0", person_a);
    store.create_session(s, person_grant(s, "zero"));
    store.install(installation(org_1), org_grant(org_1, "o1"));
    RawDb raw(path);
    SUBCASE("grant scopes") {
        raw.exec("UPDATE grants SET scopes = 'directory.person.r' WHERE id = 'session:hash-0'");
        CHECK(code_of([&] { store.find_grant(person_grant_id("hash-0")); }) == StoreErrc::bad_row);
    }
    SUBCASE("grant scopes with a number") {
        raw.exec("UPDATE grants SET requested_scopes = '[1]' WHERE id = 'session:hash-0'");
        CHECK(code_of([&] { store.find_grant(person_grant_id("hash-0")); }) == StoreErrc::bad_row);
    }
    SUBCASE("installation scopes") {
        raw.exec("UPDATE installations SET granted_scopes = 'not a scope'");
        CHECK(code_of([&] { store.find_installation(org_1); }) == StoreErrc::bad_row);
        CHECK(code_of([&] { store.find_installations({org_1}); }) == StoreErrc::bad_row);
    }
}

TEST_CASE("a database locked past the busy timeout is store_busy; readers carry on") {
    TempDir dir;
    const Vault vault({key_of(1)});
    const auto path = dir.file("db.sqlite3");
    SqliteOptions options;
    options.busy_timeout_ms = 50;
    SqliteStore store(path, vault, options);
    const Session s = session("hash-0", person_a);
    store.create_session(s, person_grant(s, "zero"));

    RawDb other_process(path);
    other_process.exec("BEGIN IMMEDIATE");
    CHECK(code_of([&] { store.record_event("e1", 1); }) == StoreErrc::busy);
    CHECK(code_of([&] { store.try_lock_grant(person_grant_id("hash-0"), "me", 10, 1); }) == StoreErrc::busy);
    CHECK(store.find_session("hash-0") == s);  // WAL: reads do not wait for the writer
    CHECK(store.ready());
    other_process.exec("COMMIT");
    CHECK(store.record_event("e1", 1));
}

TEST_CASE("a write that the disk refuses is a typed error and loses nothing already stored") {
    TempDir dir;
    const Vault vault({key_of(1)});
    const auto path = dir.file("db.sqlite3");
    SqliteStore store(path, vault);
    const Session s = session("hash-0", person_a);
    store.create_session(s, person_grant(s, "zero"));
    const auto limit_now = static_cast<rlim_t>(std::max(fs::file_size(path), fs::file_size(path + "-wal")));

    // The operating system refuses to grow any file past its current size: a full disk.
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit old_limit{};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    rlimit small = old_limit;
    small.rlim_cur = limit_now;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    StoreErrc code = StoreErrc::other;
    try {
        store.update_memberships("hash-0", std::string(1 << 20, 'm'), 1);
    } catch (const StoreError& e) {
        code = e.code();
    }
    REQUIRE(setrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    std::signal(SIGXFSZ, old_handler);

    CHECK((code == StoreErrc::disk_full || code == StoreErrc::io_error));
    CHECK(store.find_session("hash-0") == s);
    CHECK(store.find_grant(person_grant_id("hash-0"))->tokens == tokens("zero"));
    store.touch_session("hash-0", s.last_seen_at + 60);  // usable again once there is room
    CHECK(store.find_session("hash-0")->last_seen_at == s.last_seen_at + 60);
}

TEST_CASE("many threads on one store each get their own connection") {
    TempDir dir;
    const Vault vault({key_of(1)});
    SqliteStore store(dir.file("db.sqlite3"), vault);
    constexpr int workers = 8;
    constexpr int per_worker = 15;
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
        threads.emplace_back([&, w] {
            for (int i = 0; i < per_worker; ++i) {
                const Session s = session("w" + std::to_string(w) + "-" + std::to_string(i), person_a);
                const Grant g = person_grant(s, s.id_hash);
                store.create_session(s, g);
                if (store.find_session(s.id_hash) != s || store.find_grant(g.id) != g) ++mismatches;
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(mismatches == 0);
    CHECK(store.delete_sessions_of_person(person_a) == workers * per_worker);
}
