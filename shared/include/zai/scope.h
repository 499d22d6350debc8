// zai_core — the Zaikio OAuth scope grammar.
//
// A scope names what a token may do:   [BEARER[/ID].]APP.RESOURCE.PERMISSION
//
//   zaikio.person.r                      implicit bearer: the person signing in (same as Per.)
//   Per.zaikio.person.r                  explicit person bearer
//   Org.zaikio.organization.r            an organisation the person chooses at the Hub
//   Org/<uuid>.zaikio.organization.r     that organisation (preselected, or client credentials)
//   Per>Org[/<uuid>].warehouse.items.rw  a person acting on behalf of an organisation
//   Per/<uuid>>Org/<uuid>.app.res.r      older client-credentials spelling of the same
//   Org[/<uuid>].subscription_create[_<app>][.<plan>]   the Hub's plan checkout (see below)
//
// APP is `[a-z][a-z0-9_]{2,}`, RESOURCE `[a-z][a-z_]{2,}`, PERMISSION `r`, `w` or `rw`; an ID is
// `[a-z0-9-]+` as in the Hub's own regex (only UUIDs name real bearers; `is_uuid` tells them apart).
// The Hub documents that regex without an end anchor; here a scope must match as a whole, so
// `zaikio.person.rwx` is malformed rather than silently read as `zaikio.person.rw`.
//
// Lists are comma-separated without spaces. Every invalid input becomes a `ScopeProblem` carrying
// the Hub's own error id (`malformed_scope`, `different_bearer_types`, ...), never an exception.
//
// Decision on `subscription_create`: it is parsed as its own kind (`Scope::Kind::subscription`)
// so that it round-trips and can be recognised; it has no permission and never covers or is
// covered by a resource scope. hubsim rejects it (it sells no plans); zai-connect never sends it.
//
// Source for every rule: ../shared/docs/zaikio-hub.md §2 (Zaikio's scopes guide and changelogs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zai/expected.h"

namespace zai {

enum class BearerType { person, organization };

std::string_view bearer_type_name(BearerType t);  // "Person" / "Organization", as in token responses
std::optional<BearerType> parse_bearer_type_name(std::string_view name);

// Permission bits: rw is r|w, so coverage is a subset test.
enum class Permission : std::uint8_t { r = 1, w = 2, rw = 3 };

// How the bearer is written before APP. `implicit` means a person, exactly like `per`.
enum class BearerForm { implicit, per, org, per_for_org };

// The Hub's scope error ids (zaikio-hub.md §2.5), spelled by `scope_error_id`.
enum class ScopeError {
    malformed_scope,
    different_bearer_types,
    different_bearer_ids,
    scope_is_not_included_in_desired_scopes,
    bearer_does_not_exist,
    unpermitted_bearer_id,
    ungranted_scope,
    scope_was_not_granted_in_parent,
    delegation_access_token_cannot_delegate,
    parent_has_no_delegation_permission,
};

std::string_view scope_error_id(ScopeError e);
std::optional<ScopeError> parse_scope_error_id(std::string_view id);

struct ScopeProblem {
    ScopeError error;
    std::string scope;   // the offending scope text (cut to 120 bytes), or "" for list-level problems
    std::string reason;  // one English sentence for developers
};

struct Scope {
    enum class Kind { resource, subscription };

    Kind kind = Kind::resource;
    BearerForm form = BearerForm::implicit;
    std::string bearer_id;  // Org/Per id; for per_for_org the organisation's id
    std::string person_id;  // per_for_org written as Per/<id>>Org/<id> only

    // kind == resource
    std::string app;
    std::string resource;
    Permission permission = Permission::r;

    // kind == subscription: `subscription_create[_<app>][.<plan>]`
    std::string subscription_app;  // empty: this app
    std::string plan;              // empty: the Hub asks

    // The subject a token for this scope acts for: person for implicit/per, organisation otherwise.
    BearerType bearer_type() const;

    friend bool operator==(const Scope&, const Scope&) = default;
};

// Builds `[app].[resource].[perm]` with an implicit bearer; for tables and tests.
Scope resource_scope(std::string app, std::string resource, Permission p);

Expected<Scope, ScopeProblem> parse_scope(std::string_view text);
std::string format_scope(const Scope& s);  // parse_scope(format_scope(s)) == s

struct ScopeListOptions {
    bool allow_empty = false;   // "" is an empty list (a token may be granted nothing)
    bool allow_spaces = false;  // also split on spaces (UNCONFIRMED whether the Hub does)
};

Expected<std::vector<Scope>, ScopeProblem> parse_scope_list(std::string_view text,
                                                            ScopeListOptions options = {});
std::string format_scope_list(const std::vector<Scope>& scopes);

// The Hub renamed its app `directory` to `zaikio` and accepted both for a while. With
// `AppAlias::directory_is_zaikio`, comparisons treat the two names as one.
enum class AppAlias { exact, directory_is_zaikio };

Scope normalised(Scope s);  // app `directory` → `zaikio`, also for subscription_app

// Does a granted scope allow what `required` asks? Same app and resource (under `alias`), and
// granted permission ⊇ required permission. Bearers are not compared: a granted scope belongs to
// the token's bearer. Subscription scopes cover nothing.
bool covers(const Scope& granted, const Scope& required, AppAlias alias = AppAlias::exact);
bool covers_all(const std::vector<Scope>& granted, const std::vector<Scope>& required,
                AppAlias alias = AppAlias::exact);

// One request: one bearer form class and one bearer id (`different_bearer_types`/`_ids`).
std::optional<ScopeProblem> check_bearer_rules(const std::vector<Scope>& scopes);

// Every requested scope must be desired by the app: a desired scope with the same app and
// resource whose permission covers the request. Bearers are not compared: the Hub's desired
// scopes are plain scope names (the install guide adds `directory.organization.r` and then asks
// for `Org/<id>.directory.organization.r`); a scope that does not suit the token's bearer type is
// dropped from the grant by the Hub, not refused (zaikio-hub.md §2.5).
std::optional<ScopeProblem> check_desired(const std::vector<Scope>& requested,
                                          const std::vector<Scope>& desired,
                                          AppAlias alias = AppAlias::exact);

enum class Flow { interactive, client_credentials };

// Interactive flows (redirect, device) may name an organisation but never a person
// (`unpermitted_bearer_id`); client credentials must name their bearer (`bearer_does_not_exist`).
std::optional<ScopeProblem> check_flow(const std::vector<Scope>& scopes, Flow flow);

// What the Hub checks on an authorize or client-credentials request, in this order: grammar,
// bearer rules, flow rules, desired scopes. Returns the parsed list when all pass.
Expected<std::vector<Scope>, ScopeProblem> validate_request(std::string_view scope_param,
                                                            const std::vector<Scope>& desired,
                                                            Flow flow,
                                                            AppAlias alias = AppAlias::exact,
                                                            ScopeListOptions options = {});

// Install scopes for an organisation: each desired organisation scope as `Org/<id>.app.res.p`,
// or `Org.app.res.p` when no id is given (the Hub lets the admin choose). `desired` may be written
// with or without `Org`; an id that is not a UUID, a desired person scope, or a scope that the id
// makes longer than a scope may be, is malformed.
Expected<std::vector<Scope>, ScopeProblem> install_scopes(std::optional<std::string_view> organization_id,
                                                          const std::vector<Scope>& desired);

// A short English description of what a scope lets the app do ("Read the organisation's
// profile"), for consent pages and the dashboard. Unknown scopes get a generic sentence.
std::string describe_scope(const Scope& s);

}  // namespace zai
