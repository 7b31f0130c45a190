// tta::store bytes: the type of every "personal" field (player free text, character
// background, safety plans). The store keeps these as opaque BLOBs so that a layer above it
// can encrypt them with a per-user key (ARCHITECTURE.md, principle 7) without the store
// ever seeing plaintext or changing its schema.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace tta::store {

using Bytes = std::vector<std::uint8_t>;

// Convenience for callers that hold plaintext (offline play, tests).
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string_view AsText(const Bytes& b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace tta::store
