// zai-connect — the Store on one SQLite file: the embedded default (store.h says what each
// method promises; this file says how).
//
// Schema (version 1; the version is PRAGMA user_version):
//   sessions        id_hash PK, person_id (index), person_name, email, memberships_json,
//                   memberships_at, created_at, last_seen_at (index), absolute_expires_at (index),
//                   action_nonce
//   transactions    state_hash PK, browser_hash (index with created_at), intent, organization_id,
//                   session_hash, person_id, code_verifier (sealed), return_path, created_at (index)
//   installations   organization_id PK, state ('installed' | 'revoked'), installed_by_person_id,
//                   installed_by_name, installed_at, revoked_at, revoked_reason,
//                   requested_scopes, granted_scopes (comma lists, zai::format_scope_list)
//   grants          id PK, session_hash → sessions / organization_id → installations (exactly one,
//                   ON DELETE CASCADE, checked against the id), bearer_type, bearer_id,
//                   access_token, refresh_token (sealed; NULL = none), expires_at, jti (index),
//                   scopes, requested_scopes (JSON arrays of strings), version, refreshed_at,
//                   lock_owner, lock_until_ms (the cross-process refresh lock, R31)
//   webhook_events  id PK, at (index)
// Migrations are an ordered list of steps; opening applies the missing ones in one transaction
// and refuses (StoreErrc::schema_too_new) a file written by a newer version.
//
// Secrets (R25): access and refresh tokens and PKCE verifiers are stored only as Vault::seal
// output, with associated data naming their row and column ("grant:<grant id>:access",
// "grant:<grant id>:refresh", "transaction:<state hash>:verifier"), so a value copied into
// another row does not open. A sealed value that does not open (key not configured, altered
// value, moved value) makes the reading method throw StoreError(unreadable_secret) and change
// nothing: the row stays, and configuring the right key makes it usable again. It is never
// treated as "no grant", which would end sessions and revoke installations over a
// misconfiguration.
//
// Concurrency: WAL mode, synchronous=FULL, foreign keys on, a busy timeout. Each thread that uses
// the store at the same moment gets its own connection from a pool (connections are never shared
// between threads at once) with its prepared statements cached. Every method is one transaction
// (BEGIN IMMEDIATE when it writes), so several processes may share the file: take_transaction is
// one DELETE … RETURNING and try_lock_grant one conditional UPDATE, each won by exactly one caller.
// Writers of one process queue on a mutex, not in SQLite's busy handler (which polls with sleeps:
// 32 threads writing at once saw single writes wait 1.5 s without the mutex, 30 ms with it).
//
// Version numbers: install() continues the counter of a grant it replaces (never restarts it),
// so a refresh that read the old grant cannot compare-and-swap onto the new one.
// drop_access_token_by_jti() leaves the version alone, so a refresh already under way still
// stores its newer tokens.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "store.h"
#include "vault.h"

namespace zai::connect {

namespace sqlite_detail {
class Pool;  // connections and their prepared statements (sqlite_store.cpp)
}

struct SqliteOptions {
    int busy_timeout_ms = 5000;  // how long a write waits for another writer before store_busy
    std::int64_t event_retention_seconds = 30 * 24 * 3600;  // purge() forgets webhook event ids older
};

class SqliteStore final : public Store {
public:
    // Opens (creating with mode 0600 if needed) and migrates the database at `path`. Throws
    // StoreError when it cannot. `vault` must outlive the store.
    SqliteStore(const std::string& path, const Vault& vault, SqliteOptions options = {});
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    // The schema version this build writes.
    static int schema_version();

    void create_session(const Session& s, const Grant& person_grant) override;
    std::optional<Session> find_session(std::string_view id_hash) override;
    void touch_session(std::string_view id_hash, std::int64_t last_seen_at) override;
    void update_memberships(std::string_view id_hash, std::string_view memberships_json, std::int64_t at) override;
    void delete_session(std::string_view id_hash) override;
    int delete_sessions_of_person(std::string_view person_id) override;
    // Counts every row it deletes: sessions, their grants, transactions and webhook event ids
    // older than SqliteOptions::event_retention_seconds.
    int purge(std::int64_t now, std::int64_t idle_before, std::int64_t transactions_before) override;

    // `max_per_browser` must be at least 1 (std::invalid_argument otherwise).
    void put_transaction(const Transaction& t, int max_per_browser) override;
    std::optional<Transaction> take_transaction(std::string_view state_hash) override;

    std::optional<Grant> find_grant(std::string_view grant_id) override;
    bool replace_tokens(std::string_view grant_id, std::int64_t expected_version, const TokenSet& tokens,
                        std::int64_t refreshed_at) override;
    int drop_access_token_by_jti(std::string_view jti) override;
    bool try_lock_grant(std::string_view grant_id, std::string_view owner, std::int64_t lease_until_ms,
                        std::int64_t now_ms) override;
    void unlock_grant(std::string_view grant_id, std::string_view owner) override;

    void install(const Installation& installation, const Grant& organization_grant) override;
    std::optional<Installation> find_installation(std::string_view organization_id) override;
    std::vector<Installation> find_installations(const std::vector<std::string>& organization_ids) override;
    void revoke_installation(std::string_view organization_id, std::string_view reason, std::int64_t at) override;
    void delete_installation(std::string_view organization_id) override;

    bool record_event(std::string_view event_id, std::int64_t at) override;

    bool ready() override;  // false (never a throw) when the database does not answer

private:
    const Vault& vault_;
    SqliteOptions options_;
    std::unique_ptr<sqlite_detail::Pool> pool_;
};

}  // namespace zai::connect
