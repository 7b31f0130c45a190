// The cove test world (testdata/cove), loaded once per test binary.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "tta/world/loader.hpp"

namespace tta::narrative::model {

inline std::shared_ptr<const world::Pack> CovePack() {
    static const std::shared_ptr<const world::Pack> pack = [] {
        std::vector<world::Diagnostic> diagnostics;
        auto loaded = world::LoadPack(
            std::filesystem::path(TTA_SOURCE_DIR) / "src/tta/narrative/model/testdata/cove",
            diagnostics);
        for (const auto& d : diagnostics) {
            if (d.severity == world::Severity::kError) ADD_FAILURE() << d.ToString();
        }
        return loaded ? *loaded : nullptr;
    }();
    return pack;
}

}  // namespace tta::narrative::model
