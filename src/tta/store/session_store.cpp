#include "tta/store/session_store.hpp"

namespace tta::store {

std::string_view SessionStatusName(SessionStatus s) {
    switch (s) {
        case SessionStatus::kActive:
            return "active";
        case SessionStatus::kEnded:
            return "ended";
    }
    return "active";
}

}  // namespace tta::store
