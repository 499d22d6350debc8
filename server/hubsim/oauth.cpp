// hubsim — OAuth: authorize with its pages, the token endpoint, the device flow (see oauth.h).
//
// [SECTION] helpers          sessions, scopes a token gets, redirects with errors
// [SECTION] authorize        GET /oauth/authorize and the page steps that follow it
// [SECTION] token endpoint   POST /oauth/access_token, one function per grant
// [SECTION] device flow      POST /oauth/device_authorizations/authorize, GET /oauth/device
#include "oauth.h"

#include <algorithm>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "crypto.h"
#include "http.h"
#include "keys.h"
#include "pages.h"
#include "request_log.h"
#include "state.h"
#include "webhooks.h"
#include "zai/model.h"
#include "zai/uuid.h"

namespace zai::hubsim::oauth {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view session_cookie = "hubsim_session";
constexpr std::string_view device_grant = "urn:ietf:params:oauth:grant-type:device_code";

// =================================================================================================
// [SECTION] helpers
// =================================================================================================

AppAlias alias(const Services& s) {
    return s.config.switches.directory_alias ? AppAlias::directory_is_zaikio : AppAlias::exact;
}

ScopeListOptions list_options(const Services& s) {
    return ScopeListOptions{.allow_empty = false, .allow_spaces = s.config.switches.space_separated_scopes};
}

std::string media_type(const httplib::Request& req) {
    std::string t = req.get_header_value("Content-Type");
    return t.substr(0, t.find(';'));
}

// The person signed in to hubsim in this browser, or "".
std::string session_person(const Data& d, const httplib::Request& req) {
    const auto value = cookie_value(req.get_header_value("Cookie"), session_cookie);
    if (!value || value->empty()) return "";
    const auto it = d.sessions.find(sha256_hex(*value));
    if (it == d.sessions.end() || !find_person(d, it->second)) return "";
    return it->second;
}

std::string session_cookie_header(const Services& s, std::string_view value, bool clear) {
    std::string h = std::string(session_cookie) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=Lax";
    if (clear) h += "; Max-Age=0";
    if (s.config.tls) h += "; Secure";
    return h;
}

// The scopes a token carries: as requested, without the bearer prefix, and without the Hub's
// own scopes that do not apply to the bearer type — the Hub drops those silently (§2.4, §2.5).
std::vector<Scope> token_scopes(const std::vector<Scope>& requested, BearerType type) {
    std::vector<Scope> out;
    for (Scope s : requested) {
        s.form = BearerForm::implicit;
        s.bearer_id.clear();
        s.person_id.clear();
        if (s.app == "zaikio" || s.app == "directory") {
            const bool person_only = s.resource == "person";
            const bool organization_only = s.resource == "organization" || s.resource == "organization_members";
            if ((person_only && type != BearerType::person) || (organization_only && type != BearerType::organization)) {
                continue;
            }
        }
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
    }
    return out;
}

std::string with_query(const std::string& url, const QueryParams& add) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + build_query(add);
}

std::string error_redirect_url(const Services& s, const PendingAuthorization& p, std::string_view error,
                               std::string_view description) {
    QueryParams q{{"error", std::string(error)}};
    if (!description.empty()) q.emplace_back("error_description", std::string(description));
    if (p.state && s.config.switches.state_on_error) q.emplace_back("state", *p.state);
    return with_query(p.redirect_uri, q);
}

// What hubsim checks on the scopes of an interactive request (authorize, device): zai_core's
// validate_request (grammar, bearer rules, no person ids, desired scopes), then a preselected
// organisation must exist. Returns the Hub's error id on failure.
Expected<std::vector<Scope>, std::string> interactive_scopes(const Services& s, const Data& d, const App& app,
                                                             std::string_view scope_param) {
    auto scopes = validate_request(scope_param, app.desired_scopes, Flow::interactive, alias(s), list_options(s));
    if (!scopes) return Unexpected{std::string(scope_error_id(scopes.error().error))};
    for (const auto& sc : *scopes) {
        // hubsim sells no plans and has no on-behalf tokens: say so instead of pretending.
        if (sc.kind == Scope::Kind::subscription) return Unexpected{std::string("subscription_create_not_supported")};
        if (sc.form == BearerForm::per_for_org) return Unexpected{std::string("on_behalf_not_supported")};
        if (sc.form == BearerForm::org && !sc.bearer_id.empty() && !find_organization(d, sc.bearer_id)) {
            return Unexpected{std::string(scope_error_id(ScopeError::bearer_does_not_exist))};
        }
    }
    return std::move(*scopes);
}

