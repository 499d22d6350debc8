// Fuzz target: the Hub's token response (zai::parse_token_response, zai/model.h).
//
// Oracles:
//  - accepted: what model.h promises holds (non-empty access token, refresh token absent or
//    non-empty, token_type "bearer" in any case, expires_in >= 0, bearer ids are UUIDs), and
//    token_response_json writes it back into JSON that parses to an equal TokenResponse and is
//    written identically the second time (the text and the JSON-value readers agree too);
//  - refused: one of the four parse codes, and a detail made of member paths and fixed words only,
//    never a quoted piece of the input: a token in a bad response must not reach a log line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "zai/model.h"
#include "zai/uuid.h"

namespace {

bool is_parse_code(zai::Errc c) {
    return c == zai::Errc::invalid_json || c == zai::Errc::wrong_type || c == zai::Errc::missing_member ||
           c == zai::Errc::invalid_value;
}

// Member names, dots, spaces, hyphens and the fixed words of the messages ("not valid JSON").
bool is_fixed_wording(std::string_view detail) {
    if (detail.empty() || detail.size() > 100) return false;
    for (char c : detail) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == ' ' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool lower_equals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char c = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
        if (c != b[i]) return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto t = zai::parse_token_response(text);

    const auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        ZAI_FUZZ_CHECK(!t && t.error().code == zai::Errc::invalid_json);
    } else {
        const auto from_value = zai::parse_token_response(j);
        ZAI_FUZZ_CHECK(from_value.has_value() == t.has_value());
        if (t) ZAI_FUZZ_CHECK(*from_value == *t);
    }

    if (!t) {
        ZAI_FUZZ_CHECK(is_parse_code(t.error().code));
        ZAI_FUZZ_CHECK(is_fixed_wording(t.error().detail));
        return 0;
    }
    ZAI_FUZZ_CHECK(!t->access_token.empty());
    ZAI_FUZZ_CHECK(!t->refresh_token || !t->refresh_token->empty());
    ZAI_FUZZ_CHECK(lower_equals(t->token_type, "bearer"));
    ZAI_FUZZ_CHECK(t->expires_in >= 0);
    ZAI_FUZZ_CHECK(zai::is_uuid(t->bearer.id));
    ZAI_FUZZ_CHECK(!t->bearer_on_behalf_of || zai::is_uuid(t->bearer_on_behalf_of->id));

    const std::string written = zai::token_response_json(*t);
    const auto again = zai::parse_token_response(std::string_view(written));
    ZAI_FUZZ_CHECK(again && *again == *t);
    ZAI_FUZZ_CHECK(zai::token_response_json(*again) == written);
    return 0;
}
