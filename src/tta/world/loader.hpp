// tta::world loader: reads a world folder (every *.yaml file, sorted by name, sections
// merged) into an immutable Pack, compiling every expression. Every problem — bad YAML,
// wrong types, unknown keys (with a suggestion), missing fields, expressions that do not
// parse or name unknown things — becomes a Diagnostic with file:line:col. Never throws.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/world/diagnostic.hpp"
#include "tta/world/pack.hpp"

namespace tta::world {

// Loads the pack in `dir`. Diagnostics (errors and warnings) are appended to `diagnostics`;
// the result is an error (kInvalid, "N errors in DIR") when any error was found, or kNotFound
// when the folder does not exist or holds no *.yaml files.
Result<std::shared_ptr<const Pack>> LoadPack(const std::filesystem::path& dir,
                                             std::vector<Diagnostic>& diagnostics);

// One source file held in memory: its name (as diagnostics show it) and its YAML text.
struct SourceFile {
    std::string name;
    std::string text;
};

// The same from memory: for tests, the fuzzer, and packs shipped inside the binary.
Result<std::shared_ptr<const Pack>> LoadPackFromSources(const std::vector<SourceFile>& files,
                                                        std::vector<Diagnostic>& diagnostics);

}  // namespace tta::world
