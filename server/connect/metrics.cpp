// zai-connect — Prometheus counters.
#include "metrics.h"

namespace zai::connect {
namespace {

std::string key(std::string_view name, std::string_view labels) {
    std::string k(name);
    if (!labels.empty()) {
        k.push_back('{');
        k += labels;
        k.push_back('}');
    }
    return k;
}

}  // namespace

void Metrics::count(std::string_view name, std::string_view labels) {
    const std::string k = key(name, labels);
    std::lock_guard lock(mutex_);
    ++counters_[k];
}

std::uint64_t Metrics::value(std::string_view name, std::string_view labels) const {
    std::lock_guard lock(mutex_);
    const auto it = counters_.find(key(name, labels));
    return it == counters_.end() ? 0 : it->second;
}

std::string Metrics::prometheus_text() const {
    std::lock_guard lock(mutex_);
    std::string out;
    std::string_view last_name;
    for (const auto& [k, v] : counters_) {
        const std::string_view name = std::string_view(k).substr(0, k.find('{'));
        if (name != last_name) {
            out += "# TYPE ";
            out += name;
            out += " counter\n";
            last_name = name;
        }
        out += k;
        out.push_back(' ');
        out += std::to_string(v);
        out.push_back('\n');
    }
    return out;
}

}  // namespace zai::connect
