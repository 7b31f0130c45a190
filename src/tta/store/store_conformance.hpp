// The storage contract as one parameterised GoogleTest suite (ARCHITECTURE.md, principle 6):
// every backend runs the same tests. A backend's test binary compiles
// store_conformance_test.cpp together with a file that instantiates the suite with its
// factory, e.g. (tta/store/sqlite/sqlite_conformance_test.cpp):
//
//     INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance,
//                              ::testing::Values(BackendParam{"sqlite", &OpenSqliteForTest}),
//                              BackendParamName);
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "tta/core/clock.hpp"
#include "tta/core/error.hpp"
#include "tta/store/account_store.hpp"
#include "tta/store/session_store.hpp"
#include "tta/store/therapy_store.hpp"

namespace tta::store::testing {

// An open backend. Destroying it closes it (everything acknowledged must survive).
class BackendUnderTest {
  public:
    virtual ~BackendUnderTest() = default;
    virtual SessionStore& Sessions() = 0;
    virtual AccountStore& Accounts() = 0;
    virtual TherapyStore& Therapy() = 0;
};

// Opens the backend whose state lives in `dir` (a fresh empty directory the first time; the
// same one again to test reopening). `clock` supplies the times the store stamps itself.
using BackendFactory = std::function<Result<std::unique_ptr<BackendUnderTest>>(
    const std::filesystem::path& dir, const Clock* clock)>;

struct BackendParam {
    std::string name;
    BackendFactory open;
};

inline std::string BackendParamName(const ::testing::TestParamInfo<BackendParam>& info) {
    return info.param.name;
}

// A directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& Path() const { return path_; }

  private:
    std::filesystem::path path_;
};

class StoreConformance : public ::testing::TestWithParam<BackendParam> {
  protected:
    void SetUp() override;
    void TearDown() override;
    // Closes the backend and opens it again on the same directory.
    void Reopen();

    SessionStore& Sessions() { return backend_->Sessions(); }
    AccountStore& Accounts() { return backend_->Accounts(); }
    TherapyStore& Therapy() { return backend_->Therapy(); }

    ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::milliseconds(1'000'000))};
    std::unique_ptr<TempDir> dir_;
    std::unique_ptr<BackendUnderTest> backend_;
};

}  // namespace tta::store::testing
