// zai-connect dashboard — how the dashboard words things: failed requests (with the API's stable
// error codes), dates and durations, role and installation labels, counts.
//
// Pure functions of their arguments (no clock, no locale), so views and their tests agree on
// every sentence. Times are Unix seconds; "now" is always passed in (the server's time where the
// API gives one, so a wrong browser clock does not skew "5 minutes ago").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <zai/error.h>
#include <zai/model.h>

#include "platform.h"

namespace zai::web {

// A request that did not give the view what it needed.
struct Failure {
    std::optional<Errc> code;  // the API's stable code; none when no answer came at all
    int status = 0;            // HTTP status; 0 = no answer (network error, timeout)
    std::string message;       // one sentence for people, from zai::default_message

    friend bool operator==(const Failure&, const Failure&) = default;
};

// A non-2xx answer or no answer. The wording comes from the stable code (zai_core), never from
// the server's free text; a body that is not an API error (a proxy's HTML page) reads as
// `Errc::internal`.
Failure describe_failure(const HttpResponse& answer);
// A 2xx answer whose body did not parse as the view expected.
Failure unreadable_answer(const Error& error, int status);

// What the error banner says: "Zaikio is not reachable right now. Please retry. (hub_unavailable,
// HTTP 502)"; without an answer just the message.
std::string failure_text(const Failure& f);

// Does this failure mean the session is gone (sign in again), rather than a retryable error?
bool ends_session(const Failure& f);

// "2024-01-01 08:00 UTC".
std::string format_utc(std::int64_t unix_seconds);
// "less than a minute", "1 minute", "12 minutes", "1 hour", "5 hours", "1 day", "3 days"
// (whole units, rounded down).
std::string format_duration(std::int64_t seconds);
// "just now" within a minute, else "<duration> ago"; a time ahead of `now` also reads "just now".
std::string format_ago(std::int64_t then, std::int64_t now);

// A Hub role or kind id as a label: "owner" → "Owner", "machine_vendor" → "Machine vendor".
std::string label_of(std::string_view id);
// The roles as one line: "Owner, Purchaser"; "No role" for none.
std::string roles_text(const std::vector<std::string>& roles);

std::string_view installation_label(InstallationState s);  // "Installed", "Not installed", "Access revoked"

// "7", "1,000", "12,345": digits in groups of three.
std::string grouped(std::size_t n);
// "1 organisation", "1,000 organisations".
std::string count_text(std::size_t n, std::string_view singular, std::string_view plural);

}  // namespace zai::web
