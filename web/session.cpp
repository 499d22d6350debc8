// zai-connect dashboard — the signed-in session.
#include "session.h"

#include <algorithm>
#include <utility>

#include <zai/url.h>

namespace zai::web {

SessionAnswer read_session_answer(const HttpResponse& answer) {
    SessionAnswer a;
    if (answer.status != 200) {
        a.failure = describe_failure(answer);
        a.kind = ends_session(a.failure) ? SessionAnswer::Kind::ended : SessionAnswer::Kind::failed;
        return a;
    }
    auto view = api::parse_session_view(answer.body);
    if (!view) {
        a.failure = unreadable_answer(view.error(), answer.status);
        return a;
    }
    if (view->authenticated && view->person) {
        a.kind = SessionAnswer::Kind::signed_in;
        a.view = std::move(*view);
    } else {
        a.kind = SessionAnswer::Kind::signed_out;
    }
    return a;
}

std::string login_path(std::string_view return_to) {
    return "/login?" + build_query({{"return_to", std::string(return_to.empty() ? "/" : return_to)}});
}

std::string install_path(std::optional<std::string_view> organization_id, std::string_view nonce) {
    QueryParams q;
    if (organization_id) q.emplace_back("organization_id", std::string(*organization_id));
    q.emplace_back("nonce", std::string(nonce));
    return "/install?" + build_query(q);
}

void Session::load() { request(false); }

void Session::request(bool passive) {
    const unsigned request = ++request_;
    loading_ = true;
    // A retry after a failed first load shows the loading view again, not the old error.
    if (phase_ == Phase::failed) phase_ = Phase::loading;
    // The Session lives as long as the App, so `this` outlives the request.
    platform_.http(HttpMethod::get, passive ? "/api/session?passive=1" : "/api/session", {},
                   [this, request, passive](const HttpResponse& answer) {
                       if (request != request_) return;
                       loading_ = false;
                       apply(read_session_answer(answer), passive);
                   });
}

void Session::apply(const SessionAnswer& answer, bool passive) {
    switch (answer.kind) {
    case SessionAnswer::Kind::signed_in:
        phase_ = Phase::signed_in;
        view_ = answer.view;
        notice_.clear();
        failure_.reset();
        ++revision_;
        check_after(std::max<std::int64_t>(view_.expires_in, 0) * 1000 + 1000);
        return;
    case SessionAnswer::Kind::signed_out:
        // Already signed out (a reload after signing out): keep the notice that says why.
        if (phase_ == Phase::signed_out) return;
        // Signed in a moment ago and now not: the session ended without a 401 (its cookie is gone).
        become_signed_out(phase_ == Phase::signed_in ? std::string(default_message(Errc::session_expired)) : "");
        return;
    case SessionAnswer::Kind::ended:
        ended(answer.failure);
        return;
    case SessionAnswer::Kind::failed:
        failure_ = answer.failure;
        if (phase_ != Phase::signed_in) {
            phase_ = Phase::failed;
        } else if (passive) {
            // A background check that failed says nothing about the session: check again later,
            // without a banner for something the person did not ask for.
            failure_.reset();
            check_after(retry_check_ms);
        }
        return;
    }
}

void Session::ended(const Failure& failure) {
    ++request_;  // answers to session requests still in flight are older than this
    loading_ = false;
    // A visitor who never signed in needs no notice; a session that ended does.
    const bool was_signed_in = phase_ == Phase::signed_in || failure.code == Errc::session_expired;
    become_signed_out(was_signed_in ? failure.message : "");
}

void Session::become_signed_out(std::string notice) {
    phase_ = Phase::signed_out;
    view_ = {};
    notice_ = std::move(notice);
    failure_.reset();
    ++check_;
    ++revision_;
}

void Session::sign_out(bool everywhere, std::function<void()> done) {
    signing_out_ = true;
    sign_out_failure_.reset();
    platform_.http(HttpMethod::post, everywhere ? "/logout?everywhere=1" : "/logout", "{}",
                   [this, everywhere, done = std::move(done)](const HttpResponse& answer) {
                       signing_out_ = false;
                       if (answer.status != 200) {
                           sign_out_failure_ = describe_failure(answer);
                           return;
                       }
                       ++request_;
                       loading_ = false;
                       become_signed_out(everywhere ? "You have signed out on all your devices." : "You have signed out.");
                       done();
                   });
}

void Session::update(const api::OrganizationRow& row) {
    for (auto& r : view_.organizations) {
        if (r.id == row.id && !(r == row)) {
            r = row;
            ++revision_;
        }
    }
}

void Session::check_after(std::int64_t ms) {
    const unsigned check = ++check_;
    // Browsers run a longer setTimeout at once; sessions are capped at 7 days anyway (R36).
    const auto delay = static_cast<int>(std::min<std::int64_t>(ms, 0x7fffffff));
    platform_.set_timer(delay, [this, check] {
        if (check == check_ && phase_ == Phase::signed_in) request(true);
    });
}

}  // namespace zai::web