std::vector<pages::Choice> people_choices(const Data& d) {
    std::vector<pages::Choice> out;
    for (const auto& p : d.directory.people) out.push_back({p.id, p.full_name(), p.email});
    return out;
}

std::string join_roles(const std::vector<std::string>& roles) {
    std::string out;
    for (const auto& r : roles) out += (out.empty() ? "" : ", ") + r;
    return out;
}

// =================================================================================================
// [SECTION] authorize
// =================================================================================================

// Where an authorization ends: a redirect to the app (code or error) or, for a device, a page.
void finish_with_error(Services& s, Data& d, const std::string& id, httplib::Response& res, std::string_view error,
                       std::string_view description) {
    const PendingAuthorization p = d.pending.at(id);
    d.pending.erase(id);
    if (!p.device_hash.empty()) {
        const auto dev = d.devices.find(p.device_hash);
        if (dev != d.devices.end()) dev->second.status = DeviceAuthorization::Status::denied;
        const App* app = find_app(d, p.client_id);
        if (error == "access_denied") send_html(res, 200, pages::device_done(app ? app->name : "", false));
        else send_html(res, 400, pages::error("The device cannot be connected", std::string(description)));
        return;
    }
    send_redirect(res, error_redirect_url(s, p, error, description));
}

void complete(Services& s, Data& d, const std::string& id, const Subject& subject, const std::vector<Scope>& scopes,
              httplib::Response& res, std::vector<EventToSend>& events) {
    const PendingAuthorization p = d.pending.at(id);
    d.pending.erase(id);
    const Connection& c = connect(d, p.client_id, subject, scopes, p.person_id, events);
    const Grant grant{p.client_id, subject, scopes, p.person_id, c.id};
    s.hub.changed();
    if (!p.device_hash.empty()) {
        const auto dev = d.devices.find(p.device_hash);
        if (dev != d.devices.end()) {
            dev->second.status = DeviceAuthorization::Status::approved;
            dev->second.grant = grant;
        }
        send_html(res, 200, pages::device_done(find_app(d, p.client_id)->name, true));
        return;
    }
    const std::string code = random_token(32);
    s.requests.note_secret(code);
    d.codes[sha256_hex(code)] = AuthCode{grant, p.redirect_uri, p.code_challenge, p.code_challenge_method,
                                         unix_now() + d.lifetimes.code, false, {}, {}};
    QueryParams q{{"code", code}};
    if (p.state) q.emplace_back("state", *p.state);
    send_redirect(res, with_query(p.redirect_uri, q));
}

// Shows the next page of authorization `id`, or finishes it when nothing is left to ask.
void advance(Services& s, Data& d, const std::string& id, httplib::Response& res, std::vector<EventToSend>& events) {
    PendingAuthorization& p = d.pending.at(id);
    const App* app = find_app(d, p.client_id);
    if (p.person_id.empty()) {
        send_html(res, 200, pages::sign_in(app->name, id, people_choices(d)));
        return;
    }
    const Person* person = find_person(d, p.person_id);
    const BearerType type = p.scopes.front().bearer_type();
    if (type == BearerType::organization) {
        const std::string& preselected = p.scopes.front().bearer_id;
        if (!preselected.empty()) {
            // The Hub lets only owners and admins preselect an organisation (§2.1); its error for
            // anybody else is not documented: hubsim uses unpermitted_bearer_id.
            if (!administers(d, p.person_id, preselected)) {
                finish_with_error(s, d, id, res, "invalid_scope", scope_error_id(ScopeError::unpermitted_bearer_id));
                return;
            }
            p.organization_id = preselected;
        } else if (p.organization_id.empty()) {
            std::vector<pages::Choice> choices;
            for (const Organization* o : administered_organizations(d, p.person_id)) {
                choices.push_back({o->id, o->name, join_roles(find_membership(d, p.person_id, o->id)->roles)});
            }
            send_html(res, 200, pages::choose_organization(app->name, person->full_name(), id, choices));
            return;
        }
    }
    const Subject subject = type == BearerType::organization ? Subject{type, p.organization_id}
                                                             : Subject{type, p.person_id};
    const std::vector<Scope> scopes = token_scopes(p.scopes, type);
    const Connection* existing = find_connection(d, p.client_id, subject);
    const bool granted_before = existing && covers_all(existing->granted, scopes, alias(s));
    if (!p.consented && (p.force_consent || !granted_before)) {
        std::vector<pages::Choice> listed;
        for (const auto& sc : p.scopes) listed.push_back({format_scope(sc), describe_scope(sc), format_scope(sc)});
        const std::string who = type == BearerType::organization
                                    ? "the organisation " + find_organization(d, p.organization_id)->name
                                    : "your Zaikio account (" + person->full_name() + ")";
        send_html(res, 200, pages::consent(app->name, who, id, listed));
        return;
    }
    complete(s, d, id, subject, scopes, res, events);
}

