// zai_core — percent-encoding, query strings and safe return paths.
#include "zai/url.h"

namespace zai {
namespace {

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Characters a return path may never contain: controls (browsers drop tab, CR and LF from URLs,
// so "/\t/evil" becomes "//evil"), DEL and backslash (browsers read "/\evil" as "//evil").
// A raw path may not contain spaces either; once decoded, a space is harmless text.
bool has_forbidden_char(std::string_view s, bool decoded) {
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f || c == '\\' || (c == ' ' && !decoded)) return true;
    }
    return false;
}

bool is_local_path_shape(std::string_view p, bool decoded) {
    if (p.empty() || p.front() != '/') return false;
    if (p.size() > 1 && (p[1] == '/' || p[1] == '\\')) return false;  // scheme-relative "//host"
    // A scheme could only come before the first '/', which is at index 0: "/x:y" is a plain path.
    return !has_forbidden_char(p, decoded);
}

}  // namespace

std::string percent_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (is_unreserved(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xf]);
        }
    }
    return out;
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return std::nullopt;  // needs two hex digits after '%'
            const int hi = hex_value(s[i + 1]);
            const int lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string build_query(const QueryParams& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out.push_back('&');
        out += percent_encode(name);
        out.push_back('=');
        out += percent_encode(value);
    }
    return out;
}

std::optional<QueryParams> parse_query(std::string_view query) {
    QueryParams params;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view piece = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (piece.empty()) continue;
        const auto eq = piece.find('=');
        auto name = percent_decode(piece.substr(0, eq), true);
        auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1), true);
        if (!name || !value) return std::nullopt;
        params.emplace_back(std::move(*name), std::move(*value));
    }
    return params;
}

std::optional<std::string> query_value(const QueryParams& params, std::string_view name) {
    for (const auto& [n, v] : params) {
        if (n == name) return v;
    }
    return std::nullopt;
}

bool is_safe_return_path(std::string_view path) {
    if (path.size() > 2048 || !is_local_path_shape(path, false)) return false;
    // Whatever decodes the path next (a browser, a proxy) must see the same safe shape.
    const auto decoded = percent_decode(path);
    return decoded && is_local_path_shape(*decoded, true);
}

}  // namespace zai
