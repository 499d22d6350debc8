// zai_core — scopes in words, for consent pages and the dashboard.
#include <array>
#include <string_view>

#include "zai/scope.h"

namespace zai {
namespace {

struct ResourceWords {
    std::string_view resource;
    std::string_view object;  // what the permission applies to
};

// The Hub's own scopes (zaikio-hub.md §2.4), by resource name.
constexpr std::array hub_resources{
    ResourceWords{"person", "the person's profile (name, e-mail, memberships)"},
    ResourceWords{"organization", "the organisation's profile (name, kinds, country)"},
    ResourceWords{"organization_members", "the organisation's members and their roles"},
    ResourceWords{"organizations", "organisations of the person (and create new ones)"},
    ResourceWords{"sites", "sites"},
    ResourceWords{"machines", "machines"},
    ResourceWords{"software", "software"},
    ResourceWords{"manufactured_machines", "manufactured machines"},
    ResourceWords{"business_relationships", "business relationships"},
    ResourceWords{"connections_and_subscriptions", "app connections and subscriptions"},
    ResourceWords{"delegations", "delegated access for subsystems"},
    ResourceWords{"webhooks", "webhooks"},
    ResourceWords{"apps", "apps"},
};

std::string_view verb(Permission p) {
    switch (p) {
        case Permission::r: return "Read";
        case Permission::w: return "Change";
        case Permission::rw: return "Read and change";
    }
    return "Read";
}

std::string spaced(std::string_view snake) {
    std::string out(snake);
    for (char& c : out) {
        if (c == '_') c = ' ';
    }
    return out;
}

}  // namespace

std::string describe_scope(const Scope& s) {
    if (s.kind == Scope::Kind::subscription) {
        std::string text = "Start a subscription checkout for ";
        text += s.subscription_app.empty() ? std::string("this app") : "the app " + s.subscription_app;
        if (!s.plan.empty()) text += " (plan " + s.plan + ")";
        return text;
    }
    std::string text(verb(s.permission));
    text.push_back(' ');
    if (s.app == "zaikio" || s.app == "directory") {
        for (const auto& r : hub_resources) {
            if (r.resource == s.resource) return text + std::string(r.object);
        }
        return text + spaced(s.resource) + " in Zaikio";
    }
    return text + spaced(s.resource) + " in the app " + s.app;
}

}  // namespace zai