// The authorization a page's form refers to, checked against the browser's hubsim session.
// Writes an error page and returns nullptr when there is none.
PendingAuthorization* pending_for(Data& d, const std::string& id, httplib::Response& res) {
    const auto it = d.pending.find(id);
    if (it == d.pending.end() || it->second.expires_at <= unix_now()) {
        send_html(res, 400,
                  pages::error("This sign-in has expired",
                               "The authorization request is unknown or too old. Start again from the app."));
        return nullptr;
    }
    return &it->second;
}

QueryParams form_params(const httplib::Request& req, RequestNote& note) {
    auto params = request_params(req.get_header_value("Content-Type"), req.body, req.target);
    if (!params) return {};
    note_params(note, *params);
    return *params;
}

}  // namespace

void authorize(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note) {
    const auto parsed = request_params("", "", req.target);
    if (!parsed) {
        send_html(res, 400, pages::error("Invalid authorization request", parsed.error().detail));
        return;
    }
    const QueryParams& params = *parsed;
    note_params(note, params);
    std::vector<EventToSend> events;
    s.hub.with([&](Data& d) {
        const std::int64_t now = unix_now();
        prune(d, now);
        const App* app = find_app(d, param(params, "client_id"));
        if (!app) {
            send_html(res, 400, pages::error("Unknown application", "No app is registered with this client_id."));
            return;
        }
        // An unregistered redirect URI gets a page, never a redirect: it may be an attacker's (RFC 6749 §4.1.2.1).
        const std::string requested = param(params, "redirect_uri");
        const std::string redirect_uri = requested.empty() ? app->redirect_urls.front() : requested;
        if (std::find(app->redirect_urls.begin(), app->redirect_urls.end(), redirect_uri) == app->redirect_urls.end()) {
            send_html(res, 400,
                      pages::error("Redirect URI not registered",
                                   "redirect_uri must be exactly one of the app's registered redirect URLs."));
            return;
        }
        PendingAuthorization p;
        p.client_id = app->client_id;
        p.redirect_uri = redirect_uri;
        if (const auto state = query_value(params, "state")) p.state = *state;
        auto fail = [&](std::string_view error, std::string_view description) {
            send_redirect(res, error_redirect_url(s, p, error, description));
        };

        const auto response_type = query_value(params, "response_type");
        if (response_type && *response_type != "code") return fail("unsupported_response_type", "");
        if (!response_type && s.config.switches.require_response_type) return fail("invalid_request", "response_type");

        // PKCE (RFC 7636; mandatory for non-confidential apps, zaikio-hub.md §1.3).
        const std::string challenge = param(params, "code_challenge");
        const std::string method = param(params, "code_challenge_method");
        if (!challenge.empty()) {
            if (method != "S256" && method != "plain") return fail("invalid_request", "code_challenge_method");
            if (!is_pkce_value(challenge)) return fail("invalid_request", "code_challenge");
        } else if (!method.empty()) {
            return fail("invalid_request", "code_challenge");
        } else if (!app->confidential) {
            return fail("invalid_request", "code_challenge");
        }
        p.code_challenge = challenge;
        p.code_challenge_method = method;

        auto scopes = interactive_scopes(s, d, *app, param(params, "scope"));
        if (!scopes) return fail("invalid_scope", scopes.error());
        p.scopes = std::move(*scopes);

        const std::string prompt = param(params, "prompt");
        const bool pick_again = param(params, "force_login") == "1" || param(params, "force_login") == "true" ||
                                prompt == "select_account" || prompt == "login";
        p.force_consent = prompt == "consent";
        if (!pick_again) p.person_id = session_person(d, req);
        p.expires_at = now + s.config.pending_authorization_seconds;
        const std::string id = random_token(18);
        d.pending.emplace(id, std::move(p));
        advance(s, d, id, res, events);
    });
    s.webhooks.send(s.hub, events);
}

