// zai-connect dashboard — wording helpers.
#include "words.h"

#include <zai/api.h>

namespace zai::web {

Failure describe_failure(const HttpResponse& answer) {
    Failure f;
    f.status = answer.status;
    if (answer.status == 0) {
        f.message = "No answer from the backend. Check your connection, then try again.";
        return f;
    }
    const Error e = api::parse_error(answer.body);
    f.code = e.code;
    f.message = std::string(default_message(e.code));
    return f;
}

Failure unreadable_answer(const Error& error, int status) {
    return Failure{error.code, status, "The backend sent an answer the dashboard could not read."};
}

std::string failure_text(const Failure& f) {
    if (!f.code) return f.message;
    return f.message + " (" + std::string(code_id(*f.code)) + ", HTTP " + std::to_string(f.status) + ")";
}

bool ends_session(const Failure& f) { return f.code == Errc::session_expired || f.code == Errc::unauthenticated; }

namespace {

std::string two_digits(std::int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); }

struct CivilDate {
    std::int64_t year;
    unsigned month;  // 1..12
    unsigned day;    // 1..31
};

// Days since 1970-01-01 → proleptic Gregorian date. Counts in 400-year eras (146097 days), each
// starting on 1 March so that the leap day ends a year.
CivilDate civil_from_days(std::int64_t days) {
    const std::int64_t shifted = days + 719468;  // days from 0000-03-01 to 1970-01-01
    const std::int64_t era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
    const std::int64_t day_of_era = shifted - era * 146097;
    const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
    const auto day = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    const auto month = static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
    const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    return CivilDate{year, month, day};
}

std::string plural(std::int64_t n, std::string_view unit) {
    return std::to_string(n) + " " + std::string(unit) + (n == 1 ? "" : "s");
}

}  // namespace

std::string format_utc(std::int64_t t) {
    constexpr std::int64_t day = 86400;
    std::int64_t days = t / day;
    std::int64_t rest = t % day;
    if (rest < 0) {
        rest += day;
        --days;
    }
    const CivilDate d = civil_from_days(days);
    return std::to_string(d.year) + "-" + two_digits(d.month) + "-" + two_digits(d.day) + " " +
           two_digits(rest / 3600) + ":" + two_digits(rest % 3600 / 60) + " UTC";
}

std::string format_duration(std::int64_t seconds) {
    if (seconds < 60) return "less than a minute";
    if (seconds < 3600) return plural(seconds / 60, "minute");
    if (seconds < 86400) return plural(seconds / 3600, "hour");
    return plural(seconds / 86400, "day");
}

std::string format_ago(std::int64_t then, std::int64_t now) {
    if (now - then < 60) return "just now";
    return format_duration(now - then) + " ago";
}

std::string label_of(std::string_view id) {
    std::string out(id);
    for (char& c : out) {
        if (c == '_') c = ' ';
    }
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

std::string roles_text(const std::vector<std::string>& roles) {
    if (roles.empty()) return "No role";
    std::string out;
    for (const auto& r : roles) {
        if (!out.empty()) out += ", ";
        out += label_of(r);
    }
    return out;
}

std::string_view installation_label(InstallationState s) {
    switch (s) {
    case InstallationState::installed: return "Installed";
    case InstallationState::revoked: return "Access revoked";
    case InstallationState::not_installed: break;
    }
    return "Not installed";
}

std::string grouped(std::size_t n) {
    std::string digits = std::to_string(n);
    for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3) {
        digits.insert(static_cast<std::size_t>(at), ",");
    }
    return digits;
}

std::string count_text(std::size_t n, std::string_view singular, std::string_view plural_form) {
    return grouped(n) + " " + std::string(n == 1 ? singular : plural_form);
}

}  // namespace zai::web
