// tta::world diagnostics: one problem found while loading or checking a world pack, with the
// position an author needs to fix it. Printed as `file:line:col: message` (1-based line and
// column, the form editors and compilers use), so `tta worlds validate` output is clickable.
#pragma once

#include <string>
#include <vector>

namespace tta::world {

enum class Severity { kError, kWarning };

struct Diagnostic {
    std::string file;  // path as given to the loader, e.g. "worlds/saltmarsh/places.yaml"
    int line = 0;      // 1-based; 0 when the problem is not tied to a line (a missing file)
    int col = 0;       // 1-based
    Severity severity = Severity::kError;
    std::string message;

    // "file:line:col: message"; warnings read "file:line:col: warning: message".
    std::string ToString() const;
    friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

bool HasErrors(const std::vector<Diagnostic>& diagnostics);

// A position inside a pack's source files: `file` indexes Pack::files; line and col are
// 1-based. Every pack element keeps one so the validator can point at it.
struct SourcePos {
    int file = -1;
    int line = 0;
    int col = 0;
    friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

}  // namespace tta::world
