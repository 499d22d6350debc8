// zai_core (internal) — checked reading of JSON objects into structs, without exceptions.
//
// ObjectReader walks one object; each call reads a member into a field and records the first
// problem (missing member, wrong type) with the member's path, e.g. "bearer.id". Once a problem
// is recorded, later calls do nothing, so a reader is a straight list of fields:
//
//     ObjectReader r(j, "bearer");
//     r.required("id", out.id).required("type", type_name);
//     if (auto e = r.error()) return Unexpected{*e};
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "zai/error.h"
#include "zai/expected.h"

namespace zai::detail {

using nlohmann::json;

// Parses text into JSON (no exceptions): `invalid_json` on failure.
Expected<json, Error> parse_json(std::string_view text);

class ObjectReader {
public:
    ObjectReader(const json& j, std::string path);

    ObjectReader& required(std::string_view key, std::string& out);
    ObjectReader& required(std::string_view key, bool& out);
    ObjectReader& required(std::string_view key, std::int64_t& out);
    ObjectReader& required(std::string_view key, std::vector<std::string>& out);
    // Absent or null leaves `out` empty; any other non-string is wrong_type.
    ObjectReader& optional(std::string_view key, std::optional<std::string>& out);
    ObjectReader& optional(std::string_view key, std::string& out);
    ObjectReader& optional(std::string_view key, bool& out);
    ObjectReader& optional(std::string_view key, std::int64_t& out);
    ObjectReader& optional(std::string_view key, std::vector<std::string>& out);

    // The member if present and not null, for nested objects and arrays; records missing_member
    // when `required` and absent.
    const json* member(std::string_view key, bool required);

    // Records a problem found by the caller (e.g. an invalid value), unless one is already set.
    void fail(Errc code, std::string_view key, std::string_view what);

    std::string path_of(std::string_view key) const;
    const std::optional<Error>& error() const { return error_; }

private:
    const json* find(std::string_view key) const;

    const json& j_;
    std::string path_;
    std::optional<Error> error_;
};

}  // namespace zai::detail
