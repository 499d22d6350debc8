// Fuzz target: the dashboard ↔ backend JSON (zai/api.h): parse_session_view,
// parse_organization_view and parse_error, which the dashboard runs on whatever arrives.
//
// Oracles:
//  - a view that parses is written back by its *_view_json writer into JSON that parses to an
//    equal view, and is written identically the second time;
//  - parse_error never throws and always yields a known code; a body it reads as a known code
//    is rebuilt by error_json into a body that reads back the same (an empty message becomes the
//    code's default message);
//  - error_json accepts any message (the input itself: details can carry bytes from the Hub cut at
//    a byte limit) without throwing; parse_error reads back the code it was given, and a UTF-8
//    message unchanged.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "zai/api.h"
#include "zai/error.h"

namespace {

namespace api = zai::api;

// nlohmann/json's own verdict, so "valid" means what its writer accepts.
bool is_utf8(std::string_view text) {
    try {
        (void)nlohmann::json(std::string(text)).dump();
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

// A view that parses is written back into JSON that parses equal and is written identically again.
template <class Parse, class Write>
void check_view(std::string_view text, Parse parse, Write write) {
    const auto v = parse(text);
    if (!v) return;
    const std::string written = write(*v);
    const auto again = parse(written);
    ZAI_FUZZ_CHECK(again && *again == *v);
    ZAI_FUZZ_CHECK(write(*again) == written);
}

void check_error(std::string_view text) {
    const zai::Error e = api::parse_error(text);
    ZAI_FUZZ_CHECK(zai::parse_code_id(zai::code_id(e.code)) == e.code);
    if (e.code != zai::Errc::internal) {
        const zai::Error back = api::parse_error(api::error_json(e.code, e.detail));
        ZAI_FUZZ_CHECK(back.code == e.code);
        ZAI_FUZZ_CHECK(back.detail == (e.detail.empty() ? std::string(zai::default_message(e.code)) : e.detail));
    }
    // The detail of any reading, and the raw input, must be sendable as an error message.
    ZAI_FUZZ_CHECK(api::parse_error(api::error_json(zai::Errc::hub_bad_response, e.detail)).code ==
                   zai::Errc::hub_bad_response);
    const zai::Error raw = api::parse_error(api::error_json(zai::Errc::bad_request, text));
    ZAI_FUZZ_CHECK(raw.code == zai::Errc::bad_request);
    if (!text.empty() && is_utf8(text)) ZAI_FUZZ_CHECK(raw.detail == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_view(text, api::parse_session_view, api::session_view_json);
    check_view(text, api::parse_organization_view, api::organization_view_json);
    check_error(text);
    return 0;
}
