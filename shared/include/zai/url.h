// zai_core — percent-encoding, query strings and safe return paths.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zai {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// RFC 3986: everything but unreserved characters (A-Z a-z 0-9 - . _ ~) becomes %XX (upper hex).
std::string percent_encode(std::string_view s);

// Decodes %XX; with `plus_is_space` also '+' (form encoding). nullopt for a broken escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space = false);

// "a=1&b=x%20y": names and values percent-encoded, order kept.
std::string build_query(const QueryParams& params);

// Parses `application/x-www-form-urlencoded` (also a URL's query without '?'). Empty pieces are
// skipped; a piece without '=' is a name with an empty value; nullopt for a broken escape.
std::optional<QueryParams> parse_query(std::string_view query);

// The first value of `name`, if any.
std::optional<std::string> query_value(const QueryParams& params, std::string_view name);

// May the app redirect a browser to `path` after sign-in? Only a local absolute path: starts
// with one '/', no second '/' or '\' right after it, no backslash or control character anywhere
// (browsers drop tabs and newlines, and read '\' as '/'), no raw space, and the same shape after
// one round of percent-decoding (so "/%2F%2Fevil.example" is refused); at most 2048 bytes.
bool is_safe_return_path(std::string_view path);

}  // namespace zai
