// zai-connect dashboard — one organisation.
#include "organization_view.h"

#include <algorithm>

#include <imgui.h>
#include <zai/scope.h>

namespace zai::web {
namespace {

std::string joined_labels(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) {
        if (!out.empty()) out += ", ";
        out += label_of(id);
    }
    return out;
}

std::string revoked_reason_text(std::string_view reason) {
    if (reason == "connection_revoked") return "The connection was removed in Zaikio.";
    if (reason == "refresh_denied") return "Zaikio refused to renew the access.";
    if (reason.empty()) return "Not given.";
    return label_of(reason) + ".";
}

std::string when(std::int64_t t, std::int64_t now) { return format_utc(t) + " (" + format_ago(t, now) + ")"; }

std::string freshness_text(const api::InstallationView& in, std::int64_t now) {
    std::string text;
    if (in.access_expires_at > now) {
        text = "The current access is valid for another " + format_duration(in.access_expires_at - now) + " (until " +
               format_utc(in.access_expires_at) + ").";
    } else {
        text = "zai-connect holds no current access right now; it gets a fresh one when it next reads.";
    }
    if (in.refreshed_at > 0) text += " Last renewed " + format_ago(in.refreshed_at, now) + ".";
    return text + " The tokens stay on the server; this page never receives them.";
}

// Failures worth repeating as they were: no answer, or the backend or Zaikio had trouble.
bool retryable(const Failure& f) { return f.status == 0 || f.status >= 500; }

}  // namespace

OrganizationModel describe_organization(const api::OrganizationView& v) {
    OrganizationModel m;
    const api::OrganizationRow& row = v.organization;
    const api::InstallationView& in = v.installation;
    m.name = row.name;
    m.roles = row.roles;
    m.state = in.state;
    m.can_uninstall = v.can_uninstall();
    switch (in.state) {
    case InstallationState::installed:
        m.state_text = "zai-connect is installed for " + row.name + " and reads the data below on its behalf.";
        break;
    case InstallationState::not_installed:
        m.state_text = "zai-connect is not installed for " + row.name + ", so it reads nothing there.";
        m.action = row.can_install() ? OrganizationAction::install : OrganizationAction::ask_an_admin;
        break;
    case InstallationState::revoked:
        m.state_text = "Access revoked: zai-connect can read nothing for " + row.name +
                       " until an owner or admin reinstalls it.";
        m.action = row.can_install() ? OrganizationAction::reinstall : OrganizationAction::ask_an_admin;
        break;
    }

    if (v.data) {
        const Organization& d = *v.data;
        m.data = {{"Name", d.name}, {"Slug", d.slug}, {"Kinds", joined_labels(d.kinds)}};
        if (d.country_code) m.data.push_back({"Country", *d.country_code});
        if (d.currency) m.data.push_back({"Currency", *d.currency});
        if (d.brand_color) m.data.push_back({"Brand colour", *d.brand_color});
        if (d.logo_url) m.data.push_back({"Logo", *d.logo_url});
    } else if (in.state == InstallationState::installed) {
        m.data_problem = "zai-connect could not read the organisation's data just now.";
        if (v.data_error) {
            m.data_problem += " " + std::string(default_message(*v.data_error)) + " (" + std::string(code_id(*v.data_error)) + ")";
        }
    }

    if (in.state != InstallationState::not_installed) {
        m.installation.push_back({"Installed by", in.installed_by.empty() ? "Unknown" : in.installed_by});
        if (in.installed_at > 0) m.installation.push_back({"Installed on", when(in.installed_at, v.server_time)});
    }
    if (in.state == InstallationState::revoked) {
        if (in.revoked_at > 0) m.installation.push_back({"Revoked on", when(in.revoked_at, v.server_time)});
        m.installation.push_back({"Reason", revoked_reason_text(in.revoked_reason)});
    }
    for (const auto& raw : in.granted_scopes) {
        auto scope = parse_scope(raw);
        m.scopes.push_back(ScopeLine{scope ? describe_scope(*scope) : "A permission zai-connect does not recognise", raw});
    }
    if (in.state == InstallationState::installed) m.freshness = freshness_text(in, v.server_time);
    return m;
}

