// zai-connect — counters for operators (R65), exposed as Prometheus text at /metrics.
//
// Label values are fixed words chosen by the code (routes, reasons, results), never request data,
// so no secret or id can reach a label.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace zai::connect {

class Metrics {
public:
    // Adds one to `name{labels}`; `labels` is preformatted, e.g. R"(result="ok")".
    void count(std::string_view name, std::string_view labels = {});
    std::uint64_t value(std::string_view name, std::string_view labels = {}) const;
    std::string prometheus_text() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::uint64_t, std::less<>> counters_;  // "name{labels}" → value
};

}  // namespace zai::connect
