// hubsim — the Hub's HTML pages: sign in (pick a seeded person), choose an organisation,
// consent, device code entry, errors.
//
// Plain HTML without scripts: every control is a labelled input or a named <button> inside a
// form, so a browser test can click by accessible name and a plain HTTP client can POST the same
// fields. Every value written into a page is HTML-escaped here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zai::hubsim::pages {

// One button in a list: `value` is what the form posts, `label` its accessible name, `detail`
// a second line (e-mail, role, raw scope).
struct Choice {
    std::string value;
    std::string label;
    std::string detail;
};

std::string error(std::string_view title, std::string_view message);
// POST /oauth/authorize/sign_in {pending, person_id | action=cancel}
std::string sign_in(std::string_view app, std::string_view pending, const std::vector<Choice>& people);
// POST /oauth/authorize/organization {pending, organization_id | action=cancel}
std::string choose_organization(std::string_view app, std::string_view person, std::string_view pending,
                                const std::vector<Choice>& organizations);
// POST /oauth/authorize/consent {pending, decision=allow|cancel}; scopes: label = description,
// detail = the scope as requested.
std::string consent(std::string_view app, std::string_view subject, std::string_view pending,
                    const std::vector<Choice>& scopes);
// GET /oauth/device?user_code=…; `problem` is shown above the form when not empty.
std::string device_entry(std::string_view problem);
std::string device_done(std::string_view app, bool approved);
// GET /: what this is, who is signed in, a sign-out button.
std::string home(std::string_view signed_in_as);

}  // namespace zai::hubsim::pages
