// Fuzz target: the scope grammar (zai/scope.h) on arbitrary text.
//
// Oracles:
//  - a scope that parses formats back to exactly the text it came from (the grammar has one
//    spelling per scope) and parses again to an equal Scope;
//  - a scope list that parses formats back to a comma list that parses to an equal list; without
//    `allow_spaces` the formatted list is the input text itself;
//  - errors are values: malformed_scope, a reason, the offending text cut to at most 120 bytes;
//  - a resource scope covers itself (under both alias modes), a subscription scope covers nothing,
//    and every scope is described in a sentence.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "zai/scope.h"

namespace {

void check_problem(const zai::ScopeProblem& p) {
    ZAI_FUZZ_CHECK(p.error == zai::ScopeError::malformed_scope);
    ZAI_FUZZ_CHECK(!p.reason.empty());
    ZAI_FUZZ_CHECK(p.scope.size() <= 120);
}

void check_scope(std::string_view text) {
    const auto parsed = zai::parse_scope(text);
    if (!parsed) return check_problem(parsed.error());
    const zai::Scope& s = *parsed;
    const std::string formatted = zai::format_scope(s);
    ZAI_FUZZ_CHECK(formatted == text);
    const auto again = zai::parse_scope(formatted);
    ZAI_FUZZ_CHECK(again && *again == s);

    const bool resource = s.kind == zai::Scope::Kind::resource;
    ZAI_FUZZ_CHECK(zai::covers(s, s) == resource);
    ZAI_FUZZ_CHECK(zai::covers(s, s, zai::AppAlias::directory_is_zaikio) == resource);
    ZAI_FUZZ_CHECK(zai::covers(zai::normalised(s), s, zai::AppAlias::directory_is_zaikio) == resource);
    ZAI_FUZZ_CHECK(!zai::describe_scope(s).empty());
}

void check_list(std::string_view text, zai::ScopeListOptions options) {
    const auto list = zai::parse_scope_list(text, options);
    if (!list) return check_problem(list.error());
    ZAI_FUZZ_CHECK(list->empty() == text.empty());
    const std::string formatted = zai::format_scope_list(*list);
    if (!options.allow_spaces) ZAI_FUZZ_CHECK(formatted == text);
    const auto again = zai::parse_scope_list(formatted, zai::ScopeListOptions{.allow_empty = true});
    ZAI_FUZZ_CHECK(again && *again == *list);
    const bool all_resources = std::all_of(list->begin(), list->end(),
                                           [](const zai::Scope& s) { return s.kind == zai::Scope::Kind::resource; });
    ZAI_FUZZ_CHECK(zai::covers_all(*list, *list) == all_resources);
    // These only have to stay total on any parsed list; their meaning is scope_request's job.
    (void)zai::check_bearer_rules(*list);
    (void)zai::check_flow(*list, zai::Flow::interactive);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_scope(text);
    for (bool allow_empty : {false, true}) {
        for (bool allow_spaces : {false, true}) {
            check_list(text, zai::ScopeListOptions{.allow_empty = allow_empty, .allow_spaces = allow_spaces});
        }
    }
    return 0;
}
