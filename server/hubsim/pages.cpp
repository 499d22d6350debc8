// hubsim — HTML pages (see pages.h).
#include "pages.h"

#include "http.h"

namespace zai::hubsim::pages {
namespace {

constexpr std::string_view style = R"(
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b2330}
main{max-width:34rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
.brand{color:#5a6675;font-size:.85rem;margin:0 0 1rem}
h1{font-size:1.4rem;margin:0 0 1rem}
ul{list-style:none;padding:0}
li{margin:.4rem 0}
.choices button{width:100%;text-align:left;padding:.6rem .8rem;border:1px solid #c5ccd6;border-radius:6px;background:#fff;font:inherit;cursor:pointer}
.choices button:hover,.choices button:focus{border-color:#0a6e5c;outline:2px solid #0a6e5c33}
.detail{display:block;color:#5a6675;font-size:.85rem}
.actions{display:flex;gap:.6rem;margin-top:1.2rem}
.actions button{padding:.5rem 1.2rem;border-radius:6px;font:inherit;cursor:pointer;border:1px solid #0a6e5c}
.primary{background:#0a6e5c;color:#fff}
.secondary{background:#fff;color:#0a6e5c}
code{background:#eef1f4;padding:0 .3rem;border-radius:3px;font-size:.85rem}
label{display:block;margin:.6rem 0 .2rem}
input[type=text]{font:inherit;padding:.4rem;width:12rem}
[role=alert]{color:#a3261b}
)";

std::string layout(std::string_view title, const std::string& body) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
           html_escape(title) + " · hubsim</title><style>" + std::string(style) +
           "</style></head><body><main><p class=\"brand\">hubsim · local Zaikio Hub for development</p><h1>" +
           html_escape(title) + "</h1>" + body + "</main></body></html>\n";
}

std::string hidden_pending(std::string_view pending) {
    return "<input type=\"hidden\" name=\"pending\" value=\"" + html_escape(pending) + "\">";
}

std::string choice_list(std::string_view name, const std::vector<Choice>& choices) {
    std::string out = "<ul class=\"choices\">";
    for (const auto& c : choices) {
        out += "<li><button type=\"submit\" name=\"" + std::string(name) + "\" value=\"" + html_escape(c.value) +
               "\">" + html_escape(c.label);
        if (!c.detail.empty()) out += " <span class=\"detail\">" + html_escape(c.detail) + "</span>";
        out += "</button></li>";
    }
    return out + "</ul>";
}

std::string cancel_button(std::string_view name, std::string_view value) {
    return "<div class=\"actions\"><button type=\"submit\" class=\"secondary\" name=\"" + std::string(name) +
           "\" value=\"" + std::string(value) + "\" formnovalidate>Cancel</button></div>";
}

}  // namespace

std::string error(std::string_view title, std::string_view message) {
    return layout(title, "<p role=\"alert\">" + html_escape(message) + "</p>");
}

std::string sign_in(std::string_view app, std::string_view pending, const std::vector<Choice>& people) {
    return layout("Sign in to continue to " + std::string(app),
                  "<p>Choose who you are. hubsim has no passwords: every seeded person can sign in.</p>"
                  "<form method=\"post\" action=\"/oauth/authorize/sign_in\">" +
                      hidden_pending(pending) + choice_list("person_id", people) + cancel_button("action", "cancel") +
                      "</form>");
}

std::string choose_organization(std::string_view app, std::string_view person, std::string_view pending,
                                const std::vector<Choice>& organizations) {
    std::string body = "<p>Signed in as " + html_escape(person) + ". Choose the organisation that connects " +
                       html_escape(app) + "; only organisations where you are owner or admin are listed.</p>";
    body += "<form method=\"post\" action=\"/oauth/authorize/organization\">" + hidden_pending(pending);
    if (organizations.empty()) {
        body += "<p role=\"alert\">You are not owner or admin of any organisation, so you cannot connect this app.</p>";
    } else {
        body += choice_list("organization_id", organizations);
    }
    body += cancel_button("action", "cancel") + "</form>";
    return layout("Choose an organisation", body);
}

std::string consent(std::string_view app, std::string_view subject, std::string_view pending,
                    const std::vector<Choice>& scopes) {
    std::string list = "<ul class=\"scopes\">";
    for (const auto& s : scopes) list += "<li>" + html_escape(s.label) + " <code>" + html_escape(s.detail) + "</code></li>";
    list += "</ul>";
    return layout("Allow " + std::string(app) + " access?",
                  "<p>" + html_escape(app) + " asks for access to " + html_escape(subject) + ":</p>" + list +
                      "<form method=\"post\" action=\"/oauth/authorize/consent\">" + hidden_pending(pending) +
                      "<div class=\"actions\"><button type=\"submit\" class=\"primary\" name=\"decision\" "
                      "value=\"allow\">Allow</button><button type=\"submit\" class=\"secondary\" name=\"decision\" "
                      "value=\"cancel\">Cancel</button></div></form>");
}

std::string device_entry(std::string_view problem) {
    std::string body;
    if (!problem.empty()) body += "<p role=\"alert\">" + html_escape(problem) + "</p>";
    body += "<form method=\"get\" action=\"/oauth/device\"><label for=\"user_code\">Code shown on your device</label>"
            "<input type=\"text\" id=\"user_code\" name=\"user_code\" inputmode=\"numeric\" autocomplete=\"off\" "
            "required><div class=\"actions\"><button type=\"submit\" class=\"primary\">Continue</button></div></form>";
    return layout("Connect a device", body);
}

std::string device_done(std::string_view app, bool approved) {
    return layout(approved ? "Device connected" : "Device not connected",
                  approved ? "<p role=\"status\">" + html_escape(app) +
                                 " on your device is now connected. You can close this page.</p>"
                           : "<p role=\"status\">You cancelled: the device gets no access.</p>");
}

std::string home(std::string_view signed_in_as) {
    std::string body =
        "<p>This is hubsim, a local stand-in for the Zaikio Hub: OAuth at <code>/oauth/authorize</code> and "
        "<code>/oauth/access_token</code>, the API under <code>/api/v1/</code>, device sign-in at "
        "<a href=\"/oauth/device\">/oauth/device</a>.</p>";
    if (signed_in_as.empty()) {
        body += "<p>Nobody is signed in.</p>";
    } else {
        body += "<p>Signed in as " + html_escape(signed_in_as) +
                ".</p><form method=\"post\" action=\"/oauth/sign_out\"><div class=\"actions\"><button type=\"submit\" "
                "class=\"secondary\">Sign out</button></div></form>";
    }
    return layout("hubsim", body);
}

}  // namespace zai::hubsim::pages