void authorize_continue(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note) {
    const auto parsed = request_params("", "", req.target);
    const std::string id = parsed ? param(*parsed, "pending") : "";
    if (parsed) note_params(note, *parsed);
    std::vector<EventToSend> events;
    s.hub.with([&](Data& d) {
        PendingAuthorization* p = pending_for(d, id, res);
        if (!p) return;
        // Only the browser that signed in may go on; anybody else starts at the sign-in page.
        if (p->person_id != session_person(d, req)) {
            p->person_id.clear();
            p->organization_id.clear();
            p->consented = false;
        }
        advance(s, d, id, res, events);
    });
    s.webhooks.send(s.hub, events);
}

namespace {

enum class Needs { anyone, signed_in };

// The common part of the pages' form posts: find the authorization the form names (error page
// if none), optionally check that it belongs to the person signed in in this browser (if not:
// back to its first page), handle Cancel, then run `step` under the Hub's lock.
template <class Step>
void form_step(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note, Needs needs,
               Step step) {
    const QueryParams params = form_params(req, note);
    const std::string id = param(params, "pending");
    std::vector<EventToSend> events;
    s.hub.with([&](Data& d) {
        PendingAuthorization* p = pending_for(d, id, res);
        if (!p) return;
        if (needs == Needs::signed_in && (p->person_id.empty() || p->person_id != session_person(d, req))) {
            send_redirect(res, "/oauth/authorize/continue?pending=" + id, 303);
            return;
        }
        if (param(params, "action") == "cancel" || param(params, "decision") == "cancel") {
            return finish_with_error(s, d, id, res, "access_denied", "");
        }
        step(d, *p, id, params, events);
    });
    s.webhooks.send(s.hub, events);
}

}  // namespace

void sign_in(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note) {
    form_step(s, req, res, note, Needs::anyone,
              [&](Data& d, PendingAuthorization& p, const std::string& id, const QueryParams& params, auto&) {
                  const Person* person = find_person(d, param(params, "person_id"));
                  if (!person) {
                      send_html(res, 400,
                                pages::error("Unknown person", "Choose one of the people listed on the sign-in page."));
                      return;
                  }
                  const std::string cookie = random_token(32);
                  d.sessions[sha256_hex(cookie)] = person->id;
                  res.set_header("Set-Cookie", session_cookie_header(s, cookie, false));
                  p.person_id = person->id;
                  p.organization_id.clear();
                  p.consented = false;
                  send_redirect(res, "/oauth/authorize/continue?pending=" + id, 303);
              });
}

void choose_organization(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note) {
    form_step(s, req, res, note, Needs::signed_in,
              [&](Data& d, PendingAuthorization& p, const std::string& id, const QueryParams& params, auto&) {
                  const std::string org = param(params, "organization_id");
                  if (!administers(d, p.person_id, org)) {
                      send_html(res, 403, pages::error("Not allowed",
                                                       "Only an owner or admin of an organisation can connect apps for it."));
                      return;
                  }
                  p.organization_id = org;
                  send_redirect(res, "/oauth/authorize/continue?pending=" + id, 303);
              });
}

void consent(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note) {
    form_step(s, req, res, note, Needs::signed_in,
              [&](Data& d, PendingAuthorization& p, const std::string& id, const QueryParams& params,
                  std::vector<EventToSend>& events) {
                  if (param(params, "decision") != "allow") {
                      send_html(res, 400, pages::error("Unknown decision", "Press Allow or Cancel."));
                      return;
                  }
                  p.consented = true;
                  advance(s, d, id, res, events);
              });
}

void sign_out(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    if (const auto value = cookie_value(req.get_header_value("Cookie"), session_cookie)) {
        s.hub.with([&](Data& d) { d.sessions.erase(sha256_hex(*value)); });
    }
    res.set_header("Set-Cookie", session_cookie_header(s, "", true));
    send_redirect(res, "/", 303);
}

void home(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote&) {
    std::string who;
    s.hub.with([&](Data& d) {
        if (const Person* p = find_person(d, session_person(d, req))) who = p->full_name() + " (" + p->email + ")";
    });
    send_html(res, 200, pages::home(who));
}

// =================================================================================================
// [SECTION] token endpoint
// =================================================================================================

