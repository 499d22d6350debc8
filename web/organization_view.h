// zai-connect dashboard — one organisation at /organizations/<id>: what zai-connect reads on the
// organisation's behalf (name, kinds, country, ...), the installation (who installed it and when,
// the granted scopes in words with the raw scope beside them, how fresh the access is — never a
// token), uninstall with a confirmation for owners and admins, install or reinstall, and clear
// words when the person is not a member or the app is not installed.
//
// describe_organization() is the pure view-model of GET /api/organizations/<id>; the page owns
// the requests (load, uninstall) and ignores answers for an organisation it no longer shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <zai/api.h>

#include "platform.h"
#include "route.h"
#include "session.h"
#include "ui.h"
#include "words.h"

namespace zai::web {

struct Detail {
    std::string label;
    std::string value;

    friend bool operator==(const Detail&, const Detail&) = default;
};

struct ScopeLine {
    std::string words;  // zai::describe_scope, or a fallback for a scope that does not parse
    std::string raw;    // as granted, e.g. "directory.organization.r"

    friend bool operator==(const ScopeLine&, const ScopeLine&) = default;
};

enum class OrganizationAction { none, install, reinstall, ask_an_admin };

struct OrganizationModel {
    std::string name;
    std::vector<std::string> roles;  // the person's, raw ids
    InstallationState state = InstallationState::not_installed;
    std::string state_text;          // one sentence on what the installation state means
    OrganizationAction action = OrganizationAction::none;
    bool can_uninstall = false;      // zai_core's rule (OrganizationView::can_uninstall)

    std::vector<Detail> data;        // read on the organisation's behalf; empty unless installed
    std::string data_problem;        // installed, but the read failed: why
    std::vector<Detail> installation;
    std::vector<ScopeLine> scopes;
    std::string freshness;           // the access's age and lifetime, never a token
};

OrganizationModel describe_organization(const api::OrganizationView& view);

class OrganizationPage {
public:
    OrganizationPage(Platform& platform, Router& router, Session& session)
        : platform_(platform), router_(router), session_(session) {}

    // The route now shows this organisation; the next draw() loads it (once the session is known).
    void open(std::string organization_id);
    void draw(Ui& ui);
    std::string title() const;

private:
    enum class Phase { idle, loading, loaded, not_member, failed };

    void load();
    void uninstall();
    void received(const HttpResponse& answer, bool after_uninstall);
    void draw_loaded(Ui& ui);
    void draw_installation(Ui& ui, float label_width);

    Platform& platform_;
    Router& router_;
    Session& session_;
    std::string id_;
    Phase phase_ = Phase::idle;
    bool loading_ = false;
    api::OrganizationView view_;
    OrganizationModel model_;
    std::optional<Failure> failure_;  // the last load or uninstall failed
    bool retry_uninstall_ = false;    // what "Try again" repeats
    bool confirming_ = false;         // the uninstall confirmation is open
    bool uninstalling_ = false;
    std::string notice_;              // outcome of the last action, for the status line
    std::string copy_note_;
    bool stale_ = false;              // open() asked for fresh data; draw() loads it
    unsigned request_ = 0;            // the latest request; answers to older ones are ignored
};

}  // namespace zai::web
