// `tta migrate | backup | restore`: the operator's commands for the SQLite data directory
// (docs/storage.md has the runbook).
#include "cmd_ops.hpp"

#include <iostream>

#include "tta/store/sqlite/sqlite_store.hpp"

namespace tta::app {
namespace {

int Fail(std::string_view command, const Error& e) {
    std::cerr << "tta " << command << ": " << e.message << "\n";
    return 1;
}

int RunMigrate(const std::string& data) {
    store::sqlite::SqliteOptions options;
    options.data_dir = data;
    auto store = store::sqlite::SqliteStore::Open(options);
    if (!store) return Fail("migrate", store.error());
    auto version = (*store)->SchemaVersion();
    if (!version) return Fail("migrate", version.error());
    std::cout << "schema version " << *version << " in " << data << "/"
              << store::sqlite::kDatabaseFileName << "\n";
    return 0;
}

int RunBackup(const std::string& data, const std::string& to) {
    store::sqlite::SqliteOptions options;
    options.data_dir = data;
    options.migrate = false;  // a backup copies the database as it is
    auto store = store::sqlite::SqliteStore::Open(options);
    if (!store) return Fail("backup", store.error());
    if (auto done = (*store)->Backup(to); !done) return Fail("backup", done.error());
    std::cout << "backed up " << data << " to " << to << "\n";
    return 0;
}

int RunRestore(const std::string& from, const std::string& data) {
    if (auto done = store::sqlite::RestoreBackup(from, data); !done) {
        return Fail("restore", done.error());
    }
    std::cout << "restored " << from << " into " << data
              << " (the database it replaced was kept beside it)\n";
    return 0;
}

}  // namespace

void AddOpsCommands(CLI::App& app) {
    auto data = std::make_shared<std::string>("data");
    auto target = std::make_shared<std::string>();

    auto* migrate = app.add_subcommand("migrate", "Apply pending schema migrations");
    migrate->add_option("--data", *data, "Data directory")->capture_default_str();
    migrate->callback([data] { throw CLI::RuntimeError(RunMigrate(*data)); });

    auto* backup = app.add_subcommand("backup", "Copy the database while TTA keeps running");
    backup->add_option("--data", *data, "Data directory")->capture_default_str();
    backup->add_option("FILE", *target, "Where to write the backup (must not exist)")
        ->required();
    backup->callback([data, target] { throw CLI::RuntimeError(RunBackup(*data, *target)); });

    auto* restore = app.add_subcommand(
        "restore", "Replace the database with a backup (stop tta serve first)");
    restore->add_option("--data", *data, "Data directory")->capture_default_str();
    restore->add_option("FILE", *target, "The backup to restore")->required()->check(
        CLI::ExistingFile);
    restore->callback([data, target] { throw CLI::RuntimeError(RunRestore(*target, *data)); });
}

}  // namespace tta::app
