// zai-connect dashboard — the view for a visitor who is not signed in (or whose session ended):
// what zai-connect is, and one "Sign in with Zaikio" action that comes back to the current path.
#pragma once

#include "platform.h"
#include "route.h"
#include "session.h"
#include "ui.h"

namespace zai::web {

class SignedOutView {
public:
    SignedOutView(Platform& platform, Router& router, Session& session)
        : platform_(platform), router_(router), session_(session) {}

    void draw(Ui& ui);

private:
    Platform& platform_;
    Router& router_;
    Session& session_;
};

}  // namespace zai::web
