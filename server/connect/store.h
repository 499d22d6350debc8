// zai-connect — the store: sessions, authorisation transactions, grants (token sets),
// installations and seen webhook events, behind one interface.
//
// SQLite (sqlite_store.h) is the embedded default; the interface is shaped so a PostgreSQL
// implementation can follow (architecture.md "Scaling out"): every method is one short
// transaction, and the refresh lock lives in the store so several processes can share it.
//
// Secrets: token sets and PKCE verifiers are encrypted before they reach the database
// (AES-256-GCM, key outside the database, key id stored beside each value: see vault.h). Session
// ids and OAuth `state` values are stored only as SHA-256 hashes. Plaintext exists in memory only.
//
// Durability: a method that returns has committed (SQLite synchronous=FULL in WAL mode), so a
// response sent after it never describes a write that a crash could lose.
//
// Failures: a method that cannot do its job throws `StoreError` (below) and has changed nothing;
// it never answers "not found" for a database it could not read.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "zai/error.h"
#include "zai/model.h"

namespace zai::connect {

// Why the store failed. Ids (`store_errc_id`) are stable and appear in logs.
enum class StoreErrc {
    busy,               // "store_busy": another writer held the database past the busy timeout
    disk_full,          // "store_disk_full"
    io_error,           // "store_io_error": the operating system refused a read or write
    cannot_open,        // "store_cannot_open": missing folder, no permission
    read_only,          // "store_read_only": the file or its folder is not writable
    corrupt,            // "store_corrupt": not a database, or a damaged one
    schema_too_new,     // "store_schema_too_new": written by a newer zai-connect
    constraint,         // "store_constraint": the write breaks a rule of the schema (a bug)
    unreadable_secret,  // "store_unreadable_secret": a sealed value no configured key opens
                        //   (wrong or missing key, or the value was altered)
    bad_row,            // "store_bad_row": a stored value this version cannot read
    other,              // "store_other": anything else the database reported
};

std::string_view store_errc_id(StoreErrc code);

// what() is "<id>: <sentence>"; it may name tables, columns and row keys (a grant id, an
// organisation id), never a token or other secret. The HTTP edge answers `Errc::internal`
// (errc()); the data stays where it was, so fixing the cause (e.g. configuring the old key
// again) makes it usable again.
class StoreError : public std::runtime_error {
public:
    StoreError(StoreErrc code, std::string_view message);
    StoreErrc code() const noexcept { return code_; }
    Errc errc() const noexcept { return Errc::internal; }

private:
    StoreErrc code_;
};

// Tokens as the Hub issued them. Plaintext; never logged, never sent to the browser.
struct TokenSet {
    std::string access_token;
    std::optional<std::string> refresh_token;
    std::int64_t expires_at = 0;  // unix seconds, from local receive time + expires_in
    std::string jti;              // the access token's id, to act on revocation events
    std::vector<std::string> scopes;  // granted, as the Hub wrote them

    friend bool operator==(const TokenSet&, const TokenSet&) = default;
};

// A grant: the tokens one bearer gave this app. Person grants belong to a session
// ("session:<session hash>"); organisation grants to an installation ("org:<uuid>").
struct Grant {
    std::string id;
    BearerType bearer_type = BearerType::person;
    std::string bearer_id;
    TokenSet tokens;
    std::vector<std::string> requested_scopes;  // what we asked for (the Hub may grant fewer)
    std::int64_t version = 0;                   // bumped by every token change (compare-and-swap)
    std::int64_t refreshed_at = 0;              // unix seconds of the last token change

    friend bool operator==(const Grant&, const Grant&) = default;
};

std::string person_grant_id(std::string_view session_hash);
std::string organization_grant_id(std::string_view organization_id);

struct Session {
    std::string id_hash;  // SHA-256 hex of the cookie value
    std::string person_id;
    std::string person_name;
    std::string email;
    std::string memberships_json;  // the Hub's organization_memberships array, as received
    std::int64_t memberships_at = 0;
    std::int64_t created_at = 0;
    std::int64_t last_seen_at = 0;
    std::int64_t absolute_expires_at = 0;
    std::string action_nonce;  // random; required by /install and /logout (R49, R50)