void OrganizationPage::open(std::string organization_id) {
    if (organization_id != id_) {
        id_ = std::move(organization_id);
        phase_ = Phase::idle;
        view_ = {};
        model_ = {};
        failure_.reset();
        confirming_ = false;
        uninstalling_ = false;
        loading_ = false;
        notice_.clear();
        copy_note_.clear();
        ++request_;
    }
    stale_ = true;
}

std::string OrganizationPage::title() const {
    if (phase_ == Phase::loaded) return model_.name + " \u00B7 zai-connect";
    if (phase_ == Phase::not_member) return "No access \u00B7 zai-connect";
    return "Organisation \u00B7 zai-connect";
}

void OrganizationPage::load() {
    const unsigned request = ++request_;
    loading_ = true;
    failure_.reset();
    if (phase_ == Phase::idle || phase_ == Phase::failed) phase_ = Phase::loading;
    // The page lives as long as the App, so `this` outlives the request.
    platform_.http(HttpMethod::get, "/api/organizations/" + id_, {}, [this, request](const HttpResponse& answer) {
        if (request == request_) received(answer, false);
    });
}

void OrganizationPage::uninstall() {
    const unsigned request = ++request_;
    uninstalling_ = true;
    failure_.reset();
    notice_.clear();
    platform_.http(HttpMethod::post, "/api/organizations/" + id_ + "/uninstall", "{}",
                   [this, request](const HttpResponse& answer) {
                       if (request == request_) received(answer, true);
                   });
}

void OrganizationPage::received(const HttpResponse& answer, bool after_uninstall) {
    loading_ = false;
    uninstalling_ = false;
    if (answer.status == 200) {
        auto view = api::parse_organization_view(answer.body);
        if (view) {
            view_ = std::move(*view);
            model_ = describe_organization(view_);
            phase_ = Phase::loaded;
            confirming_ = false;
            session_.update(view_.organization);
            if (after_uninstall) notice_ = "zai-connect was uninstalled from " + model_.name + ".";
            return;
        }
        failure_ = unreadable_answer(view.error(), answer.status);
    } else {
        failure_ = describe_failure(answer);
    }
    if (ends_session(*failure_)) {
        session_.ended(*failure_);
        failure_.reset();
        phase_ = Phase::idle;
        stale_ = true;  // signed in again in place, it loads anew
        return;
    }
    if (failure_->code == Errc::not_a_member) {
        phase_ = Phase::not_member;
        failure_.reset();
        return;
    }
    retry_uninstall_ = after_uninstall && retryable(*failure_);
    if (phase_ != Phase::loaded) phase_ = Phase::failed;
}

void OrganizationPage::draw(Ui& ui) {
    if (stale_) {
        stale_ = false;
        load();
    }
    if (ui.link("\u2190 All organisations", "/")) router_.go("/");
    ui.gap(4.0f);

    switch (phase_) {
    case Phase::idle:
    case Phase::loading: {
        std::string name = "Organisation";
        for (const auto& r : session_.view().organizations) {
            if (r.id == id_) name = r.name;
        }
        ui.heading(name);
        ui.busy("Loading the organisation\u2026");
        return;
    }
    case Phase::not_member:
        ui.heading("No access to this organisation");
        ui.text(std::string(default_message(Errc::not_a_member)) +
                " Check the address, or open one of your organisations from the list.");
        ui.hint("Organisation id: " + id_);
        return;
    case Phase::failed:
        ui.heading("Organisation");
        ui.alert(failure_text(*failure_));
        if (ui.button("Try again", Ui::Look::secondary, "Try loading the organisation again")) load();
        return;
    case Phase::loaded: draw_loaded(ui); return;
    }
}

