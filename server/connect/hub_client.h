// zai-connect — every call to the Zaikio Hub (or hubsim: only the base URL differs).
//
// Token endpoint calls use HTTP Basic client authentication with id and secret form-encoded
// first (RFC 6749 §2.3.1, R17, R35) and form bodies; API calls send the bearer token. Calls go
// over a small pool of keep-alive connections (TCP_NODELAY, timeouts from Config), TLS verified
// against the system CAs plus HUB_CA_FILE (R18). Every failure is a HubFailure value.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "config.h"
#include "zai/error.h"
#include "zai/expected.h"
#include "zai/model.h"
#include "httplib_fwd.h"

namespace zai::connect {

struct HubFailure {
    Errc code = Errc::hub_unavailable;  // hub_unavailable, hub_timeout, hub_bad_response, hub_rate_limited
    int status = 0;                     // the HTTP status, 0 when there was no response
    bool denied = false;                // the Hub answered and refused (OAuth error, 401/403)
    std::string oauth_error;            // "invalid_grant", ... from the token endpoint
    std::string detail;                 // for logs: never contains a token, code or secret
};

template <class T>
using HubResult = Expected<T, HubFailure>;

class HubClient {
public:
    explicit HubClient(const Config& config);
    ~HubClient();
    HubClient(const HubClient&) = delete;
    HubClient& operator=(const HubClient&) = delete;

    // The URL a browser is sent to (no I/O). `params` are client_id, redirect_uri, scope, state,
    // code_challenge...
    std::string authorize_url(const std::vector<std::pair<std::string, std::string>>& params) const;

    HubResult<TokenResponse> exchange_code(std::string_view code, std::string_view code_verifier);
    HubResult<TokenResponse> refresh(std::string_view refresh_token);
    HubResult<TokenResponse> client_credentials(const std::vector<Scope>& scopes);

    HubResult<Person> person(std::string_view access_token);
    HubResult<Organization> organization(std::string_view access_token);
    // POST /api/v1/revoked_access_tokens with the token itself (zaikio-hub.md §5.4).
    HubResult<bool> revoke(std::string_view access_token);
    // GET /api/v1/jwt_public_keys: the raw JSON.
    HubResult<std::string> jwks();

private:
    struct Response {
        int status = 0;
        std::string body;
    };
    class Lease;

    HubResult<Response> call(std::string_view method, const std::string& path, const std::string& authorization,
                             const std::string& body, std::string_view content_type);
    HubResult<TokenResponse> token_request(const std::vector<std::pair<std::string, std::string>>& form);
    HubResult<std::string> api_get(const std::string& path, std::string_view access_token);
    std::unique_ptr<httplib::Client> new_client() const;

    const Config& config_;
    std::string basic_auth_;  // "Basic <base64(id:secret)>"

    std::mutex pool_mutex_;
    std::condition_variable pool_cv_;
    std::vector<std::unique_ptr<httplib::Client>> idle_;
    int open_ = 0;
};

}  // namespace zai::connect
