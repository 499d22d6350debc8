// hubsim — fault injection (see faults.h).
#include "faults.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "crypto.h"

namespace zai::hubsim {
namespace {

constexpr std::array fault_names{
    std::pair{FaultKind::latency, std::string_view{"latency"}},
    std::pair{FaultKind::status, std::string_view{"status"}},
    std::pair{FaultKind::malformed_json, std::string_view{"malformed_json"}},
    std::pair{FaultKind::drop, std::string_view{"drop"}},
    std::pair{FaultKind::wrong_bearer, std::string_view{"wrong_bearer"}},
};

std::string_view without_json_suffix(std::string_view path) {
    if (path.ends_with(".json")) path.remove_suffix(5);
    return path;
}

bool matches(const Fault& f, std::string_view path, std::string_view grant_type) {
    const std::string_view fp = without_json_suffix(f.path);
    const std::string_view rp = without_json_suffix(path);
    const bool path_ok = fp.ends_with('/') ? rp.starts_with(fp) : rp == fp;
    return path_ok && (f.grant_type.empty() || f.grant_type == grant_type);
}

std::uint64_t random_seed() {
    std::uint64_t seed = 0;
    const std::string bytes = random_bytes(sizeof seed);
    std::memcpy(&seed, bytes.data(), sizeof seed);
    return seed;
}

}  // namespace

std::string_view fault_kind_name(FaultKind k) {
    for (const auto& [kind, name] : fault_names) {
        if (kind == k) return name;
    }
    return "status";
}

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
    for (const auto& [kind, text] : fault_names) {
        if (text == name) return kind;
    }
    return std::nullopt;
}

Faults::Faults() : random_(random_seed()) {}

std::string Faults::add(Fault f) {
    std::lock_guard lock(mutex_);
    std::string id(1, 'f');
    id += std::to_string(next_id_++);
    f.id = std::move(id);
    f.fired = 0;
    faults_.push_back(f);
    return f.id;
}

bool Faults::remove(std::string_view id) {
    std::lock_guard lock(mutex_);
    return std::erase_if(faults_, [&](const Fault& f) { return f.id == id; }) > 0;
}

void Faults::clear() {
    std::lock_guard lock(mutex_);
    faults_.clear();
}

std::vector<Fault> Faults::list() const {
    std::lock_guard lock(mutex_);
    return faults_;
}

std::vector<Fault> Faults::fire(std::string_view path, std::string_view grant_type) {
    std::lock_guard lock(mutex_);
    std::vector<Fault> out;
    if (faults_.empty()) return out;
    std::uniform_real_distribution<double> draw(0.0, 1.0);
    for (auto& f : faults_) {
        if (!matches(f, path, grant_type)) continue;
        if (f.count > 0 && f.fired >= f.count) continue;
        if (f.probability < 1.0 && draw(random_) >= f.probability) continue;
        ++f.fired;
        out.push_back(f);
    }
    return out;
}

}  // namespace zai::hubsim
