// zai-connect — the OAuth flows (see flows.h).
#include "flows.h"

#include <httplib.h>

#include "crypto.h"
#include "edge.h"
#include "zai/url.h"
#include "zai/uuid.h"

namespace zai::connect {
namespace {

std::string param(const httplib::Request& req, const char* name) {
    return req.has_param(name) ? req.get_param_value(name) : std::string{};
}

// A flow cookie we issued is 43 base64url characters; anything else is replaced.
bool plausible_browser_id(const std::string& v) {
    return v.size() == 43 && v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
                                 std::string::npos;
}

std::vector<std::string> formatted(const std::vector<Scope>& scopes) {
    std::vector<std::string> out;
    for (const auto& s : scopes) out.push_back(format_scope(s));
    return out;
}

bool is_error_id(std::string_view s) {
    return !s.empty() && s.size() <= 64 && s.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos;
}

}  // namespace

Flows::Flows(Store& store, Sessions& sessions, Grants& grants, HubClient& hub, const Config& config, Metrics& metrics)
    : store_(store), sessions_(sessions), grants_(grants), hub_(hub), config_(config), metrics_(metrics) {}

void Flows::reject(httplib::Response& res, Errc code, std::string_view reason, std::string_view message) {
    metrics_.count("zai_flow_rejects_total", "reason=\"" + std::string(code_id(code)) + "\"");
    log_line("flow rejected: " + std::string(code_id(code)) + " (" + std::string(reason) + ")");
    send_error_page(res, code, message);
}

void Flows::start(const httplib::Request& req, httplib::Response& res, Transaction t, const std::vector<Scope>& scopes) {
    const std::string state = random_token(32);
    const std::string verifier = random_token(32);
    std::string browser = cookie_value(req, flow_cookie_name).value_or("");
    if (!plausible_browser_id(browser)) browser = random_token(32);

    t.state_hash = sha256_hex(state);
    t.browser_hash = sha256_hex(browser);
    t.code_verifier = verifier;
    t.created_at = unix_now();
    store_.put_transaction(t, config_.max_pending_transactions);

    res.set_header("Set-Cookie", cookie_header(flow_cookie_name, browser, "Lax", config_.transaction_seconds));
    set_no_store(res);
    res.set_redirect(hub_.authorize_url({{"client_id", config_.client_id},
                                         {"redirect_uri", config_.redirect_url},
                                         {"response_type", "code"},
                                         {"scope", format_scope_list(scopes)},
                                         {"state", state},
                                         {"code_challenge", pkce_challenge(verifier)},
                                         {"code_challenge_method", "S256"}}),
                     302);
    metrics_.count("zai_flow_starts_total", t.intent == Intent::sign_in ? R"(intent="sign_in")" : R"(intent="install")");
}

void Flows::login(const httplib::Request& req, httplib::Response& res) {
    std::string return_to = param(req, "return_to");
    if (return_to.empty()) return_to = "/";
    if (!is_safe_return_path(return_to)) return reject(res, Errc::invalid_return_path, "login return_to");
    Transaction t;
    t.intent = Intent::sign_in;
    t.return_path = std::move(return_to);
    start(req, res, std::move(t), config_.person_scopes);
}

void Flows::install(const httplib::Request& req, httplib::Response& res) {
    auto lookup = sessions_.find(req);
    if (lookup.found != Sessions::Found::live) return reject(res, Errc::unauthenticated, "install without a session");
    Session& session = *lookup.session;
    if (!constant_time_equal(param(req, "nonce"), session.action_nonce)) {
        return reject(res, Errc::forbidden, "install without the session's nonce");
    }
    const std::string organization_id = param(req, "organization_id");
    if (!organization_id.empty() && !is_uuid(organization_id)) {
        return reject(res, Errc::invalid_organization_id, "install organization_id");
    }
    // The browser's word is not enough: ask the Hub who this person administers now (R7).
    auto rows = sessions_.organizations(session, /*fresh=*/true);
    if (!rows) return reject(res, rows.error().code, "install membership check");
    bool allowed = false;
    bool member = organization_id.empty();
    for (const auto& row : *rows) {
        if (organization_id.empty() ? row.can_install() : row.id == organization_id) {
            member = true;
            allowed = row.can_install();
            if (allowed) break;
        }
    }
    if (!member) return reject(res, Errc::not_a_member, "install for a foreign organisation");
    if (!allowed) return reject(res, Errc::not_an_admin, "install by a non-admin");

    auto scopes = install_scopes(organization_id.empty() ? std::nullopt : std::optional<std::string_view>(organization_id),
                                 config_.organization_scopes);
    if (!scopes) return reject(res, Errc::internal, scopes.error().reason);

    Transaction t;
    t.intent = Intent::install;
    t.organization_id = organization_id;
    t.session_hash = session.id_hash;
    t.person_id = session.person_id;
    t.return_path = organization_id.empty() ? "/" : "/organizations/" + organization_id;
    start(req, res, std::move(t), *scopes);
}

void Flows::callback(const httplib::Request& req, httplib::Response& res) {
    const std::string state = param(req, "state");
    if (state.empty() || state.size() > 256) return reject(res, Errc::flow_state_missing, "callback without state");

    // Taken (deleted) before anything else: a replay finds nothing (R13).
    auto t = store_.take_transaction(sha256_hex(state));
    if (!t) return reject(res, Errc::flow_state_unknown, "no transaction for this state");
    const auto browser = cookie_value(req, flow_cookie_name);
    if (!browser || !constant_time_equal(sha256_hex(*browser), t->browser_hash)) {
        return reject(res, Errc::flow_state_unknown, "transaction of another browser");
    }
    if (unix_now() - t->created_at > config_.transaction_seconds) return reject(res, Errc::flow_expired, "transaction expired");

    if (const std::string error = param(req, "error"); !error.empty()) {
        if (error == "access_denied") return reject(res, Errc::flow_denied, "access_denied");
        // The description is the Hub's scope error id at best; shown escaped, never as markup (R16).
        const std::string description = param(req, "error_description");
        std::string message(default_message(Errc::flow_hub_error));
        if (is_error_id(error)) message += " (" + error + (is_error_id(description) ? ": " + description : "") + ")";
        return reject(res, Errc::flow_hub_error, is_error_id(error) ? error : "hub error", message);
    }
    const std::string code = param(req, "code");
    if (code.empty() || code.size() > 2048) return reject(res, Errc::bad_request, "callback without code");

    auto token = hub_.exchange_code(code, t->code_verifier);
    if (!token) {
        const auto& f = token.error();
        // A refused code is not retried automatically: the page offers a fresh start (R21).
        return reject(res, f.denied ? Errc::flow_code_rejected : f.code, f.detail);
    }
    if (t->intent == Intent::sign_in) return finish_sign_in(req, res, *t, *token);
    finish_install(res, *t, *token);
}

void Flows::discard(const TokenResponse& token) {
    if (!hub_.revoke(token.access_token)) metrics_.count("zai_revocation_failures_total");
}

void Flows::finish_sign_in(const httplib::Request& req, httplib::Response& res, const Transaction& t,
                           const TokenResponse& token) {
    if (token.bearer.type != BearerType::person) {
        discard(token);
        return reject(res, Errc::flow_bearer_mismatch, "sign-in yielded a non-person token");
    }
    const std::int64_t now = unix_now();
    auto tokens = grants_.accept(token, now);
    if (!tokens) return reject(res, tokens.error().code, tokens.error().detail);
    auto person = hub_.person(token.access_token);
    if (!person) return reject(res, person.error().code, person.error().detail);
    if (person->id != token.bearer.id) {
        discard(token);
        return reject(res, Errc::flow_bearer_mismatch, "/person is not the token's bearer");
    }
    const std::string value =
        sessions_.start(*person, *tokens, formatted(config_.person_scopes), cookie_value(req, session_cookie_name));
    res.set_header("Set-Cookie", sessions_.cookie_for(value));
    set_no_store(res);
    res.set_redirect(t.return_path, 303);
}

void Flows::finish_install(httplib::Response& res, const Transaction& t, const TokenResponse& token) {
    if (token.bearer.type != BearerType::organization ||
        (!t.organization_id.empty() && token.bearer.id != t.organization_id)) {
        discard(token);
        return reject(res, Errc::flow_bearer_mismatch, "install yielded a token for another bearer");
    }
    auto session = store_.find_session(t.session_hash);
    if (!session) {
        discard(token);
        return reject(res, Errc::session_expired, "install finished after the session ended");
    }
    if (t.organization_id.empty()) {
        // The Hub let the person choose: it must be an organisation they administer (R20).
        auto rows = sessions_.organizations(*session, /*fresh=*/true);
        if (!rows) return reject(res, rows.error().code, "install membership check");
        bool admin = false;
        for (const auto& row : *rows) admin = admin || (row.id == token.bearer.id && row.can_install());
        if (!admin) {
            discard(token);
            return reject(res, Errc::flow_bearer_mismatch, "chosen organisation is not administered by the person");
        }
    }
    const std::int64_t now = unix_now();
    auto tokens = grants_.accept(token, now);
    if (!tokens) return reject(res, tokens.error().code, tokens.error().detail);
    auto requested = install_scopes(std::string_view(token.bearer.id), config_.organization_scopes);
    if (!requested) return reject(res, Errc::internal, requested.error().reason);

    Installation installation;
    installation.organization_id = token.bearer.id;
    installation.state = InstallationState::installed;
    installation.installed_by_person_id = session->person_id;
    installation.installed_by_name = session->person_name;
    installation.installed_at = now;
    installation.requested_scopes = *requested;
    installation.granted_scopes = token.scopes;

    Grant grant;
    grant.id = organization_grant_id(token.bearer.id);
    grant.bearer_type = BearerType::organization;
    grant.bearer_id = token.bearer.id;
    grant.tokens = std::move(*tokens);
    grant.requested_scopes = formatted(*requested);
    grant.refreshed_at = now;

    store_.install(installation, grant);
    metrics_.count("zai_installs_total");
    log_line("installed for organization " + token.bearer.id + " by person " + session->person_id);
    set_no_store(res);
    res.set_redirect("/organizations/" + token.bearer.id, 303);
}

void Flows::logout(const httplib::Request& req, httplib::Response& res) {
    if (!has_api_header(req)) return send_error(res, Errc::csrf_header_missing);  // R49
    auto lookup = sessions_.find(req, /*slide=*/false);
    if (lookup.found == Sessions::Found::live) {
        sessions_.end(*lookup.session, param(req, "everywhere") == "1");
    }
    res.set_header("Set-Cookie", sessions_.clearing_cookie());
    send_json(res, 200, R"({"signed_out":true})");
}

}  // namespace zai::connect