namespace {

struct Minted {
    std::string claims;
    TokenResponse response;
};

// What the token endpoint answers: an error body, or tokens to sign once the lock is released.
struct Reply {
    int status = 200;
    std::string body;
    bool basic_challenge = false;
    std::optional<Minted> minted;
};

void oauth_error(Reply& r, int status, std::string_view error, std::string_view description) {
    ordered_json j;
    j["error"] = error;
    j["error_description"] = description;
    r.status = status;
    r.body = j.dump();
}

void invalid_client(const Services& s, Reply& r, std::string_view description) {
    oauth_error(r, s.config.switches.invalid_client_status, "invalid_client", description);
    r.basic_challenge = r.status == 401;
}

// {"errors":{"scopes":["<id>"]}}: the Hub's shape for client-credentials scope problems (§1.7).
void scopes_error(const Services& s, Reply& r, std::string_view id) {
    r.status = s.config.switches.cc_scope_error_status;
    r.body = ordered_json{{"errors", {{"scopes", {id}}}}}.dump();
}

// Records an access token (and a refresh token) for `g`; the JWT is signed later, unlocked.
Minted mint(Services& s, Data& d, const App& app, const Grant& g, bool with_refresh, const std::string& code_hash) {
    const std::int64_t now = unix_now();
    const std::string jti = random_uuid();
    const std::int64_t exp = now + d.lifetimes.access_token;
    std::vector<std::string> scope_texts;
    for (const auto& sc : g.scopes) scope_texts.push_back(format_scope(sc));
    Minted m;
    m.claims = access_token_claims(g.subject.jwt_sub(), app.name, jti, now, exp, s.base_url + "/api/v1/jwt_public_keys",
                                   scope_texts);
    m.response.token_type = "bearer";
    m.response.scopes = g.scopes;
    m.response.audiences = {app.name};
    m.response.expires_in = d.lifetimes.access_token;
    m.response.bearer = Bearer{g.subject.type, g.subject.id};
    IssuedToken issued{app.client_id, g.subject, g.connection_id, exp, ""};
    if (with_refresh) {
        const std::string value = random_token(32);
        s.requests.note_secret(value);
        issued.refresh_hash = sha256_hex(value);
        d.refresh_tokens[issued.refresh_hash] = RefreshToken{g, now + d.lifetimes.refresh_token, code_hash};
        m.response.refresh_token = value;
    }
    if (const auto code = d.codes.find(code_hash); !code_hash.empty() && code != d.codes.end()) {
        code->second.jtis.push_back(jti);
        if (with_refresh) code->second.refresh_hashes.push_back(issued.refresh_hash);
    }
    d.issued[jti] = std::move(issued);
    s.hub.changed();
    return m;
}

void authorization_code_grant(Services& s, Data& d, const App& app, const QueryParams& params, Reply& r,
                              std::vector<EventToSend>& events) {
    const std::string code = param(params, "code");
    if (code.empty()) return oauth_error(r, 400, "invalid_request", "code is required");
    const std::string hash = sha256_hex(code);
    const auto it = d.codes.find(hash);
    if (it == d.codes.end() || it->second.expires_at <= unix_now()) {
        return oauth_error(r, 400, "invalid_grant", "the authorization code is unknown or expired");
    }
    AuthCode& c = it->second;
    if (c.grant.client_id != app.client_id) {
        return oauth_error(r, 400, "invalid_grant", "the authorization code was issued to another client");
    }
    if (c.used) {
        // A replayed code may be a stolen one: revoke what it produced (RFC 6749 §4.1.2).
        for (const auto& jti : c.jtis) revoke_token(d, jti, events);
        for (const auto& h : c.refresh_hashes) d.refresh_tokens.erase(h);
        s.hub.changed();
        return oauth_error(r, 400, "invalid_grant",
                           "the authorization code was already used; tokens issued from it are revoked");
    }
    const std::string redirect_uri = param(params, "redirect_uri");
    if (!redirect_uri.empty() && redirect_uri != c.redirect_uri) {
        return oauth_error(r, 400, "invalid_grant", "redirect_uri differs from the one in the authorization request");
    }
    if (!c.code_challenge.empty()) {
        const std::string verifier = param(params, "code_verifier");
        if (verifier.empty()) return oauth_error(r, 400, "invalid_request", "code_verifier is required (PKCE)");
        const std::string derived = c.code_challenge_method == "S256" ? pkce_challenge(verifier) : verifier;
        if (!is_pkce_value(verifier) || !constant_time_equal(derived, c.code_challenge)) {
            return oauth_error(r, 400, "invalid_grant", "code_verifier does not match the code_challenge");
        }
    }
    if (const auto problem = grant_problem(d, c.grant, alias(s))) {
        return oauth_error(r, 400, "invalid_grant", "the grant no longer holds: " + *problem);
    }
    c.used = true;
    r.minted = mint(s, d, app, c.grant, true, hash);
}

void refresh_token_grant(Services& s, Data& d, const App* app, const QueryParams& params, Reply& r) {
    const std::string value = param(params, "refresh_token");
    if (value.empty()) return oauth_error(r, 400, "invalid_request", "refresh_token is required");
    const auto it = d.refresh_tokens.find(sha256_hex(value));
    if (it == d.refresh_tokens.end() || it->second.expires_at <= unix_now()) {
        return oauth_error(r, 400, "invalid_grant", "the refresh token is unknown, already used or expired");
    }
    const RefreshToken token = it->second;
    if (!app) {
        // Non-confidential apps refresh with the refresh token alone (§4.2).
        app = find_app(d, token.grant.client_id);
        if (!app || app->confidential) return invalid_client(s, r, "client authentication is required");
    } else if (token.grant.client_id != app->client_id) {
        return oauth_error(r, 400, "invalid_grant", "the refresh token was issued to another client");
    }
    d.refresh_tokens.erase(it);  // single use, whatever happens next
    s.hub.changed();
    if (const auto problem = grant_problem(d, token.grant, alias(s))) {
        return oauth_error(r, 400, "invalid_grant", "permissions changed since the token was issued: " + *problem);
    }
    r.minted = mint(s, d, *app, token.grant, true, token.code_hash);
}

void client_credentials_grant(Services& s, Data& d, const App& app, const QueryParams& params, Reply& r) {
    if (!app.confidential) {
        return oauth_error(r, 400, "unauthorized_client", "client credentials need a confidential client");
    }
    auto scopes = validate_request(param(params, "scope"), app.desired_scopes, Flow::client_credentials, alias(s),
                                   list_options(s));
    if (!scopes) return scopes_error(s, r, scope_error_id(scopes.error().error));
    for (const auto& sc : *scopes) {
        if (sc.kind == Scope::Kind::subscription) return scopes_error(s, r, "subscription_create_not_supported");
        if (sc.form == BearerForm::per_for_org) return scopes_error(s, r, "on_behalf_not_supported");
    }
    const Subject subject{scopes->front().bearer_type(), scopes->front().bearer_id};
    const std::string_view bearer_does_not_exist = scope_error_id(ScopeError::bearer_does_not_exist);
    if (!is_uuid(subject.id) || !subject_exists(d, subject)) return scopes_error(s, r, bearer_does_not_exist);
    // Only subjects connected to the app (§4.3); the Hub names an unconnected one like a missing one.
    const Connection* c = find_connection(d, app.client_id, subject);
    if (!c) return scopes_error(s, r, bearer_does_not_exist);
    const std::vector<Scope> granted = token_scopes(*scopes, subject.type);
    if (!covers_all(c->granted, granted, alias(s))) {
        return scopes_error(s, r, scope_error_id(ScopeError::ungranted_scope));
    }
    const Grant grant{app.client_id, subject, granted, "", c->id};
    r.minted = mint(s, d, app, grant, s.config.switches.client_credentials_refresh_token, "");
}

void device_code_grant(Services& s, Data& d, const App& app, const QueryParams& params, Reply& r) {
    const std::string device_code = param(params, "device_code");
    if (device_code.empty()) return oauth_error(r, 400, "invalid_request", "device_code is required");
    const auto it = d.devices.find(sha256_hex(device_code));
    if (it == d.devices.end() || it->second.client_id != app.client_id) {
        return oauth_error(r, 400, "invalid_grant", "the device_code is unknown");
    }
    DeviceAuthorization& a = it->second;
    const std::int64_t now = unix_now();
    const int status = s.config.switches.device_error_status;
    if (a.expires_at <= now) return oauth_error(r, status, "expired_token", "the device code expired");
    if (a.status == DeviceAuthorization::Status::denied) {
        d.devices.erase(it);
        return oauth_error(r, status, "access_denied", "the person declined");
    }
    if (a.status == DeviceAuthorization::Status::pending) {
        const bool too_soon = a.interval > 0 && a.last_poll > 0 && now - a.last_poll < a.interval;
        a.last_poll = now;
        if (too_soon) {
            a.interval += 5;  // RFC 8628 §3.5
            return oauth_error(r, status, "slow_down", "poll less often: interval is now " + std::to_string(a.interval));
        }
        return oauth_error(r, status, "authorization_pending", "the person has not decided yet");
    }
    const Grant grant = a.grant;
    d.devices.erase(it);
    if (const auto problem = grant_problem(d, grant, alias(s))) {
        return oauth_error(r, 400, "invalid_grant", "the grant no longer holds: " + *problem);
    }
    r.minted = mint(s, d, app, grant, true, "");
}

void send_reply(httplib::Response& res, const Reply& r) {
    send_json(res, r.status, r.body);
    res.set_header("Pragma", "no-cache");
    if (r.basic_challenge) res.set_header("WWW-Authenticate", "Basic realm=\"hubsim\"");
}

// A client's request to the token or device endpoint: its parameters (form, JSON or query) and
// the credentials it presents, by HTTP Basic or in the body (§1.5).
struct ClientRequest {
    QueryParams params;
    std::string client_id;
    std::optional<std::string> secret;
};

// Reads the request; on failure fills `r` with the error to send and returns nullopt.
std::optional<ClientRequest> read_client_request(const Services& s, const httplib::Request& req, RequestNote& note,
                                                 Reply& r) {
    note.content_type = media_type(req);
    auto parsed = request_params(req.get_header_value("Content-Type"), req.body, req.target);
    if (!parsed) {
        oauth_error(r, 400, "invalid_request", parsed.error().detail);
        return std::nullopt;
    }
    note_params(note, *parsed);
    ClientRequest c{std::move(*parsed), "", std::nullopt};
    c.client_id = param(c.params, "client_id");
    note.client_auth = "none";
    if (req.has_header("Authorization")) {
        const auto basic = parse_basic_authorization(req.get_header_value("Authorization"));
        if (!basic) {
            invalid_client(s, r, "the Authorization header is not valid HTTP Basic");
            return std::nullopt;
        }
        if (!c.client_id.empty() && c.client_id != basic->user) {
            oauth_error(r, 400, "invalid_request", "client_id differs from the HTTP Basic user");
            return std::nullopt;
        }
        c.client_id = basic->user;
        c.secret = basic->password;
        note.client_auth = "basic";
    } else if (query_value(c.params, "client_secret")) {
        c.secret = param(c.params, "client_secret");
        note.client_auth = "body";
    }
    note.client_id = c.client_id;
    return c;
}

}  // namespace

