// hubsim — the request log (see request_log.h).
#include "request_log.h"

#include <nlohmann/json.hpp>

#include "state.h"

namespace zai::hubsim {

RequestLog::RequestLog(std::size_t capacity, bool keep_secrets) : capacity_(capacity), keep_secrets_(keep_secrets) {}

void RequestLog::record(RequestLogEntry entry) {
    std::lock_guard lock(mutex_);
    entry.seq = next_seq_++;
    entries_.push_back(std::move(entry));
    while (entries_.size() > capacity_) entries_.pop_front();
}

std::string RequestLog::json(std::uint64_t since) const {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    std::lock_guard lock(mutex_);
    for (const auto& e : entries_) {
        if (e.seq <= since) continue;
        nlohmann::ordered_json j;
        j["seq"] = e.seq;
        j["time"] = iso_time_ms(e.time_ms);
        j["time_ms"] = e.time_ms;
        j["method"] = e.method;
        j["path"] = e.path;
        j["status"] = e.status;
        j["duration_ms"] = e.duration_ms;
        const RequestNote& n = e.note;
        for (const auto& [key, value] :
             {std::pair{"grant_type", &n.grant_type}, std::pair{"client_id", &n.client_id},
              std::pair{"client_auth", &n.client_auth}, std::pair{"content_type", &n.content_type},
              std::pair{"redirect_uri", &n.redirect_uri}, std::pair{"scope", &n.scope},
              std::pair{"code_challenge_method", &n.code_challenge_method}}) {
            if (!value->empty()) j[key] = *value;
        }
        j["params"] = n.params;
        list.push_back(std::move(j));
    }
    return nlohmann::ordered_json{{"requests", list}}.dump();
}

void RequestLog::note_secret(std::string value) {
    if (!keep_secrets_) return;
    std::lock_guard lock(mutex_);
    secrets_.push_back(std::move(value));
    while (secrets_.size() > capacity_) secrets_.pop_front();
}

std::string RequestLog::secrets_json() const {
    std::lock_guard lock(mutex_);
    return nlohmann::json{{"secrets", secrets_}}.dump();
}

void RequestLog::clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
}

}  // namespace zai::hubsim
