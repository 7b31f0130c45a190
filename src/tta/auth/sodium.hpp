// Private to tta::auth: libsodium must be initialised before its first use. Every public entry
// point that calls libsodium calls EnsureSodium() first; after the first call it is one load.
#pragma once

namespace tta::auth::detail {

void EnsureSodium();

}  // namespace tta::auth::detail
