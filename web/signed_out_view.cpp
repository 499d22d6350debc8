// zai-connect dashboard — signed out.
#include "signed_out_view.h"

namespace zai::web {

void SignedOutView::draw(Ui& ui) {
    ui.heading("zai-connect");
    ui.text("zai-connect connects your Zaikio organisations to this app. Sign in with your Zaikio account to see "
            "your organisations, install the app for those you administer, and see what it may read there.");
    ui.status(session_.notice());
    ui.gap(4.0f);
    // The backend checks the return path again (zai::is_safe_return_path); this is the current one.
    if (ui.button("Sign in with Zaikio")) platform_.leave_to(login_path(router_.route().path));
    if (router_.route().page == Route::Page::organization) {
        ui.hint("After signing in you come back to this organisation.");
    }
}

}  // namespace zai::web
