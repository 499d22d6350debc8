// zai-connect dashboard — the app: the page frame, routing, the session, and which view draws.
//
// Views are members, created once and kept for the app's lifetime: a request's callback may
// capture its view, and a view keeps its state (filter text, sort order, scroll) across
// navigation. On each route change the app tells the view for the new route (the dashboard's list
// is reloaded in the background, an organisation is loaded anew); the session is loaded once at
// start and whenever the dashboard is entered.
//
// What shows, in order: an unknown path → not found; the session still loading → a busy line;
// it failed → an error banner with retry; signed out (or the session ended) → the sign-in view
// for the current path; signed in → the page header (brand, person, sign out) and the route's view.
#pragma once

#include <cstdint>
#include <string>

#include "dashboard_view.h"
#include "not_found_view.h"
#include "organization_view.h"
#include "platform.h"
#include "route.h"
#include "session.h"
#include "signed_out_view.h"
#include "ui.h"

namespace zai::web {

class App {
public:
    explicit App(Platform& platform);

    void frame(Ui& ui);

private:
    void enter_route();
    std::string title() const;
    void draw_header(Ui& ui);
    void draw_page(Ui& ui);

    Platform& platform_;
    Router router_;
    Session session_;
    SignedOutView signed_out_;
    DashboardView dashboard_;
    OrganizationPage organization_;
    NotFoundView not_found_;
    std::uint64_t entered_ = 0;  // the router generation the views were last told about
    std::string title_;
};

}  // namespace zai::web
