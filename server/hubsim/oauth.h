// hubsim — the Hub's OAuth endpoints (zaikio-hub.md §1–§4).
//
//   GET  /oauth/authorize                    checks client, redirect URI, PKCE and scopes, then the
//                                            pages: sign in → organisation → consent → redirect
//   GET  /oauth/authorize/continue           the next page of an authorization (after a POST)
//   POST /oauth/authorize/sign_in            {pending, person_id | action=cancel}
//   POST /oauth/authorize/organization       {pending, organization_id | action=cancel}
//   POST /oauth/authorize/consent            {pending, decision=allow|cancel}
//   POST /oauth/sign_out                     ends the hubsim_session cookie's session
//   POST /oauth/access_token[.json]          grants authorization_code, refresh_token,
//                                            client_credentials, device_code
//   POST /oauth/device_authorizations/authorize[.json]   RFC 8628 device authorization
//   GET  /oauth/device[?user_code=]          where a person enters and approves a device's code
//
// Error behaviour, in short (details beside each check in oauth.cpp):
//   authorize: unknown client or unregistered redirect_uri → HTML error page (never a redirect);
//   scope problems → redirect error=invalid_scope&error_description=<Hub scope error id>; PKCE
//   problems → error=invalid_request; Cancel → error=access_denied; `state` echoed (switch).
//   token: {"error","error_description"} with 400 (invalid_client: --invalid-client-status);
//   client-credentials scope problems: {"errors":{"scopes":[id]}} (--cc-scope-error-status).
#pragma once

#include "context.h"

namespace zai::hubsim::oauth {

void authorize(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void authorize_continue(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void sign_in(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void choose_organization(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void consent(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void sign_out(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void home(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void token(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void device_authorization(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void device_page(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);

}  // namespace zai::hubsim::oauth
