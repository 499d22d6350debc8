// Fuzz target: the Hub's person, organisation and membership JSON (zai::parse_person,
// parse_organization, parse_memberships in zai/model.h). Every input goes through all three.
//
// Oracles:
//  - the text readers and the JSON-value readers agree;
//  - accepted: every id the app keys on is a UUID (person, memberships, organisations);
//    a person's `organization_memberships` read on their own give the same list;
//  - an accepted organisation survives the dashboard API's writer and reader (it travels as
//    OrganizationView.data from zai-connect to the dashboard);
//  - refused: one of the four parse codes with a non-empty detail.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "zai/api.h"
#include "zai/model.h"
#include "zai/uuid.h"

namespace {

using nlohmann::json;

template <class T>
void check_refusal(const zai::Expected<T, zai::Error>& r) {
    if (r) return;
    const zai::Errc c = r.error().code;
    ZAI_FUZZ_CHECK(c == zai::Errc::invalid_json || c == zai::Errc::wrong_type || c == zai::Errc::missing_member ||
                   c == zai::Errc::invalid_value);
    ZAI_FUZZ_CHECK(!r.error().detail.empty());
}

template <class T>
void check_same(const zai::Expected<T, zai::Error>& a, const zai::Expected<T, zai::Error>& b) {
    ZAI_FUZZ_CHECK(a.has_value() == b.has_value());
    if (a) ZAI_FUZZ_CHECK(*a == *b);
}

void check_organization(const zai::Organization& o) {
    ZAI_FUZZ_CHECK(zai::is_uuid(o.id));
    zai::api::OrganizationView view;
    view.data = o;
    const auto back = zai::api::parse_organization_view(zai::api::organization_view_json(view));
    ZAI_FUZZ_CHECK(back && back->data && *back->data == o);
}

void check_memberships(const std::vector<zai::Membership>& ms) {
    for (const auto& m : ms) {
        ZAI_FUZZ_CHECK(zai::is_uuid(m.id));
        check_organization(m.organization);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto person = zai::parse_person(text);
    const auto organization = zai::parse_organization(text);
    const auto memberships = zai::parse_memberships(text);
    check_refusal(person);
    check_refusal(organization);
    check_refusal(memberships);

    const json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) {
        check_same(person, zai::parse_person(j));
        check_same(organization, zai::parse_organization(j));
    }

    if (person) {
        ZAI_FUZZ_CHECK(zai::is_uuid(person->id));
        check_memberships(person->memberships);
        const auto alone = zai::parse_memberships(j.at("organization_memberships").dump());
        ZAI_FUZZ_CHECK(alone && *alone == person->memberships);
    }
    if (organization) check_organization(*organization);
    if (memberships) check_memberships(*memberships);
    return 0;
}
