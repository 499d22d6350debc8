// UUID check: the Hub's canonical lower-case form only.
#include <doctest/doctest.h>

#include "zai/uuid.h"

using zai::is_uuid;

TEST_CASE("canonical lower-case UUIDs only") {
    CHECK(is_uuid("b1475f65-236c-58b8-96e1-e1778b43beb7"));
    CHECK(is_uuid("00000000-0000-0000-0000-000000000000"));
    CHECK_FALSE(is_uuid("B1475F65-236C-58B8-96E1-E1778B43BEB7"));
    CHECK_FALSE(is_uuid("b1475f65236c58b896e1e1778b43beb7"));
    CHECK_FALSE(is_uuid("{b1475f65-236c-58b8-96e1-e1778b43beb7}"));
    CHECK_FALSE(is_uuid("b1475f65-236c-58b8-96e1-e1778b43beb"));
    CHECK_FALSE(is_uuid("b1475f65-236c-58b8-96e1-e1778b43beb7a"));
    CHECK_FALSE(is_uuid("g1475f65-236c-58b8-96e1-e1778b43beb7"));
    CHECK_FALSE(is_uuid("b1475f65_236c-58b8-96e1-e1778b43beb7"));
    CHECK_FALSE(is_uuid(""));
    CHECK_FALSE(is_uuid("b1475f65-236c-58b8-96e1-e1778b43beb7\n"));
}
