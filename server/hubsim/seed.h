// hubsim — the people, organisations and apps it starts with.
//
// Built-in demo seed (fixed lower-case UUIDs, so tests and demos can name them):
//
//   apps
//     zai_connect   confidential; client_id zai_connect; secret from --app-secret / HUBSIM_APP_SECRET;
//                   redirect URLs from --app-redirect-url (default http://127.0.0.1:8080/oauth/zaikio/callback);
//                   desired scopes --app-desired-scopes (default zaikio.person.r,Org.zaikio.organization.r);
//                   webhook from --app-webhook-url / --app-webhook-secret
//     zai_mobile    non-confidential (PKCE mandatory); redirect http://127.0.0.1:8090/callback;
//                   desired zaikio.person.r,Org.zaikio.organization.r,Org.zaikio.organization_members.r
//   organisations
//     Lindqvist Druck GmbH       3f0c6d2e-8b1a-4c5d-9e7f-1a2b3c4d5e60   printer, DE
//     Nordlicht Verpackungen AG  7a9e4b12-5c3d-4e6f-8a1b-2c3d4e5f6a70   printer + supplier, DE
//     Scale Print 0001 … 1000    5ca1e000-0000-4000-8000-000000000001 … -0000000003e8 (hex)
//   people
//     Ada Lindqvist    a1d4c0de-0000-4000-8000-00000000000a  owner of Lindqvist Druck and Nordlicht
//     Bruno Hartmann   b2a7e1f0-0000-4000-8000-00000000000b  admin of Lindqvist Druck, member of Nordlicht
//     Chiara Rossi     c3e9a2b4-0000-4000-8000-00000000000c  member (and purchaser) of Lindqvist Druck
//     Dev Patel        d4f0b3c5-0000-4000-8000-00000000000d  member of the 1,000 Scale Print organisations,
//                                                            admin of every tenth (Scale Print 0010, 0020, …)
//     Emil Novak       e5a1c4d6-0000-4000-8000-00000000000e  no organisation at all
//
// --seed FILE replaces all of that with a JSON document (unknown members are errors, so typos show):
//
//   {
//     "apps": [{"name": "zai_connect", "client_id": "zai_connect", "client_secret": "…",   // optional:
//               "confidential": true,                                                    //  see below
//               "redirect_urls": ["http://127.0.0.1:8080/oauth/zaikio/callback"],
//               "desired_scopes": "zaikio.person.r,Org.zaikio.organization.r",
//               "webhook_url": "http://127.0.0.1:8080/webhooks/zaikio", "webhook_secret": "…"}],
//     "organizations": [{"id": "<uuid>", "name": "…", "slug": "…", "kinds": ["printer"],
//                        "sections": {"printer": ["labels"]}, "country_code": "DE", "currency": "EUR",
//                        "brand_color": "#0a6e5c", "logo_url": null}],
//     "people": [{"id": "<uuid>", "first_name": "…", "name": "…", "email": "…", "locale": "de",
//                 "time_zone": "Europe/Berlin", "unit_system": "metric", "pronoun": null,
//                 "country_code": "DE", "currency": "EUR"}],
//     "memberships": [{"id": "<uuid>", "person_id": "<uuid>", "organization_id": "<uuid>",
//                      "roles": ["owner"]}],
//     "connections": [{"client_id": "zai_connect", "subject": "Organization/<uuid>",
//                      "scopes": "zaikio.organization.r", "installed_by": "<person uuid>"}]
//   }
//
// Required: apps[].name, client_id, redirect_urls, desired_scopes; organizations[].id, name, kinds;
// people[].id, first_name, name, email; memberships[] all members. Everything else has the
// built-in defaults. A confidential app without client_secret takes --app-secret (hubsim refuses to
// start if there is none); a webhook_url without webhook_secret takes --app-webhook-secret.
// "connections" (optional) start the Hub with those apps already installed (person or organisation
// subjects; scopes without bearer prefix; installed_by must be owner/admin for organisations).
// Values are checked like the Hub's schema: UUIDs canonical lower case, kinds and sections from
// its enums, roles from GET /roles, locale en|en-US|de, brand_color #rgb/#rrggbb.
#pragma once

#include <string>
#include <vector>

#include "config.h"
#include "state.h"
#include "zai/expected.h"

namespace zai::hubsim {

struct SeedConnection {
    std::string client_id;
    Subject subject;
    std::vector<Scope> scopes;
    std::string installed_by;
};

struct Seed {
    Directory directory;
    std::vector<SeedConnection> connections;
};

Expected<Seed, std::string> builtin_seed(const AppOptions& app);
// Reads and checks a --seed file; the message names the file and the offending member.
Expected<Seed, std::string> load_seed_file(const std::string& path, const AppOptions& app);

}  // namespace zai::hubsim
