// zai-connect — the parts of the store interface that do not depend on a database (see store.h).
#include "store.h"

namespace zai::connect {

std::string person_grant_id(std::string_view session_hash) { return "session:" + std::string(session_hash); }

std::string organization_grant_id(std::string_view organization_id) { return "org:" + std::string(organization_id); }

std::string_view store_errc_id(StoreErrc code) {
    switch (code) {
        case StoreErrc::busy: return "store_busy";
        case StoreErrc::disk_full: return "store_disk_full";
        case StoreErrc::io_error: return "store_io_error";
        case StoreErrc::cannot_open: return "store_cannot_open";
        case StoreErrc::read_only: return "store_read_only";
        case StoreErrc::corrupt: return "store_corrupt";
        case StoreErrc::schema_too_new: return "store_schema_too_new";
        case StoreErrc::constraint: return "store_constraint";
        case StoreErrc::unreadable_secret: return "store_unreadable_secret";
        case StoreErrc::bad_row: return "store_bad_row";
        case StoreErrc::other: return "store_other";
    }
    return "store_other";
}

StoreError::StoreError(StoreErrc code, std::string_view message)
    : std::runtime_error(std::string(store_errc_id(code)) + ": " + std::string(message)), code_(code) {}

}  // namespace zai::connect
