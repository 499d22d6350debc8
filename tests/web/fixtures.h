// Test data for the dashboard's views, built from zai_core's API types (so it has the backend's
// JSON shape by construction): people, organisations, session and organisation views, and the
// Dashboard harness that runs the real App on the headless platform.
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <zai/api.h>

#include "app.h"
#include "platform_headless.h"

namespace fixtures {

using zai::InstallationState;

inline constexpr const char* lindqvist = "3f0c6d2e-8b1a-4c5d-9e7f-1a2b3c4d5e60";
inline constexpr const char* nordlicht = "7a9e4b12-5c3d-4e6f-8a1b-2c3d4e5f6a70";
inline constexpr std::int64_t now = 1704096000;  // 2024-01-01 08:00 UTC

inline zai::api::OrganizationRow row(std::string id, std::string name, std::vector<std::string> roles,
                                     InstallationState state = InstallationState::not_installed) {
    return zai::api::OrganizationRow{std::move(id), std::move(name), std::move(roles), state};
}

// Scale Print 0001 … n, as hubsim seeds them for Dev Patel: admin of every tenth.
inline std::string scale_id(int i) {
    char id[40];
    std::snprintf(id, sizeof id, "5ca1e000-0000-4000-8000-%012x", i);
    return id;
}
inline std::string scale_name(int i) {
    char name[32];
    std::snprintf(name, sizeof name, "Scale Print %04d", i);
    return name;
}

inline zai::api::SessionView session(std::vector<zai::api::OrganizationRow> rows,
                                     std::string name = "Ada Lindqvist", std::int64_t expires_in = 7200) {
    zai::api::SessionView v;
    v.authenticated = true;
    v.person = zai::api::PersonSummary{"a1d4c0de-0000-4000-8000-00000000000a", std::move(name), "ada@lindqvist-druck.example"};
    v.organizations = std::move(rows);
    v.expires_in = expires_in;
    v.action_nonce = "nonce-123";
    return v;
}

inline zai::api::SessionView ada() {
    return session({row(lindqvist, "Lindqvist Druck GmbH", {"owner"}), row(nordlicht, "Nordlicht Verpackungen AG", {"owner"})});
}
inline zai::api::SessionView chiara() {
    return session({row(lindqvist, "Lindqvist Druck GmbH", {"member", "purchaser"})}, "Chiara Rossi");
}
inline zai::api::SessionView dev(int count = 1000) {
    std::vector<zai::api::OrganizationRow> rows;
    for (int i = 1; i <= count; ++i) {
        rows.push_back(row(scale_id(i), scale_name(i), {i % 10 == 0 ? "admin" : "member"}));
    }
    return session(std::move(rows), "Dev Patel");
}

inline std::string json(const zai::api::SessionView& v) { return zai::api::session_view_json(v); }
inline std::string signed_out_json() { return zai::api::session_view_json(zai::api::SessionView{}); }

inline zai::api::OrganizationView installed_view(std::vector<std::string> roles = {"owner"}) {
    zai::api::OrganizationView v;
    v.organization = row(lindqvist, "Lindqvist Druck GmbH", std::move(roles), InstallationState::installed);
    v.installation.state = InstallationState::installed;
    v.installation.installed_by = "Bruno Hartmann";
    v.installation.installed_at = now - 3 * 3600;
    v.installation.granted_scopes = {"directory.organization.r"};
    v.installation.access_expires_at = now + 57 * 60;
    v.installation.refreshed_at = now - 3 * 60;
    zai::Organization d;
    d.id = lindqvist;
    d.name = "Lindqvist Druck GmbH";
    d.slug = "lindqvist_druck_gmbh";
    d.kinds = {"printer", "machine_vendor"};
    d.country_code = "DE";
    d.currency = "EUR";
    d.brand_color = "#0a6e5c";
    v.data = d;
    v.server_time = now;
    return v;
}

inline zai::api::OrganizationView not_installed_view(std::vector<std::string> roles = {"owner"}) {
    zai::api::OrganizationView v;
    v.organization = row(lindqvist, "Lindqvist Druck GmbH", std::move(roles));
    v.server_time = now;
    return v;
}

inline zai::api::OrganizationView revoked_view(std::vector<std::string> roles = {"admin"}) {
    zai::api::OrganizationView v = installed_view(std::move(roles));
    v.organization.installation = InstallationState::revoked;
    v.installation.state = InstallationState::revoked;
    v.installation.revoked_at = now - 600;
    v.installation.revoked_reason = "connection_revoked";
    v.installation.access_expires_at = 0;
    v.data.reset();
    return v;
}

inline std::string json(const zai::api::OrganizationView& v) { return zai::api::organization_view_json(v); }
inline std::string error(zai::Errc code) { return zai::api::error_json(code); }

// The real App on the headless platform, with lookups into its accessibility mirror.
struct Dashboard {
    explicit Dashboard(zai::web::HeadlessOptions options = {}) : platform(capped(std::move(options))), app(platform) {
        platform.set_frame([this](zai::web::Ui& ui) { app.frame(ui); });
        platform.wake();
        platform.settle();
    }

    const zai::web::A11yNode& node(zai::web::Role role, std::string_view name) const {
        const zai::web::A11yNode* n = find_node(platform.a11y(), role, name);
        INFO("no ", zai::web::role_id(role), " named \"", std::string(name), "\" in ", a11y_json(platform.a11y()));
        REQUIRE(n != nullptr);
        return *n;
    }
    bool has(zai::web::Role role, std::string_view name) const { return find_node(platform.a11y(), role, name) != nullptr; }
    std::size_t count(zai::web::Role role) const {
        std::size_t n = 0;
        for (const auto& node : platform.a11y()) n += node.role == role ? 1 : 0;
        return n;
    }
    // The newest request, which must be for `path`.
    std::size_t last_request(std::string_view path) const {
        REQUIRE_FALSE(platform.requests().empty());
        CHECK(platform.requests().back().path == path);
        return platform.requests().size() - 1;
    }
    // Answers the newest request, which must be for `path`.
    void answer(std::string_view path, int status, std::string body) {
        platform.answer(last_request(path), status, std::move(body));
    }

    zai::web::HeadlessPlatform platform;
    zai::web::App app;

private:
    // A spinner keeps frames due while a request is unanswered; a few frames show it as well as
    // the platform's default of 240.
    static zai::web::HeadlessOptions capped(zai::web::HeadlessOptions o) {
        o.max_frames = 20;
        return o;
    }
};

}  // namespace fixtures
