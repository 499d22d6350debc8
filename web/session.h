// zai-connect dashboard — who is signed in: GET /api/session, kept for every view.
//
// One Session lives in the App. Views read it (the person, their organisations with roles and
// installation state, the action nonce the backend wants on /install), tell it when one of their
// requests found the session gone (401), and update an organisation's row when they learn a
// fresher one. Split like every view: read_session_answer() is the pure part, tested natively;
// the class owns requests and the expiry check.
//
// Expiry: the backend says how long the session has left (`expires_in`). When that time has
// passed, the Session asks again with `?passive=1`, which does not extend the idle timer
// (security.md R42): a session that really ended answers 401 and the app shows the sign-in view
// for the current path; one that was used meanwhile (another tab) reports its new lifetime.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <zai/api.h>

#include "platform.h"
#include "words.h"

namespace zai::web {

// What an answer to GET /api/session means.
struct SessionAnswer {
    enum class Kind { signed_in, signed_out, ended, failed };

    Kind kind = Kind::failed;
    api::SessionView view;  // signed_in
    Failure failure;        // ended (401: session_expired or unauthenticated) and failed
};

SessionAnswer read_session_answer(const HttpResponse& answer);

// Where the app sends the browser to sign in and come back to `return_to` (a path of this app).
std::string login_path(std::string_view return_to);
// Where it sends an owner or admin to install: for one organisation, or (no id) for one the Hub
// lets them choose. `nonce` is the session's action_nonce (security.md R50).
std::string install_path(std::optional<std::string_view> organization_id, std::string_view nonce);

class Session {
public:
    enum class Phase { loading, signed_out, signed_in, failed };

    // Wait after a failed expiry check before the next one.
    static constexpr int retry_check_ms = 60000;

    explicit Session(Platform& platform) : platform_(platform) {}

    // (Re)loads the session. While signed in the current data stays in place until the answer;
    // a retry after a failed first load is back in the loading phase.
    void load();
    // A view's request was answered 401: the session is gone. Shows the sign-in view; for an
    // expired session (not for a visitor who never signed in) with a notice saying so.
    void ended(const Failure& failure);
    // POST /logout (everywhere: all of the person's sessions). `done` runs after success.
    void sign_out(bool everywhere, std::function<void()> done);
    // A view read a fresher row for one of the organisations (e.g. after an uninstall).
    void update(const api::OrganizationRow& row);

    Phase phase() const { return phase_; }
    bool loading() const { return loading_; }
    const api::SessionView& view() const { return view_; }
    // Signed out: why, when there is something to say ("Your session has ended. ...").
    const std::string& notice() const { return notice_; }
    // Phase failed: why. Signed in: the last reload failed (the data shown is older).
    const std::optional<Failure>& failure() const { return failure_; }
    bool signing_out() const { return signing_out_; }
    const std::optional<Failure>& sign_out_failure() const { return sign_out_failure_; }
    // Changes whenever view() does, so views can cache what they derive from it.
    std::uint64_t revision() const { return revision_; }

private:
    void request(bool passive);
    void apply(const SessionAnswer& answer, bool passive);
    void become_signed_out(std::string notice);
    void check_after(std::int64_t ms);

    Platform& platform_;
    Phase phase_ = Phase::loading;
    bool loading_ = false;
    api::SessionView view_;
    std::string notice_;
    std::optional<Failure> failure_;
    bool signing_out_ = false;
    std::optional<Failure> sign_out_failure_;
    std::uint64_t revision_ = 0;
    unsigned request_ = 0;  // the latest session request; answers to older ones are ignored
    unsigned check_ = 0;    // the latest expiry check timer; older ones do nothing
};

}  // namespace zai::web
