// Runs the storage contract (store_conformance_test.cpp) against SQLite in a temp directory.
#include "tta/store/sqlite/sqlite_store.hpp"
#include "tta/store/store_conformance.hpp"

namespace tta::store::testing {
namespace {

class SqliteUnderTest final : public BackendUnderTest {
  public:
    explicit SqliteUnderTest(std::unique_ptr<sqlite::SqliteStore> store)
        : store_(std::move(store)) {}
    SessionStore& Sessions() override { return *store_; }
    AccountStore& Accounts() override { return *store_; }
    TherapyStore& Therapy() override { return *store_; }

  private:
    std::unique_ptr<sqlite::SqliteStore> store_;
};

Result<std::unique_ptr<BackendUnderTest>> OpenSqlite(const std::filesystem::path& dir,
                                                     const Clock* clock) {
    sqlite::SqliteOptions options;
    options.data_dir = dir;
    options.clock = clock;
    auto store = sqlite::SqliteStore::Open(options);
    if (!store) return store.error();
    return std::unique_ptr<BackendUnderTest>(new SqliteUnderTest(std::move(*store)));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance,
                         ::testing::Values(BackendParam{"sqlite", &OpenSqlite}), BackendParamName);

}  // namespace
}  // namespace tta::store::testing
