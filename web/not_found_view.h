// zai-connect dashboard — the view for a path the dashboard does not know.
#pragma once

#include "route.h"
#include "ui.h"

namespace zai::web {

class NotFoundView {
public:
    explicit NotFoundView(Router& router) : router_(router) {}

    void draw(Ui& ui);

private:
    Router& router_;
};

}  // namespace zai::web
