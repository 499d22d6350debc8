// zai-connect — calls to the Hub.
#include "hub_client.h"

#include <chrono>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "http.h"
#include "zai/url.h"

namespace zai::connect {
namespace {

using Clock = std::chrono::steady_clock;

HubFailure failure(Errc code, int status, std::string detail) {
    HubFailure f;
    f.code = code;
    f.status = status;
    f.detail = std::move(detail);
    return f;
}

// A transport error: no HTTP answer at all.
HubFailure transport_failure(httplib::Error e, Clock::duration elapsed, int read_timeout_ms) {
    switch (e) {
        case httplib::Error::ConnectionTimeout:
            return failure(Errc::hub_timeout, 0, "connecting to the Hub timed out");
        case httplib::Error::Read:
            // A read error is either the read timeout or a dropped connection; only time tells.
            if (elapsed >= std::chrono::milliseconds(read_timeout_ms * 9 / 10)) {
                return failure(Errc::hub_timeout, 0, "the Hub did not answer in time");
            }
            return failure(Errc::hub_unavailable, 0, "the Hub closed the connection");
        case httplib::Error::SSLConnection:
        case httplib::Error::SSLLoadingCerts:
        case httplib::Error::SSLServerVerification:
            return failure(Errc::hub_unavailable, 0, "TLS with the Hub failed: " + httplib::to_string(e));
        default:
            return failure(Errc::hub_unavailable, 0, "cannot reach the Hub: " + httplib::to_string(e));
    }
}

// Classifies a non-2xx answer. OAuth errors ({"error": "..."}) and the Hub's scope errors
// ({"errors": {"scopes": [...]}}) are refusals; 5xx and 429 are the Hub's trouble, not ours.
HubFailure status_failure(int status, const std::string& body) {
    if (status == 429) return failure(Errc::hub_rate_limited, status, "the Hub is rate limiting");
    if (status >= 500) return failure(Errc::hub_unavailable, status, "the Hub answered " + std::to_string(status));
    HubFailure f = failure(Errc::hub_bad_response, status, "the Hub refused: " + std::to_string(status));
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_object()) {
        if (const auto e = j.find("error"); e != j.end() && e->is_string()) {
            f.oauth_error = e->get<std::string>().substr(0, 64);
        } else if (const auto es = j.find("errors"); es != j.end()) {
            // {"errors": ["invalid_jwt"]} (API) or {"errors": {"scopes": ["bearer_does_not_exist"]}}
            const auto& list = es->is_object() && es->contains("scopes") ? (*es)["scopes"] : *es;
            if (list.is_array() && !list.empty() && list[0].is_string()) f.oauth_error = list[0].get<std::string>().substr(0, 64);
        }
    }
    f.denied = status == 400 || status == 401 || status == 402 || status == 403;
    if (!f.oauth_error.empty()) f.detail += " (" + f.oauth_error + ")";
    return f;
}

std::string form_body(const std::vector<std::pair<std::string, std::string>>& form) { return build_query(form); }

}  // namespace

