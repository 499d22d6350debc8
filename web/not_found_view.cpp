// zai-connect dashboard — the view for a path the dashboard does not know.
#include "not_found_view.h"

#include <string>

namespace zai::web {

void NotFoundView::draw(Ui& ui) {
    ui.heading("Page not found");
    ui.text("There is nothing at " + router_.route().path + ".");
    if (ui.link("Go to the start page", "/")) router_.go("/");
}

}  // namespace zai::web
