// `tta worlds`: thin wrappers over the tta::world loader and validator.
//   list       one line per world folder: id, title, therapeutic focus
//   validate   every problem as file:line:col: message on stderr; exit 1 on errors
#include "cmd_worlds.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tta/world/loader.hpp"
#include "tta/world/validate.hpp"

namespace tta::app {
namespace {

namespace fs = std::filesystem;

bool HasYaml(const fs::path& dir) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path ext = it->path().extension();
        if (it->is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) return true;
    }
    return false;
}

// World folders in `dir`, sorted; `dir` itself when it is a world.
std::vector<fs::path> WorldFolders(const fs::path& dir) {
    if (HasYaml(dir)) return {dir};
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_directory(ec) && HasYaml(it->path())) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string Join(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
    return out;
}

int RunList(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        fmt::print(stderr, "{}: not a folder\n", dir);
        return 1;
    }
    const std::vector<fs::path> worlds = WorldFolders(dir);
    if (worlds.empty()) {
        fmt::print(stderr, "{}: no worlds (folders of *.yaml files)\n", dir);
        return 1;
    }
    for (const fs::path& path : worlds) {
        std::vector<world::Diagnostic> diagnostics;
        auto pack = world::LoadPack(path, diagnostics);
        if (!pack) {
            fmt::print("{}\t(does not load: run tta worlds validate {})\n",
                       path.filename().string(), path.string());
            continue;
        }
        const world::Metadata& m = (*pack)->meta;
        fmt::print("{}\t{}\t{}\n", m.id, m.title, Join(m.therapeutic_focus));
    }
    return 0;
}

int RunValidate(const std::vector<std::string>& paths, bool strict) {
    std::size_t errors = 0;
    std::size_t warnings = 0;
    std::size_t worlds = 0;
    for (const std::string& arg : paths) {
        std::vector<fs::path> folders = WorldFolders(arg);
        if (folders.empty()) folders.push_back(arg);  // let the loader say what is wrong
        for (const fs::path& folder : folders) {
            ++worlds;
            for (const world::Diagnostic& d : world::ValidateDir(folder)) {
                (d.severity == world::Severity::kError ? errors : warnings) += 1;
                fmt::print(stderr, "{}\n", d.ToString());
            }
        }
    }
    if (errors > 0 || warnings > 0) {
        fmt::print(stderr, "{} {}, {} {} in {} {}\n", errors, errors == 1 ? "error" : "errors",
                   warnings, warnings == 1 ? "warning" : "warnings", worlds,
                   worlds == 1 ? "world" : "worlds");
    }
    return errors > 0 || (strict && warnings > 0) ? 1 : 0;
}

}  // namespace

void AddWorldsCommands(CLI::App& app) {
    CLI::App* worlds = app.add_subcommand("worlds", "Authoring tools for world packs");
    worlds->require_subcommand(1);

    auto dir = std::make_shared<std::string>("worlds");
    CLI::App* list = worlds->add_subcommand("list", "One line per world: id, title, focus");
    list->add_option("--dir", *dir, "Folder holding one folder per world")->capture_default_str();
    list->callback([dir] {
        if (const int rc = RunList(*dir); rc != 0) throw CLI::RuntimeError(rc);
    });

    auto paths = std::make_shared<std::vector<std::string>>();
    auto strict = std::make_shared<bool>(false);
    CLI::App* validate = worlds->add_subcommand(
        "validate", "Check worlds; print file:line:col: message for each problem");
    validate->add_option("paths", *paths, "World folders, or folders of worlds")->required();
    validate->add_flag("--strict", *strict, "Treat warnings as errors");
    validate->callback([paths, strict] {
        if (const int rc = RunValidate(*paths, *strict); rc != 0) throw CLI::RuntimeError(rc);
    });
}

}  // namespace tta::app