void OrganizationPage::draw_loaded(Ui& ui) {
    const OrganizationModel& m = model_;
    const float label_width = std::min(170.0f, ui.available_width() * 0.4f);
    ui.heading(m.name);
    for (const auto& role : m.roles) {
        const std::string label = label_of(role);
        ui.badge(label, may_install({role}) ? Ui::Tone::accent : Ui::Tone::neutral, "Role: " + label);
        ImGui::SameLine(0.0f, 6.0f);
    }
    const std::string_view state = installation_label(m.state);
    ui.badge(state,
             m.state == InstallationState::installed ? Ui::Tone::success
             : m.state == InstallationState::revoked ? Ui::Tone::danger
                                                     : Ui::Tone::neutral,
             "Installation: " + std::string(state));

    if (uninstalling_) {
        ui.busy("Uninstalling\u2026");
    } else if (loading_) {
        ui.busy("Updating\u2026");
    } else {
        ui.status(notice_);
    }
    if (failure_) {
        ui.alert(failure_text(*failure_));
        if (ui.button("Try again", Ui::Look::secondary, retry_uninstall_ ? "Try uninstalling again" : "Try loading again")) {
            retry_uninstall_ ? uninstall() : load();
        }
    }

    ui.text(m.state_text);
    const bool reinstall = m.action == OrganizationAction::reinstall;
    if (m.action == OrganizationAction::install || reinstall) {
        const std::string verb = reinstall ? "Reinstall" : "Install";
        if (ui.button(verb + " zai-connect", Ui::Look::primary, verb + " for " + m.name)) {
            platform_.leave_to(install_path(std::string_view(id_), session_.view().action_nonce));
        }
        ui.hint("Zaikio asks you to confirm what zai-connect may read, then brings you back here.");
    } else if (m.action == OrganizationAction::ask_an_admin) {
        ui.hint("Only an owner or admin of " + m.name + " can " +
                (m.state == InstallationState::revoked ? "reinstall" : "install") + " zai-connect. Ask one of them.");
    }

    if (m.state == InstallationState::installed) {
        ui.gap(8.0f);
        ui.heading("What zai-connect reads", 2);
        if (!m.data.empty()) {
            ui.hint("Read from Zaikio on the organisation's behalf when this page loaded.");
            for (const Detail& d : m.data) ui.detail(d.label, d.value, label_width);
        } else {
            ui.alert(m.data_problem);
            if (ui.button("Try again", Ui::Look::secondary, "Try reading the organisation's data again")) load();
        }
    }
    if (m.state != InstallationState::not_installed) {
        ui.gap(8.0f);
        ui.heading("Installation", 2);
        draw_installation(ui, label_width);
    }

    ui.gap(8.0f);
    ui.detail("Organisation id", id_, label_width);
    if (ui.button("Copy organisation id", Ui::Look::secondary)) {
        platform_.copy_text(id_, [this](bool ok) {
            copy_note_ = ok ? "Copied the organisation id." : "The browser did not allow copying.";
        });
    }
    ui.status(copy_note_);

    if (m.can_uninstall) {
        ui.gap(8.0f);
        ui.heading("Uninstall", 2);
        if (!confirming_) {
            ui.text("Uninstalling stops zai-connect from reading anything for " + m.name + ".");
            ui.begin_disabled(uninstalling_);
            if (ui.button("Uninstall\u2026", Ui::Look::secondary, "Uninstall from " + m.name)) confirming_ = true;
            ui.end_disabled();
        } else {
            ui.text("Uninstall zai-connect from " + m.name +
                    "? zai-connect forgets its access and asks Zaikio to revoke it. An owner or admin can install it "
                    "again later.");
            ui.begin_disabled(uninstalling_);
            if (ui.button("Yes, uninstall", Ui::Look::danger, "Yes, uninstall from " + m.name)) uninstall();
            ImGui::SameLine();
            if (ui.button("Cancel", Ui::Look::secondary, "Keep zai-connect installed")) confirming_ = false;
            ui.end_disabled();
        }
    }
}

void OrganizationPage::draw_installation(Ui& ui, float label_width) {
    const OrganizationModel& m = model_;
    for (const Detail& d : m.installation) ui.detail(d.label, d.value, label_width);
    if (!m.scopes.empty()) {
        ui.heading("Granted access", 3);
        ui.begin_list("Granted access");
        for (const ScopeLine& s : m.scopes) {
            ImGui::PushID(s.raw.c_str());
            ui.begin_item(s.words);
            // The raw scope beside its words when both fit on a line, under them otherwise.
            const float words_w = ui.text_width(s.words);
            const float raw_w = ui.text_width(s.raw);
            const float width = ui.available_width();
            if (words_w + 16.0f + raw_w <= width) {
                ui.label(s.words, width);
                ImGui::SameLine(0.0f, 16.0f);
                ui.label(s.raw, raw_w + 1.0f, Ui::Emphasis::muted);
            } else {
                ui.text(s.words);
                ui.hint(s.raw);
            }
            ui.end_item();
            ImGui::PopID();
        }
        ui.end_list();
    }
    if (!m.freshness.empty()) ui.text(m.freshness);
}

}  // namespace zai::web
