// hubsim — the log of requests received, for tests (GET /__hubsim/requests).
//
// Each entry: seq, time (ISO 8601 and unix ms), method, path (no query), status, duration_ms,
// and from the handler's RequestNote: grant_type, client_id, client_auth, content_type, params
// (names only), redirect_uri, scope, code_challenge_method — never values that are secrets.
// Requests to /__hubsim/ itself are not recorded. The oldest entries go beyond the capacity.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "context.h"

namespace zai::hubsim {

struct RequestLogEntry {
    std::uint64_t seq = 0;
    std::int64_t time_ms = 0;
    std::string method;
    std::string path;
    int status = 0;
    double duration_ms = 0;
    RequestNote note;
};

class RequestLog {
public:
    // `keep_secrets`: also remember the last `capacity` secrets handed out (see note_secret);
    // only with --control, where tests need them to prove a client never leaks them.
    RequestLog(std::size_t capacity, bool keep_secrets);
    void record(RequestLogEntry entry);
    // {"requests":[...]} with entries whose seq > since.
    std::string json(std::uint64_t since) const;
    void clear();

    // An authorization code, access token or refresh token just issued. Kept apart from the
    // request log and never printed; GET /__hubsim/issued lists them for leak scans.
    void note_secret(std::string value);
    std::string secrets_json() const;

private:
    mutable std::mutex mutex_;
    std::deque<RequestLogEntry> entries_;
    std::deque<std::string> secrets_;
    std::size_t capacity_;
    bool keep_secrets_;
    std::uint64_t next_seq_ = 1;
};

}  // namespace zai::hubsim
