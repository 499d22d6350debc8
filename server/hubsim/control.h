// hubsim — the control API for tests and demos, under /__hubsim/, only with --control.
// Bodies are JSON; answers are JSON; errors are {"error": "<sentence>"} with 400 or 404.
//
//   GET    /__hubsim/                      this list, as JSON
//   GET    /__hubsim/requests[?since=N]    requests received (no secrets; see request_log.h)
//   POST   /__hubsim/requests/reset        forget them
//   GET    /__hubsim/webhooks              Loom deliveries and their attempts
//   POST   /__hubsim/webhooks/reset        forget finished deliveries
//   GET    /__hubsim/faults                injected faults
//   POST   /__hubsim/faults                {"kind","path"[,"grant_type","latency_ms","status",
//                                           "probability","count"]} → 201 {"id"} (faults.h)
//   DELETE /__hubsim/faults/<id>           remove one
//   POST   /__hubsim/faults/reset          remove all
//   GET    /__hubsim/lifetimes             {"access_token","refresh_token","code","device_code"} (s)
//   POST   /__hubsim/lifetimes             set any of them (seconds, ≥ 1); applies to new tokens
//   POST   /__hubsim/keys/rotate           {"drop_old": false} → {"kid", "kids"}
//   GET    /__hubsim/connections           every connection of every app
//   POST   /__hubsim/connections/revoke    {"client_id","subject":"Organization/<uuid>"} → revokes
//                                          its refresh and access tokens, sends the events
//   POST   /__hubsim/memberships/roles     {"person_id","organization_id","roles":[…]}
//   POST   /__hubsim/memberships/remove    {"person_id","organization_id"}
#pragma once

#include "context.h"

namespace zai::hubsim::control {

void index(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void requests(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void requests_reset(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
// GET /__hubsim/issued: {"secrets": [...]} codes and tokens issued lately (leak scans).
void issued(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void webhooks(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void webhooks_reset(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void faults(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void fault_add(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void fault_remove(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void faults_reset(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void lifetimes(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void lifetimes_set(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void rotate_keys(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void connections(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void revoke_connection(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void set_roles(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void remove_member(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);

}  // namespace zai::hubsim::control
