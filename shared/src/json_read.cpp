// zai_core (internal) — checked reading of JSON objects.
#include "json_read.h"

namespace zai::detail {
namespace {

bool read_string_array(const json& v, std::vector<std::string>& out) {
    if (!v.is_array()) return false;
    std::vector<std::string> items;
    items.reserve(v.size());
    for (const auto& item : v) {
        if (!item.is_string()) return false;
        items.push_back(item.get<std::string>());
    }
    out = std::move(items);
    return true;
}

}  // namespace

Expected<json, Error> parse_json(std::string_view text) {
    json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Unexpected{Error{Errc::invalid_json, "the text is not valid JSON"}};
    return j;
}

ObjectReader::ObjectReader(const json& j, std::string path) : j_(j), path_(std::move(path)) {
    if (!j_.is_object()) {
        error_ = Error{Errc::wrong_type, (path_.empty() ? std::string("document") : path_) + " is not an object"};
    }
}

std::string ObjectReader::path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void ObjectReader::fail(Errc code, std::string_view key, std::string_view what) {
    if (!error_) error_ = Error{code, path_of(key) + " " + std::string(what)};
}

const json* ObjectReader::find(std::string_view key) const {
    if (error_) return nullptr;
    const auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
}

const json* ObjectReader::member(std::string_view key, bool required) {
    const json* v = find(key);
    if ((v == nullptr || v->is_null()) && required) {
        fail(Errc::missing_member, key, "is missing");
        return nullptr;
    }
    return (v == nullptr || v->is_null()) ? nullptr : v;
}

ObjectReader& ObjectReader::required(std::string_view key, std::string& out) {
    if (const json* v = member(key, true)) {
        if (v->is_string()) out = v->get<std::string>();
        else fail(Errc::wrong_type, key, "is not a string");
    }
    return *this;
}

ObjectReader& ObjectReader::required(std::string_view key, bool& out) {
    if (const json* v = member(key, true)) {
        if (v->is_boolean()) out = v->get<bool>();
        else fail(Errc::wrong_type, key, "is not a boolean");
    }
    return *this;
}

ObjectReader& ObjectReader::required(std::string_view key, std::int64_t& out) {
    if (const json* v = member(key, true)) {
        if (v->is_number_integer() && (v->is_number_unsigned() ? v->get<std::uint64_t>() <= INT64_MAX : true)) {
            out = v->get<std::int64_t>();
        } else {
            fail(Errc::wrong_type, key, "is not an integer");
        }
    }
    return *this;
}

ObjectReader& ObjectReader::required(std::string_view key, std::vector<std::string>& out) {
    if (const json* v = member(key, true)) {
        if (!read_string_array(*v, out)) fail(Errc::wrong_type, key, "is not an array of strings");
    }
    return *this;
}

ObjectReader& ObjectReader::optional(std::string_view key, std::optional<std::string>& out) {
    if (const json* v = member(key, false)) {
        if (v->is_string()) out = v->get<std::string>();
        else fail(Errc::wrong_type, key, "is not a string");
    }
    return *this;
}

ObjectReader& ObjectReader::optional(std::string_view key, std::string& out) {
    return member(key, false) ? required(key, out) : *this;
}

ObjectReader& ObjectReader::optional(std::string_view key, bool& out) {
    return member(key, false) ? required(key, out) : *this;
}

ObjectReader& ObjectReader::optional(std::string_view key, std::int64_t& out) {
    return member(key, false) ? required(key, out) : *this;
}

ObjectReader& ObjectReader::optional(std::string_view key, std::vector<std::string>& out) {
    return member(key, false) ? required(key, out) : *this;
}

}  // namespace zai::detail