void token(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note) {
    Reply reply;
    const auto request = read_client_request(s, req, note, reply);
    if (!request) return send_reply(res, reply);
    const QueryParams& params = request->params;
    const std::string grant_type = param(params, "grant_type");
    note.grant_type = grant_type;

    const bool known = grant_type == "authorization_code" || grant_type == "refresh_token" ||
                       grant_type == "client_credentials" || grant_type == device_grant;
    if (grant_type.empty()) {
        oauth_error(reply, 400, "invalid_request", "grant_type is required");
        return send_reply(res, reply);
    }
    if (!known) {
        oauth_error(reply, 400, "unsupported_grant_type", "grant_type is not one the Hub supports");
        return send_reply(res, reply);
    }

    std::vector<EventToSend> events;
    s.hub.with([&](Data& d) {
        prune(d, unix_now());
        const App* app = nullptr;
        if (!request->client_id.empty()) {
            app = find_app(d, request->client_id);
            if (!app) return invalid_client(s, reply, "unknown client");
            if (request->secret) {
                if (!secret_matches(*app, *request->secret)) return invalid_client(s, reply, "wrong client credentials");
            } else if (app->confidential && grant_type != device_grant) {
                return invalid_client(s, reply, "client authentication is required");
            }
        } else if (grant_type != "refresh_token" || s.config.switches.public_refresh_requires_client_id) {
            return invalid_client(s, reply, "client_id is required");
        }
        if (grant_type == "authorization_code") authorization_code_grant(s, d, *app, params, reply, events);
        else if (grant_type == "refresh_token") refresh_token_grant(s, d, app, params, reply);
        else if (grant_type == "client_credentials") client_credentials_grant(s, d, *app, params, reply);
        else device_code_grant(s, d, *app, params, reply);
    });
    s.webhooks.send(s.hub, events);
    if (reply.minted) {
        TokenResponse& t = reply.minted->response;
        t.access_token = s.keys.sign(reply.minted->claims);
        s.requests.note_secret(t.access_token);
        if (note.wrong_bearer) t.bearer.id = random_uuid();
        reply.body = token_response_json(t);
    }
    send_reply(res, reply);
}

