// zai-connect — the OAuth flows: person sign-in and organisation install (issue 4 §3,
// security.md §A, §B, §I).
//
//   GET  /login?return_to=/path               → 302 to the Hub's /oauth/authorize (person scopes)
//   GET  /install?organization_id=<uuid>&nonce=<session action nonce>
//                                             → 302 to the Hub with Org/<uuid>.<scope>...
//   GET  /oauth/zaikio/callback?code&state    → a new session (→ return path) or an installation
//                                               (→ /organizations/<id>)
//   POST /logout                              → ends the session, revokes its token at the Hub
//
// Each start stores a transaction {state hash, PKCE verifier, intent, organisation, return
// path, browser} for 10 minutes. The browser is named by a `__Host-zai_flow` cookie (SameSite=Lax,
// so it survives the top-level return from the Hub), shared by a browser's parallel flows; at
// most MAX_PENDING_TRANSACTIONS per browser are kept (R8). The callback takes (deletes) the
// transaction before anything else (R13), so a replayed callback finds nothing.
#pragma once

#include "config.h"
#include "grants.h"
#include "hub_client.h"
#include "metrics.h"
#include "sessions.h"
#include "store.h"
#include "httplib_fwd.h"

namespace zai::connect {

inline constexpr std::string_view flow_cookie_name = "__Host-zai_flow";

class Flows {
public:
    Flows(Store& store, Sessions& sessions, Grants& grants, HubClient& hub, const Config& config, Metrics& metrics);

    void login(const httplib::Request& req, httplib::Response& res);
    void install(const httplib::Request& req, httplib::Response& res);
    void callback(const httplib::Request& req, httplib::Response& res);
    void logout(const httplib::Request& req, httplib::Response& res);

private:
    // Stores a transaction and redirects the browser to the Hub.
    void start(const httplib::Request& req, httplib::Response& res, Transaction t, const std::vector<Scope>& scopes);
    void reject(httplib::Response& res, Errc code, std::string_view reason, std::string_view message = {});
    void finish_sign_in(const httplib::Request& req, httplib::Response& res, const Transaction& t,
                        const TokenResponse& token);
    void finish_install(httplib::Response& res, const Transaction& t, const TokenResponse& token);
    void discard(const TokenResponse& token);

    Store& store_;
    Sessions& sessions_;
    Grants& grants_;
    HubClient& hub_;
    const Config& config_;
    Metrics& metrics_;
};

}  // namespace zai::connect
