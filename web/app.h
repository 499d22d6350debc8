// zai-connect dashboard — the app: the page frame, routing, and which view draws.
//
// Views are members, created once and kept for the app's lifetime: a request's callback may
// capture its view, and a view keeps its state (filter text, scroll) across navigation. A view
// whose data depends on the route (issue 5: the organisation page) reloads when it notices a new
// route and ignores answers to older requests.
#pragma once

#include <string>

#include "home_view.h"
#include "not_found_view.h"
#include "platform.h"
#include "route.h"
#include "ui.h"

namespace zai::web {

class App {
public:
    explicit App(Platform& platform);

    void frame(Ui& ui);

private:
    Platform& platform_;
    Router router_;
    HomeView home_;
    NotFoundView not_found_;
    std::string title_;
};

}  // namespace zai::web