// =================================================================================================
// [SECTION] device flow
// =================================================================================================

namespace {

std::string random_user_code() {
    std::string digits;
    while (digits.size() < 8) {
        for (unsigned char b : random_bytes(16)) {
            if (b < 250 && digits.size() < 8) digits.push_back(static_cast<char>('0' + b % 10));
        }
    }
    return digits.substr(0, 4) + "-" + digits.substr(4);
}

}  // namespace

void device_authorization(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note) {
    Reply reply;
    const auto request = read_client_request(s, req, note, reply);
    if (!request) return send_reply(res, reply);
    s.hub.with([&](Data& d) {
        const std::int64_t now = unix_now();
        prune(d, now);
        const App* app = find_app(d, request->client_id);
        if (!app) return invalid_client(s, reply, "unknown client");
        if (request->secret && !secret_matches(*app, *request->secret)) {
            return invalid_client(s, reply, "wrong client credentials");
        }
        auto scopes = interactive_scopes(s, d, *app, param(request->params, "scope"));
        if (!scopes) return oauth_error(reply, 400, "invalid_scope", scopes.error());

        const std::string device_code = random_token(32);
        std::string user_code = random_user_code();
        const auto in_use = [&](const std::string& code) {
            return std::any_of(d.devices.begin(), d.devices.end(),
                               [&](const auto& entry) { return entry.second.user_code == code; });
        };
        while (in_use(user_code)) user_code = random_user_code();
        DeviceAuthorization a;
        a.client_id = app->client_id;
        a.scopes = std::move(*scopes);
        a.user_code = user_code;
        a.expires_at = now + d.lifetimes.device_code;
        a.interval = s.config.device_interval_seconds;
        d.devices[sha256_hex(device_code)] = std::move(a);

        const std::string uri = s.base_url + "/oauth/device";
        const std::string complete = uri + "?user_code=" + user_code;
        ordered_json j;
        j["device_code"] = device_code;
        j["user_code"] = user_code;
        j["verification_uri"] = uri;
        j["verification_uri_complete"] = complete;
        if (s.config.switches.device_url_aliases) {
            j["verification_url"] = uri;
            j["verification_url_complete"] = complete;
        }
        j["expires_in"] = d.lifetimes.device_code;
        j["interval"] = s.config.device_interval_seconds;
        reply.body = j.dump();
    });
    send_reply(res, reply);
}

