// Test helper for zai-connect's suites: a fresh folder under the system's temp folder, removed
// with everything in it when the test is done.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include "crypto.h"

namespace zai::connect::testing {

struct TempDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() / ("zai-connect-test-" + random_hex(8));

    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir() {
        std::error_code ignored;  // best effort: a leftover temp folder fails no test
        std::filesystem::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string file(std::string_view name) const { return (path / name).string(); }

    // Writes `bytes` exactly (binary) and returns the file's path.
    std::string write(std::string_view name, std::string_view bytes) const {
        const auto p = file(name);
        std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return p;
    }
};

}  // namespace zai::connect::testing
