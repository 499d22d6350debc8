// zai_native — HTTP helpers over plain strings (see http.h).
#include "http.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "crypto.h"

namespace zai {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lower(x) == lower(y);
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// "application/json; charset=utf-8" → "application/json"
std::string media_type(std::string_view content_type) {
    std::string out(trim(content_type.substr(0, content_type.find(';'))));
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

Expected<QueryParams, Error> json_params(std::string_view body) {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return Unexpected{Error{Errc::invalid_json, "the JSON body is not one JSON object"}};
    }
    QueryParams out;
    for (const auto& [name, value] : j.items()) {
        if (value.is_null()) continue;
        if (value.is_string()) out.emplace_back(name, value.get<std::string>());
        else if (value.is_primitive()) out.emplace_back(name, value.dump());
        else return Unexpected{Error{Errc::wrong_type, "member " + name + " is not a string, number or boolean"}};
    }
    return out;
}

// Keeps characters in `allowed`, replaces the rest with '?', and cuts to `max` bytes.
std::string sanitized(std::string_view s, std::size_t max, bool (*allowed)(char)) {
    std::string out;
    out.reserve(std::min(s.size(), max));
    for (char c : s.substr(0, max)) out.push_back(allowed(c) ? c : '?');
    if (s.size() > max) out += "...";
    return out;
}

bool path_char(char c) { return c > 0x20 && c < 0x7f && c != '"' && c != '\\'; }
bool word_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == ':' || c == '~' || c == '/';
}
bool upper_char(char c) { return c >= 'A' && c <= 'Z'; }

}  // namespace

std::optional<BasicCredentials> parse_basic_authorization(std::string_view header) {
    header = trim(header);
    if (header.size() < 6 || !iequals(header.substr(0, 6), "basic ")) return std::nullopt;
    const auto decoded = base64_decode(trim(header.substr(6)));
    if (!decoded) return std::nullopt;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    auto user = percent_decode(std::string_view(*decoded).substr(0, colon), true);
    auto password = percent_decode(std::string_view(*decoded).substr(colon + 1), true);
    if (!user || !password) return std::nullopt;
    return BasicCredentials{std::move(*user), std::move(*password)};
}

std::string basic_authorization(std::string_view user, std::string_view password) {
    return "Basic " + base64_encode(percent_encode(user) + ":" + percent_encode(password));
}

std::optional<std::string> bearer_token(std::string_view header) {
    constexpr std::string_view prefix = "Bearer ";
    if (!header.starts_with(prefix)) return std::nullopt;
    const std::string_view token = header.substr(prefix.size());
    if (token.empty() || token.find_first_of(" \t\r\n") != std::string_view::npos) return std::nullopt;
    return std::string(token);
}

Expected<QueryParams, Error> request_params(std::string_view content_type, std::string_view body,
                                            std::string_view target) {
    QueryParams out;
    const std::string type = media_type(content_type);
    if (type == "application/x-www-form-urlencoded") {
        auto form = parse_query(body);
        if (!form) return Unexpected{Error{Errc::bad_request, "the form body has a broken %-escape"}};
        out = std::move(*form);
    } else if (type == "application/json" && !trim(body).empty()) {
        auto j = json_params(body);
        if (!j) return j;
        out = std::move(*j);
    }
    const auto q = target.find('?');
    if (q != std::string_view::npos) {
        auto query = parse_query(target.substr(q + 1));
        if (!query) return Unexpected{Error{Errc::bad_request, "the query string has a broken %-escape"}};
        out.insert(out.end(), query->begin(), query->end());
    }
    return out;
}

std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name) {
    while (!cookie_header.empty()) {
        const auto semi = cookie_header.find(';');
        const std::string_view pair = trim(cookie_header.substr(0, semi));
        cookie_header = semi == std::string_view::npos ? std::string_view{} : cookie_header.substr(semi + 1);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    }
    return std::nullopt;
}

std::string_view path_without_query(std::string_view target) { return target.substr(0, target.find('?')); }

std::string format_request_log(const RequestLogLine& line) {
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.1fms", line.duration_ms);
    std::string out = sanitized(line.method, 10, upper_char);
    out += ' ';
    out += sanitized(path_without_query(line.target), 200, path_char);
    out += ' ';
    out += std::to_string(line.status);
    out += ' ';
    out += duration;
    // Appended piecewise: `" x=" + std::string&&` trips GCC 12's false -Wrestrict at -O2.
    if (!line.grant_type.empty()) out.append(" grant_type=").append(sanitized(line.grant_type, 100, word_char));
    if (!line.client_id.empty()) out.append(" client_id=").append(sanitized(line.client_id, 100, word_char));
    return out;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

std::string UrlParts::origin() const {
    const bool v6 = host.find(':') != std::string::npos;
    return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<UrlParts> split_url(std::string_view url) {
    UrlParts u;
    const auto sep = url.find("://");
    if (sep == std::string_view::npos) return std::nullopt;
    u.scheme = std::string(url.substr(0, sep));
    std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(), lower);
    if (u.scheme != "http" && u.scheme != "https") return std::nullopt;
    if (url.find('#') != std::string_view::npos) return std::nullopt;
    std::string_view rest = url.substr(sep + 3);
    const auto end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, end);
    const std::string_view target = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    u.target = target.empty() ? "/" : (target.front() == '?' ? "/" + std::string(target) : std::string(target));

    const auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
        const std::string_view info = authority.substr(0, at);
        const auto colon = info.find(':');
        auto user = percent_decode(info.substr(0, colon));
        auto password = percent_decode(colon == std::string_view::npos ? std::string_view{} : info.substr(colon + 1));
        if (!user || !password) return std::nullopt;
        u.user = std::move(*user);
        u.password = std::move(*password);
        authority.remove_prefix(at + 1);
    }
    std::string_view port_text;
    if (authority.starts_with("[")) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        u.host = std::string(authority.substr(1, close - 1));
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return std::nullopt;
            port_text = after.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        u.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    }
    if (u.host.empty()) return std::nullopt;
    if (port_text.empty()) {
        u.port = u.scheme == "https" ? 443 : 80;
    } else {
        if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string_view::npos) {
            return std::nullopt;
        }
        u.port = std::stoi(std::string(port_text));
        if (u.port < 1 || u.port > 65535) return std::nullopt;
    }
    return u;
}

}  // namespace zai
