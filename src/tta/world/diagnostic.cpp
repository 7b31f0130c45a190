#include "tta/world/diagnostic.hpp"

#include <algorithm>

namespace tta::world {

std::string Diagnostic::ToString() const {
    std::string out = file;
    if (line > 0) {
        out += ':' + std::to_string(line) + ':' + std::to_string(col);
    }
    out += ": ";
    if (severity == Severity::kWarning) out += "warning: ";
    out += message;
    return out;
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace tta::world