void device_page(Services& s, const httplib::Request& req, httplib::Response& res, RequestNote& note) {
    const auto parsed = request_params("", "", req.target);
    if (parsed) note_params(note, *parsed);
    std::string typed = parsed ? param(*parsed, "user_code") : "";
    if (typed.empty()) return send_html(res, 200, pages::device_entry(""));
    std::string digits;
    for (char c : typed) {
        if (c >= '0' && c <= '9') digits.push_back(c);
    }
    const std::string user_code = digits.size() == 8 ? digits.substr(0, 4) + "-" + digits.substr(4) : "";
    std::vector<EventToSend> events;
    s.hub.with([&](Data& d) {
        const std::int64_t now = unix_now();
        const auto dev = std::find_if(d.devices.begin(), d.devices.end(), [&](const auto& entry) {
            return !user_code.empty() && entry.second.user_code == user_code &&
                   entry.second.status == DeviceAuthorization::Status::pending && entry.second.expires_at > now;
        });
        if (dev == d.devices.end()) {
            send_html(res, 400, pages::device_entry("That code is unknown or has expired. Check your device."));
            return;
        }
        note.client_id = dev->second.client_id;
        PendingAuthorization p;
        p.client_id = dev->second.client_id;
        p.scopes = dev->second.scopes;
        p.device_hash = dev->first;
        p.force_consent = true;  // the person must see what the device asks for
        p.person_id = session_person(d, req);
        p.expires_at = now + s.config.pending_authorization_seconds;
        const std::string id = random_token(18);
        d.pending.emplace(id, std::move(p));
        advance(s, d, id, res, events);
    });
    s.webhooks.send(s.hub, events);
}

}  // namespace zai::hubsim::oauth
