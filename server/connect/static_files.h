// zai-connect — the dashboard's files, loaded into memory at start.
//
// Each file is served with its MIME type (application/wasm for streaming compilation), an ETag,
// `Cache-Control: no-cache` (revalidate: names are not content-hashed) and, when the build left
// `<name>.br` / `<name>.gz` beside it, the smallest variant the browser accepts. The dashboard's
// own routes (/, /organizations/<id>) get index.html: the SPA fallback.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include "httplib_fwd.h"

namespace zai::connect {

class StaticFiles {
public:
    // Loads every regular file in `dir` (not recursive). An empty or missing folder serves nothing.
    explicit StaticFiles(const std::string& dir);

    // Serves the file named by the request path, or index.html for dashboard routes. false when
    // there is no such file or route.
    bool serve(const httplib::Request& req, httplib::Response& res) const;

    static bool is_dashboard_route(std::string_view path);
    std::size_t file_count() const { return files_.size(); }

private:
    struct File {
        std::string mime;
        std::string etag;
        std::string identity, gzip, brotli;  // gzip/brotli empty when not prebuilt
    };
    void send(const File& f, const httplib::Request& req, httplib::Response& res) const;

    std::map<std::string, File, std::less<>> files_;  // "/dashboard.js" → File
};

}  // namespace zai::connect