// A connection borrowed from the pool for one call; returned on destruction unless broken.
class HubClient::Lease {
public:
    explicit Lease(HubClient& hub) : hub_(hub) {
        std::unique_lock lock(hub_.pool_mutex_);
        hub_.pool_cv_.wait(lock, [&] { return !hub_.idle_.empty() || hub_.open_ < hub_.config_.hub_connections; });
        if (!hub_.idle_.empty()) {
            client_ = std::move(hub_.idle_.back());
            hub_.idle_.pop_back();
        } else {
            ++hub_.open_;
            lock.unlock();
            client_ = hub_.new_client();
        }
    }
    ~Lease() {
        std::lock_guard lock(hub_.pool_mutex_);
        if (broken_) {
            --hub_.open_;
        } else {
            hub_.idle_.push_back(std::move(client_));
        }
        hub_.pool_cv_.notify_one();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    httplib::Client& operator*() { return *client_; }
    void mark_broken() { broken_ = true; }

private:
    HubClient& hub_;
    std::unique_ptr<httplib::Client> client_;
    bool broken_ = false;
};

HubClient::HubClient(const Config& config) : config_(config) {
    basic_auth_ = basic_authorization(config.client_id, config.client_secret);
}

HubClient::~HubClient() = default;

std::unique_ptr<httplib::Client> HubClient::new_client() const {
    auto c = std::make_unique<httplib::Client>(config_.hub_url);
    c->set_keep_alive(true);
    c->set_tcp_nodelay(true);
    c->set_connection_timeout(config_.hub_connect_timeout_ms / 1000, (config_.hub_connect_timeout_ms % 1000) * 1000);
    c->set_read_timeout(config_.hub_read_timeout_ms / 1000, (config_.hub_read_timeout_ms % 1000) * 1000);
    c->set_write_timeout(config_.hub_read_timeout_ms / 1000, (config_.hub_read_timeout_ms % 1000) * 1000);
    c->set_follow_location(false);
    c->enable_server_certificate_verification(true);
    if (!config_.hub_ca_file.empty()) c->set_ca_cert_path(config_.hub_ca_file);
    return c;
}

std::string HubClient::authorize_url(const std::vector<std::pair<std::string, std::string>>& params) const {
    return config_.hub_url + "/oauth/authorize?" + build_query(params);
}

HubResult<HubClient::Response> HubClient::call(std::string_view method, const std::string& path,
                                               const std::string& authorization, const std::string& body,
                                               std::string_view content_type) {
    httplib::Headers headers{{"Accept", "application/json"}};
    if (!authorization.empty()) headers.emplace("Authorization", authorization);
    Lease lease(*this);
    const auto started = Clock::now();
    httplib::Result r = method == "GET"
                            ? (*lease).Get(path.c_str(), headers)
                            : (*lease).Post(path.c_str(), headers, body, std::string(content_type).c_str());
    if (!r) {
        lease.mark_broken();
        return Unexpected{transport_failure(r.error(), Clock::now() - started, config_.hub_read_timeout_ms)};
    }
    return Response{r->status, std::move(r->body)};
}

HubResult<TokenResponse> HubClient::token_request(const std::vector<std::pair<std::string, std::string>>& form) {
    auto r = call("POST", "/oauth/access_token", basic_auth_, form_body(form), "application/x-www-form-urlencoded");
    if (!r) return Unexpected{r.error()};
    if (r->status != 200) return Unexpected{status_failure(r->status, r->body)};
    auto token = parse_token_response(std::string_view(r->body));
    if (!token) return Unexpected{failure(Errc::hub_bad_response, 200, "token response: " + token.error().detail)};
    return std::move(*token);
}

HubResult<TokenResponse> HubClient::exchange_code(std::string_view code, std::string_view code_verifier) {
    return token_request({{"grant_type", "authorization_code"},
                          {"code", std::string(code)},
                          {"redirect_uri", config_.redirect_url},
                          {"code_verifier", std::string(code_verifier)}});
}

HubResult<TokenResponse> HubClient::refresh(std::string_view refresh_token) {
    return token_request({{"grant_type", "refresh_token"}, {"refresh_token", std::string(refresh_token)}});
}

HubResult<TokenResponse> HubClient::client_credentials(const std::vector<Scope>& scopes) {
    return token_request({{"grant_type", "client_credentials"}, {"scope", format_scope_list(scopes)}});
}

HubResult<std::string> HubClient::api_get(const std::string& path, std::string_view access_token) {
    auto r = call("GET", path, "Bearer " + std::string(access_token), {}, {});
    if (!r) return Unexpected{r.error()};
    if (r->status != 200) return Unexpected{status_failure(r->status, r->body)};
    return std::move(r->body);
}

HubResult<Person> HubClient::person(std::string_view access_token) {
    auto body = api_get("/api/v1/person", access_token);
    if (!body) return Unexpected{body.error()};
    auto p = parse_person(std::string_view(*body));
    if (!p) return Unexpected{failure(Errc::hub_bad_response, 200, "person: " + p.error().detail)};
    return std::move(*p);
}

HubResult<Organization> HubClient::organization(std::string_view access_token) {
    auto body = api_get("/api/v1/organization", access_token);
    if (!body) return Unexpected{body.error()};
    auto o = parse_organization(std::string_view(*body));
    if (!o) return Unexpected{failure(Errc::hub_bad_response, 200, "organization: " + o.error().detail)};
    return std::move(*o);
}

HubResult<bool> HubClient::revoke(std::string_view access_token) {
    auto r = call("POST", "/api/v1/revoked_access_tokens", "Bearer " + std::string(access_token), "{}", "application/json");
    if (!r) return Unexpected{r.error()};
    if (r->status != 200 && r->status != 201) return Unexpected{status_failure(r->status, r->body)};
    return true;
}

HubResult<std::string> HubClient::jwks() {
    auto r = call("GET", "/api/v1/jwt_public_keys", {}, {}, {});
    if (!r) return Unexpected{r.error()};
    if (r->status != 200) return Unexpected{status_failure(r->status, r->body)};
    return std::move(r->body);
}

}  // namespace zai::connect
