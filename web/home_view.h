// zai-connect dashboard — the first screen: what zai-connect is, and a check that the backend
// answers (GET /api/session) and who is signed in.
//
// Split the way every view is: a view-model that is plain data plus pure functions (tested
// natively without ImGui), and a presenter that owns requests and draws through Ui.
#pragma once

#include <string>

#include "platform.h"
#include "ui.h"

namespace zai::web {

// View-model of the connection check.
struct ConnectionCheck {
    enum class State { idle, checking, signed_in, signed_out, failed };

    State state = State::idle;
    std::string message;    // the status line
    std::string person_id;  // signed_in: what "Copy person id" copies
};

// What the check says about an answer to GET /api/session.
ConnectionCheck describe_session_answer(const HttpResponse& answer);

class HomeView {
public:
    explicit HomeView(Platform& platform) : platform_(platform) {}

    void draw(Ui& ui);
    const ConnectionCheck& check() const { return check_; }

private:
    void start_check();

    Platform& platform_;
    ConnectionCheck check_;
    std::string copy_note_;
    unsigned request_ = 0;  // the latest check; answers to older ones are ignored
};

}  // namespace zai::web
