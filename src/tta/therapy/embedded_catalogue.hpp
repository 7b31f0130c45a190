// Internal to tta::therapy: the catalogue text compiled into the binary. The definitions are
// generated at build time from data/therapy/techniques.yaml by embed_file.cmake.
#pragma once

#include <string_view>

namespace tta::therapy {

std::string_view EmbeddedCatalogueText();
// The repository path the text came from, used in error messages.
std::string_view EmbeddedCataloguePath();

}  // namespace tta::therapy
