// zai_core — UUID check.
#pragma once

#include <string_view>

namespace zai {

// The canonical lower-case form the Hub uses: 8-4-4-4-12 hex digits. Upper case is rejected so
// that one id has one spelling (ids are compared and stored as strings everywhere).
bool is_uuid(std::string_view s);

}  // namespace zai
