// Fuzz target: what the Hub checks on an authorize or client-credentials request
// (zai::validate_request) and the install scopes built from desired scopes (zai::install_scopes).
//
// The input is split by FuzzedDataProvider into: flow, alias mode, list options, a desired-scope
// list, an optional organisation id, and (the rest) the request's `scope` parameter.
// Oracles, each checked against the rule as scope.h states it, not against the implementation:
//  - accepted: the list is what parse_scope_list gives; one bearer class and one bearer id;
//    interactive flows name no person, client credentials name their bearer; every resource
//    scope is covered by a desired scope;
//  - refused: the error names a rule that the input really breaks, checked in the documented
//    order (grammar, bearer rules, flow rules, desired scopes);
//  - install_scopes: one Org scope per desired scope, with the given id (or none), formatting
//    and parsing back equal; refused exactly when the id is not a UUID, nothing is desired, a
//    desired scope is not a plain or Org resource scope, or one would exceed 256 bytes with the id.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "zai/scope.h"
#include "zai/uuid.h"

namespace {

using zai::BearerForm;
using zai::Scope;
using zai::ScopeError;

// The "one bearer type per request" classes as scope.h words them: implicit is a person.
int bearer_class(const Scope& s) {
    if (s.form == BearerForm::implicit || s.form == BearerForm::per) return 0;
    return s.form == BearerForm::org ? 1 : 2;
}

bool names_person(const Scope& s) {
    return (s.form == BearerForm::per && !s.bearer_id.empty()) || !s.person_id.empty();
}

bool desired_covers(const std::vector<Scope>& desired, const Scope& want, zai::AppAlias alias) {
    for (const auto& d : desired) {
        if (zai::covers(d, want, alias)) return true;
    }
    return false;
}

bool mixes_classes(const std::vector<Scope>& v) {
    for (const auto& s : v) {
        if (bearer_class(s) != bearer_class(v.front())) return true;
    }
    return false;
}

bool mixes_ids(const std::vector<Scope>& v) {
    for (const auto& s : v) {
        if (s.bearer_id != v.front().bearer_id || s.person_id != v.front().person_id) return true;
    }
    return false;
}

bool breaks_flow(const std::vector<Scope>& v, zai::Flow flow) {
    for (const auto& s : v) {
        if (flow == zai::Flow::interactive ? names_person(s) : s.bearer_id.empty()) return true;
    }
    return false;
}

bool undesired(const std::vector<Scope>& v, const std::vector<Scope>& desired, zai::AppAlias alias) {
    for (const auto& s : v) {
        if (s.kind == Scope::Kind::resource && !desired_covers(desired, s, alias)) return true;
    }
    return false;
}

void check_request(std::string_view param, const std::vector<Scope>& desired, zai::Flow flow, zai::AppAlias alias,
                   zai::ScopeListOptions options) {
    const auto parsed = zai::parse_scope_list(param, options);
    const auto result = zai::validate_request(param, desired, flow, alias, options);
    if (!parsed) {
        ZAI_FUZZ_CHECK(!result && result.error().error == ScopeError::malformed_scope);
        return;
    }
    const std::vector<Scope>& v = *parsed;
    if (result) {
        ZAI_FUZZ_CHECK(*result == v);
        ZAI_FUZZ_CHECK(v.empty() || (!mixes_classes(v) && !mixes_ids(v)));
        ZAI_FUZZ_CHECK(!breaks_flow(v, flow));
        ZAI_FUZZ_CHECK(!undesired(v, desired, alias));
        return;
    }
    const auto& p = result.error();
    ZAI_FUZZ_CHECK(!p.reason.empty() && p.scope.size() <= 120);
    if (!v.empty() && mixes_classes(v)) {
        ZAI_FUZZ_CHECK(p.error == ScopeError::different_bearer_types);
    } else if (!v.empty() && mixes_ids(v)) {
        ZAI_FUZZ_CHECK(p.error == ScopeError::different_bearer_ids);
    } else if (breaks_flow(v, flow)) {
        ZAI_FUZZ_CHECK(p.error == (flow == zai::Flow::interactive ? ScopeError::unpermitted_bearer_id
                                                                  : ScopeError::bearer_does_not_exist));
    } else {
        ZAI_FUZZ_CHECK(undesired(v, desired, alias));
        ZAI_FUZZ_CHECK(p.error == ScopeError::scope_is_not_included_in_desired_scopes);
    }
}

void check_install(const std::optional<std::string>& org_id, const std::vector<Scope>& desired) {
    const auto out = zai::install_scopes(org_id ? std::optional<std::string_view>(*org_id) : std::nullopt, desired);
    bool acceptable = (!org_id || zai::is_uuid(*org_id)) && !desired.empty();
    for (const auto& d : desired) {
        if (d.kind != Scope::Kind::resource || (d.form != BearerForm::org && d.form != BearerForm::implicit)) {
            acceptable = false;
            continue;
        }
        // Each result must stay within a scope's 256 bytes once the id is added.
        Scope plain = d;
        plain.form = BearerForm::implicit;
        plain.bearer_id.clear();
        const std::string built = "Org" + (org_id ? "/" + *org_id : std::string{}) + "." + zai::format_scope(plain);
        if (built.size() > 256) acceptable = false;
    }
    ZAI_FUZZ_CHECK(out.has_value() == acceptable);
    if (!out) {
        ZAI_FUZZ_CHECK(out.error().error == ScopeError::malformed_scope);
        return;
    }
    ZAI_FUZZ_CHECK(out->size() == desired.size());
    for (std::size_t i = 0; i < out->size(); ++i) {
        const Scope& s = (*out)[i];
        ZAI_FUZZ_CHECK(s.form == BearerForm::org && s.person_id.empty());
        ZAI_FUZZ_CHECK(s.bearer_id == (org_id ? *org_id : std::string{}));
        ZAI_FUZZ_CHECK(s.app == desired[i].app && s.resource == desired[i].resource &&
                       s.permission == desired[i].permission);
        const auto again = zai::parse_scope(zai::format_scope(s));
        ZAI_FUZZ_CHECK(again && *again == s);
    }
    // What the backend sends on /install must pass the Hub's own interactive-flow checks.
    const auto request = zai::validate_request(zai::format_scope_list(*out), desired, zai::Flow::interactive);
    ZAI_FUZZ_CHECK(request && *request == *out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const auto flow = in.ConsumeBool() ? zai::Flow::interactive : zai::Flow::client_credentials;
    const auto alias = in.ConsumeBool() ? zai::AppAlias::directory_is_zaikio : zai::AppAlias::exact;
    const zai::ScopeListOptions options{.allow_empty = in.ConsumeBool(), .allow_spaces = in.ConsumeBool()};
    const std::string desired_text = in.ConsumeRandomLengthString(512);
    std::optional<std::string> org_id;
    if (in.ConsumeBool()) org_id = in.ConsumeRandomLengthString(40);
    const std::string param = in.ConsumeRemainingBytesAsString();

    auto desired = zai::parse_scope_list(desired_text, zai::ScopeListOptions{.allow_empty = true});
    const std::vector<Scope> desired_list = desired ? std::move(*desired) : std::vector<Scope>{};
    check_request(param, desired_list, flow, alias, options);
    check_install(org_id, desired_list);
    return 0;
}
