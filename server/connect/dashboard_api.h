// zai-connect — the dashboard's JSON API (shared/include/zai/api.h is the contract).
//
//   GET  /api/session[?passive=1]            who is signed in, their organisations, roles and
//                                            installation states; never a redirect (R42, R45)
//   GET  /api/organizations/<id>             the organisation as the app sees it, read from the
//                                            Hub on the organisation's behalf (members only)
//   POST /api/organizations/<id>/uninstall   forget and revoke the grant (owners and admins)
//
// The two organisation routes call the Hub, so each session has a budget for them (R55).
// Every call must carry `X-CSRF: 1` (R46); it is checked before any lookup.
#pragma once

#include "config.h"
#include "grants.h"
#include "hub_client.h"
#include "metrics.h"
#include "rate_limit.h"
#include "sessions.h"
#include "store.h"
#include "zai/api.h"
#include "httplib_fwd.h"

namespace zai::connect {

class DashboardApi {
public:
    DashboardApi(Store& store, Sessions& sessions, Grants& grants, HubClient& hub, Metrics& metrics,
                 const Config& config);

    void session(const httplib::Request& req, httplib::Response& res);
    void organization(const httplib::Request& req, httplib::Response& res);
    void uninstall(const httplib::Request& req, httplib::Response& res);

private:
    // The live session, or an error response already written (false).
    bool require_session(const httplib::Request& req, httplib::Response& res, Session& out, bool slide = true);
    // Spends one Hub-backed request of the session, or writes 429 with Retry-After (false).
    bool within_budget(const Session& s, httplib::Response& res);
    api::OrganizationView view_of(const api::OrganizationRow& row);

    Store& store_;
    Sessions& sessions_;
    Grants& grants_;
    HubClient& hub_;
    Metrics& metrics_;
    RateLimiter hub_budget_;
};

}  // namespace zai::connect
