// zai-connect — the dashboard's files.
#include "static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <httplib.h>

#include "crypto.h"
#include "edge.h"

namespace zai::connect {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string mime_for(const std::string& ext) {
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js") return "text/javascript; charset=utf-8";
    if (ext == ".wasm") return "application/wasm";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".ttf") return "font/ttf";
    if (ext == ".otf") return "font/otf";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".json") return "application/json";
    return "application/octet-stream";
}

bool accepts(const httplib::Request& req, std::string_view coding) {
    const std::string accept = req.get_header_value(accept_encoding_header);
    for (std::size_t pos = 0; (pos = accept.find(coding, pos)) != std::string::npos; pos += coding.size()) {
        const bool starts = pos == 0 || accept[pos - 1] == ' ' || accept[pos - 1] == ',';
        const std::size_t end = pos + coding.size();
        const bool ends = end == accept.size() || accept[end] == ',' || accept[end] == ';' || accept[end] == ' ';
        if (starts && ends) return accept.compare(end, 4, ";q=0") != 0;
    }
    return false;
}

}  // namespace

StaticFiles::StaticFiles(const std::string& dir) {
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec)) return;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file()) continue;
        const auto ext = entry.path().extension().string();
        if (ext == ".gz" || ext == ".br") continue;
        File f;
        f.mime = mime_for(ext);
        f.identity = read_file(entry.path());
        f.etag = "\"" + sha256_hex(f.identity).substr(0, 32) + "\"";
        const auto gz = fs::path(entry.path().string() + ".gz");
        const auto br = fs::path(entry.path().string() + ".br");
        if (fs::is_regular_file(gz, ec)) f.gzip = read_file(gz);
        if (fs::is_regular_file(br, ec)) f.brotli = read_file(br);
        files_.emplace("/" + entry.path().filename().string(), std::move(f));
    }
}

bool StaticFiles::is_dashboard_route(std::string_view path) {
    return path == "/" || (path.starts_with("/organizations/") && path.size() > 15 && path.size() < 128);
}

void StaticFiles::send(const File& f, const httplib::Request& req, httplib::Response& res) const {
    res.set_header("ETag", f.etag);
    res.set_header("Cache-Control", "no-cache");
    res.set_header("Vary", "Accept-Encoding");
    if (req.get_header_value("If-None-Match") == f.etag) {
        res.status = 304;
        return;
    }
    // Prefer brotli, then gzip, when prebuilt and smaller.
    const std::string* body = &f.identity;
    if (!f.brotli.empty() && f.brotli.size() < body->size() && accepts(req, "br")) {
        body = &f.brotli;
        res.set_header("Content-Encoding", "br");
    } else if (!f.gzip.empty() && f.gzip.size() < body->size() && accepts(req, "gzip")) {
        body = &f.gzip;
        res.set_header("Content-Encoding", "gzip");
    }
    res.status = 200;
    res.set_content(*body, f.mime.c_str());
}

bool StaticFiles::serve(const httplib::Request& req, httplib::Response& res) const {
    if (const auto it = files_.find(req.path); it != files_.end() && req.path != "/index.html") {
        send(it->second, req, res);
        return true;
    }
    if (is_dashboard_route(req.path)) {
        if (const auto shell = files_.find("/index.html"); shell != files_.end()) {
            send(shell->second, req, res);
            return true;
        }
    }
    return false;
}

}  // namespace zai::connect
