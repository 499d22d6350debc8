// zai-connect dashboard — the first screen.
#include "home_view.h"

#include <zai/api.h>
#include <zai/error.h>

namespace zai::web {

ConnectionCheck describe_session_answer(const HttpResponse& answer) {
    ConnectionCheck c;
    c.state = ConnectionCheck::State::failed;
    if (answer.status == 0) {
        c.message = "No answer from the backend. Check that zai-connect is running, then try again.";
        return c;
    }
    if (answer.status != 200) {
        // The dashboard's wording for each stable code comes from zai_core, not from the server.
        const Error e = api::parse_error(answer.body);
        c.message = std::string(default_message(e.code)) + " (HTTP " + std::to_string(answer.status) + ")";
        return c;
    }
    auto session = api::parse_session_view(answer.body);
    if (!session) {
        c.message = "The backend sent an answer the dashboard could not read.";
        return c;
    }
    if (session->authenticated && session->person) {
        c.state = ConnectionCheck::State::signed_in;
        c.message = "Connected. Signed in as " + session->person->full_name + ".";
        c.person_id = session->person->id;
    } else {
        c.state = ConnectionCheck::State::signed_out;
        c.message = "Connected. You are not signed in.";
    }
    return c;
}

void HomeView::start_check() {
    const unsigned request = ++request_;
    check_ = ConnectionCheck{ConnectionCheck::State::checking, {}, {}};
    copy_note_.clear();
    // HomeView lives as long as the App, so `this` outlives the request.
    platform_.http(HttpMethod::get, "/api/session", {}, [this, request](const HttpResponse& answer) {
        if (request == request_) check_ = describe_session_answer(answer);
    });
}

void HomeView::draw(Ui& ui) {
    ui.heading("zai-connect");
    ui.text("Connects your Zaikio organisations to this app: sign in with Zaikio, install the app for an "
            "organisation, and see what it may read there.");
    ui.gap(4.0f);

    const bool checking = check_.state == ConnectionCheck::State::checking;
    ui.begin_disabled(checking);
    if (ui.button("Check connection")) start_check();
    ui.end_disabled();

    // A failure is an alert (announced at once); anything else a polite status.
    if (checking) {
        ui.busy("Checking the connection…");
    } else if (check_.state == ConnectionCheck::State::failed) {
        ui.alert(check_.message);
    } else {
        ui.status(check_.message);
    }
    if (check_.state == ConnectionCheck::State::signed_in) {
        if (ui.button("Copy person id", Ui::Look::secondary)) {
            platform_.copy_text(check_.person_id, [this](bool ok) {
                copy_note_ = ok ? "Copied the person id." : "The browser did not allow copying.";
            });
        }
        ui.status(copy_note_);
    }
}

}  // namespace zai::web
