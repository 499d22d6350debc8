// zai-connect — the dashboard's JSON API.
#include "dashboard_api.h"

#include <chrono>
#include <string>
#include <unordered_map>

#include <httplib.h>

#include "edge.h"
#include "zai/uuid.h"

namespace zai::connect {
namespace {

api::InstallationView installation_view(const std::optional<Installation>& inst, const std::optional<Grant>& grant) {
    api::InstallationView v;
    if (!inst) return v;
    v.state = inst->state;
    v.installed_by = inst->installed_by_name;
    v.installed_at = inst->installed_at;
    v.revoked_at = inst->revoked_at;
    v.revoked_reason = inst->revoked_reason;
    for (const auto& s : inst->granted_scopes) v.granted_scopes.push_back(format_scope(s));
    if (grant) {
        v.access_expires_at = grant->tokens.access_token.empty() ? 0 : grant->tokens.expires_at;
        v.refreshed_at = grant->refreshed_at;
    }
    return v;
}

// /api/organizations/<uuid>[/uninstall] → the id; the router's pattern guarantees the shape.
std::string organization_id(const httplib::Request& req) { return req.matches.size() > 1 ? req.matches[1].str() : ""; }

}  // namespace

DashboardApi::DashboardApi(Store& store, Sessions& sessions, Grants& grants, HubClient& hub, Metrics& metrics,
                           const Config& config)
    : store_(store),
      sessions_(sessions),
      grants_(grants),
      hub_(hub),
      metrics_(metrics),
      hub_budget_(config.session_hub_requests_per_minute) {}

bool DashboardApi::require_session(const httplib::Request& req, httplib::Response& res, Session& out, bool slide) {
    auto lookup = sessions_.find(req, slide);
    if (lookup.found == Sessions::Found::live) {
        out = std::move(*lookup.session);
        return true;
    }
    if (lookup.found == Sessions::Found::ended) res.set_header("Set-Cookie", sessions_.clearing_cookie());
    send_error(res, lookup.found == Sessions::Found::ended ? Errc::session_expired : Errc::unauthenticated);
    return false;
}

bool DashboardApi::within_budget(const Session& s, httplib::Response& res) {
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now().time_since_epoch()).count();
    const std::int64_t wait_seconds = hub_budget_.take(s.id_hash, now_ms);
    if (wait_seconds == 0) return true;
    metrics_.count("zai_rate_limited_total");
    res.set_header("Retry-After", std::to_string(wait_seconds));
    send_error(res, Errc::rate_limited);
    return false;
}

void DashboardApi::session(const httplib::Request& req, httplib::Response& res) {
    const bool passive = req.has_param("passive") && req.get_param_value("passive") == "1";
    auto lookup = sessions_.find(req, !passive);
    if (lookup.found == Sessions::Found::none) return send_json(res, 200, api::session_view_json({}));
    if (lookup.found == Sessions::Found::ended) {
        res.set_header("Set-Cookie", sessions_.clearing_cookie());
        return send_error(res, Errc::session_expired);
    }
    Session& s = *lookup.session;
    auto rows = sessions_.organizations(s, /*fresh=*/false);
    if (!rows) {
        if (rows.error().code == Errc::session_expired) res.set_header("Set-Cookie", sessions_.clearing_cookie());
        return send_error(res, rows.error().code, rows.error().detail);
    }
    std::vector<std::string> ids;
    ids.reserve(rows->size());
    for (const auto& r : *rows) ids.push_back(r.id);
    std::unordered_map<std::string, InstallationState> states;
    for (auto& inst : store_.find_installations(ids)) states.emplace(inst.organization_id, inst.state);
    for (auto& r : *rows) {
        if (const auto it = states.find(r.id); it != states.end()) r.installation = it->second;
    }

    api::SessionView view;
    view.authenticated = true;
    view.person = api::PersonSummary{s.person_id, s.person_name, s.email};
    view.organizations = std::move(*rows);
    view.expires_in = sessions_.seconds_left(s, unix_now());
    view.action_nonce = s.action_nonce;
    send_json(res, 200, api::session_view_json(view));
}

api::OrganizationView DashboardApi::view_of(const api::OrganizationRow& row) {
    api::OrganizationView view;
    view.organization = row;
    view.server_time = unix_now();
    auto inst = store_.find_installation(row.id);
    view.organization.installation = inst ? inst->state : InstallationState::not_installed;
    if (!inst || inst->state != InstallationState::installed) {
        view.installation = installation_view(inst, std::nullopt);
        return view;
    }

    // Read the organisation on its own behalf; a refused token gets one forced renewal (R54).
    const std::string grant_id = organization_grant_id(row.id);
    auto grant = grants_.usable(grant_id);
    HubResult<Organization> data = Unexpected{HubFailure{}};
    if (grant) {
        data = hub_.organization(grant->tokens.access_token);
        if (!data && data.error().denied) {
            grant = grants_.usable(grant_id, grant->version);
            if (grant) data = hub_.organization(grant->tokens.access_token);
        }
    }
    // The installation may have changed above (a denied grant revokes it): read it again.
    inst = store_.find_installation(row.id);
    view.organization.installation = inst ? inst->state : InstallationState::not_installed;
    view.installation = installation_view(inst, store_.find_grant(grant_id));
    if (!grant) {
        if (grant.error().code != Errc::installation_revoked && grant.error().code != Errc::not_installed) {
            view.data_error = grant.error().code;
        }
    } else if (!data) {
        view.data_error = data.error().code;
    } else if (data->id != row.id) {
        view.data_error = Errc::hub_bad_response;
    } else {
        view.data = std::move(*data);
    }
    return view;
}

void DashboardApi::organization(const httplib::Request& req, httplib::Response& res) {
    const std::string id = organization_id(req);
    if (!is_uuid(id)) return send_error(res, Errc::invalid_organization_id);
    Session s;
    if (!require_session(req, res, s) || !within_budget(s, res)) return;
    auto rows = sessions_.organizations(s, /*fresh=*/false);
    if (!rows) return send_error(res, rows.error().code, rows.error().detail);
    for (const auto& row : *rows) {
        if (row.id == id) return send_json(res, 200, api::organization_view_json(view_of(row)));
    }
    send_error(res, Errc::not_a_member);
}

void DashboardApi::uninstall(const httplib::Request& req, httplib::Response& res) {
    const std::string id = organization_id(req);
    if (!is_uuid(id)) return send_error(res, Errc::invalid_organization_id);
    Session s;
    if (!require_session(req, res, s) || !within_budget(s, res)) return;
    auto rows = sessions_.organizations(s, /*fresh=*/true);
    if (!rows) return send_error(res, rows.error().code, rows.error().detail);
    const api::OrganizationRow* row = nullptr;
    for (const auto& r : *rows) {
        if (r.id == id) row = &r;
    }
    if (!row) return send_error(res, Errc::not_a_member);
    if (!row->can_install()) return send_error(res, Errc::not_an_admin);

    if (auto grant = store_.find_grant(organization_grant_id(id)); grant && !grant->tokens.access_token.empty()) {
        if (!hub_.revoke(grant->tokens.access_token)) metrics_.count("zai_revocation_failures_total");
    }
    store_.delete_installation(id);
    metrics_.count("zai_uninstalls_total");
    log_line("uninstalled for organization " + id + " by person " + s.person_id);
    send_json(res, 200, api::organization_view_json(view_of(*row)));
}

}  // namespace zai::connect