    friend bool operator==(const Session&, const Session&) = default;
};

enum class Intent { sign_in, install };

// A pending authorisation request (R1): created at /login or /install, taken once by the callback.
struct Transaction {
    std::string state_hash;    // SHA-256 hex of `state`
    std::string browser_hash;  // SHA-256 hex of the browser's flow cookie value
    Intent intent = Intent::sign_in;
    std::string organization_id;  // install: the requested organisation, "" = the Hub lets them choose
    std::string session_hash;     // install: the session that started it
    std::string person_id;        // install: the person who started it
    std::string code_verifier;    // PKCE (encrypted at rest)
    std::string return_path;
    std::int64_t created_at = 0;

    friend bool operator==(const Transaction&, const Transaction&) = default;
};

class Store {
public:
    virtual ~Store() = default;

    // Sessions -------------------------------------------------------------------------------
    // Creates a session and, in the same transaction, its person grant.
    virtual void create_session(const Session& s, const Grant& person_grant) = 0;
    virtual std::optional<Session> find_session(std::string_view id_hash) = 0;
    virtual void touch_session(std::string_view id_hash, std::int64_t last_seen_at) = 0;
    virtual void update_memberships(std::string_view id_hash, std::string_view memberships_json,
                                    std::int64_t at) = 0;
    // Deletes the session and its person grant. Deleting a missing session is not an error.
    virtual void delete_session(std::string_view id_hash) = 0;
    // "Sign out everywhere" and admin termination (R44); returns how many ended.
    virtual int delete_sessions_of_person(std::string_view person_id) = 0;
    // Removes sessions past their absolute end or idle since `idle_before`, their grants, and
    // transactions created before `transactions_before`. Returns how many rows went.
    virtual int purge(std::int64_t now, std::int64_t idle_before, std::int64_t transactions_before) = 0;

    // Transactions ---------------------------------------------------------------------------
    // Stores a transaction; if the browser then has more than `max_per_browser` pending, its
    // oldest are deleted (R8).
    virtual void put_transaction(const Transaction& t, int max_per_browser) = 0;
    // Deletes and returns the transaction with this state hash, if any: single use (R13).
    virtual std::optional<Transaction> take_transaction(std::string_view state_hash) = 0;

    // Grants ---------------------------------------------------------------------------------
    virtual std::optional<Grant> find_grant(std::string_view grant_id) = 0;
    // Replaces the tokens if the stored version is still `expected_version`; bumps the version,
    // sets refreshed_at and releases any refresh lock. false if the version moved on (or gone).
    virtual bool replace_tokens(std::string_view grant_id, std::int64_t expected_version, const TokenSet& tokens,
                                std::int64_t refreshed_at) = 0;
    // Forgets the access token (e.g. the Hub revoked it) so the next use refreshes.
    virtual int drop_access_token_by_jti(std::string_view jti) = 0;

    // Refresh lock shared by all processes on this store (R31): acquired when free or when the
    // previous holder's lease has passed. `owner` is unique per process and attempt.
    virtual bool try_lock_grant(std::string_view grant_id, std::string_view owner, std::int64_t lease_until_ms,
                                std::int64_t now_ms) = 0;
    virtual void unlock_grant(std::string_view grant_id, std::string_view owner) = 0;

    // Installations --------------------------------------------------------------------------
    // Records an installation (state installed) together with its organisation grant, replacing
    // any previous installation and grant of that organisation, in one transaction.
    virtual void install(const Installation& installation, const Grant& organization_grant) = 0;
    virtual std::optional<Installation> find_installation(std::string_view organization_id) = 0;
    virtual std::vector<Installation> find_installations(const std::vector<std::string>& organization_ids) = 0;
    // Marks an installation revoked and deletes its grant (R33). No-op when not installed.
    virtual void revoke_installation(std::string_view organization_id, std::string_view reason, std::int64_t at) = 0;
    // Uninstall: deletes the installation and its grant (R28).
    virtual void delete_installation(std::string_view organization_id) = 0;

    // Webhooks -------------------------------------------------------------------------------
    // Records an event id; false when it was recorded before (idempotent delivery, R58).
    virtual bool record_event(std::string_view event_id, std::int64_t at) = 0;

    // Operations -----------------------------------------------------------------------------
    virtual bool ready() = 0;  // the database answers
};

}  // namespace zai::connect
