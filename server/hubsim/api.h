// hubsim — the Hub's REST API under /api/v1 (zaikio-hub.md §3, §5; shapes from
// ../shared/zaikio/hub-api-openapi.json, which the contract tests validate strictly). Every path
// also answers with a ".json" suffix.
//
//   GET  /person                          Person bearer, zaikio.person.r
//   GET  /person/organization_memberships Person bearer, zaikio.person.r
//   GET  /organization                    Organization bearer, zaikio.organization.r
//   GET  /organization/memberships        Organization bearer, zaikio.organization_members.r
//   GET  /roles[?lang=de]                 public
//   GET  /connections                     HTTP Basic with a confidential app's credentials;
//                                         filters[connectable_id]=Organization-<uuid>, page, per_page
//   GET  /revoked_access_tokens           public: revoked ids of tokens not yet expired
//   POST /revoked_access_tokens           revokes the bearer token itself → 201 {"access_token_id"}
//   GET  /jwt_public_keys                 public: {"keys":[{kty,n,e,kid}]}
//
// Bearer checks follow zaikio-jwt_auth (§5.3): no `Bearer <jwt>` → 401 ["no_jwt_passed"];
// expired → 403 ["jwt_expired"]; bad signature, unknown key or revoked → 403 ["invalid_jwt"];
// wrong subject type → 403 ["unpermitted_subject", …]; missing scope → 403 (switch)
// ["unpermitted_scope", …]. With --directory-alias, directory.* scopes count as zaikio.*.
#pragma once

#include "context.h"

namespace zai::hubsim::api {

void person(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void person_memberships(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void organization(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void organization_memberships(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void roles(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void connections(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void revoked_tokens(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void revoke_token(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);
void jwt_public_keys(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note);

}  // namespace zai::hubsim::api
