// Fuzz target: percent-encoding and query strings (zai/url.h): percent_encode, percent_decode,
// build_query, parse_query, query_value. hubsim reads the callback and form bodies with
// parse_query; zai-connect builds its authorize and token requests with build_query.
//
// The whole input is read as an encoded text; FuzzedDataProvider also reads it as a list of
// (name, value) pairs for the building direction.
// Oracles:
//  - percent_encode writes only unreserved characters and %XX with upper-case hex, and
//    percent_decode (with or without '+' as space) gives back the original bytes;
//  - percent_decode refuses only texts that contain '%'; when it accepts, each escape shrank
//    three bytes into one, and encoding then decoding the result gives it back;
//  - parse_query refuses only texts with '%'; what it reads has at most one pair per '&'-piece,
//    and build_query writes it into a query that parses back equal;
//  - build_query of any pairs parses back to the same pairs, in order; query_value finds the
//    first value of a name.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "zai/url.h"

namespace {

bool is_unreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

bool is_upper_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

void check_encoding(std::string_view raw) {
    const std::string enc = zai::percent_encode(raw);
    for (std::size_t i = 0; i < enc.size(); ++i) {
        if (enc[i] == '%') {
            ZAI_FUZZ_CHECK(i + 2 < enc.size() && is_upper_hex(enc[i + 1]) && is_upper_hex(enc[i + 2]));
            i += 2;
        } else {
            ZAI_FUZZ_CHECK(is_unreserved(enc[i]));
        }
    }
    const auto reserved = static_cast<std::size_t>(std::count_if(raw.begin(), raw.end(), [](char c) { return !is_unreserved(c); }));
    ZAI_FUZZ_CHECK(enc.size() == raw.size() + 2 * reserved);
    for (bool plus : {false, true}) {
        const auto dec = zai::percent_decode(enc, plus);
        ZAI_FUZZ_CHECK(dec && *dec == raw);
    }
}

void check_decoding(std::string_view text) {
    const std::size_t percents = static_cast<std::size_t>(std::count(text.begin(), text.end(), '%'));
    for (bool plus : {false, true}) {
        const auto dec = zai::percent_decode(text, plus);
        if (!dec) {
            ZAI_FUZZ_CHECK(percents > 0);
            continue;
        }
        ZAI_FUZZ_CHECK(dec->size() <= text.size() && (text.size() - dec->size()) % 2 == 0);
        ZAI_FUZZ_CHECK((text.size() - dec->size()) / 2 <= percents);
        if (percents == 0) {
            std::string expected(text);
            if (plus) std::replace(expected.begin(), expected.end(), '+', ' ');
            ZAI_FUZZ_CHECK(*dec == expected);
        }
        const auto again = zai::percent_decode(zai::percent_encode(*dec), plus);
        ZAI_FUZZ_CHECK(again && *again == *dec);
    }
}

void check_parse(std::string_view text) {
    const auto params = zai::parse_query(text);
    if (!params) {
        ZAI_FUZZ_CHECK(text.find('%') != std::string_view::npos);
        return;
    }
    ZAI_FUZZ_CHECK(params->size() <= static_cast<std::size_t>(std::count(text.begin(), text.end(), '&')) + 1);
    const std::string rebuilt = zai::build_query(*params);
    const auto again = zai::parse_query(rebuilt);
    ZAI_FUZZ_CHECK(again && *again == *params);
    ZAI_FUZZ_CHECK(zai::build_query(*again) == rebuilt);
    if (!params->empty()) {
        const auto& [name, value] = params->front();
        ZAI_FUZZ_CHECK(zai::query_value(*params, name) == value);
    }
}

void check_build(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    zai::QueryParams params;
    while (in.remaining_bytes() > 0 && params.size() < 64) {
        std::string name = in.ConsumeRandomLengthString(64);
        std::string value = in.ConsumeRandomLengthString(256);
        params.emplace_back(std::move(name), std::move(value));
    }
    const std::string query = zai::build_query(params);
    const auto back = zai::parse_query(query);
    ZAI_FUZZ_CHECK(back && *back == params);
    for (const auto& param : params) {
        const auto found = zai::query_value(*back, param.first);
        const auto first =
            std::find_if(params.begin(), params.end(), [&param](const auto& p) { return p.first == param.first; });
        ZAI_FUZZ_CHECK(found && *found == first->second);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_encoding(text);
    check_decoding(text);
    check_parse(text);
    check_build(data, size);
    return 0;
}
