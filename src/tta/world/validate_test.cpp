#include "tta/world/validate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tta/world/test_pack.hpp"

namespace tta::world {
namespace {

using ::testing::IsEmpty;
using namespace tta::world::testing;

std::vector<std::string> Printed(const std::vector<Diagnostic>& diagnostics) {
    const std::string prefix = TestData("");
    std::vector<std::string> out;
    for (const Diagnostic& d : diagnostics) {
        std::string line = d.ToString();
        if (line.starts_with(prefix)) line.erase(0, prefix.size());
        out.push_back(line);
    }
    return out;
}

TEST(Validate, TheTestPackIsClean) {
    EXPECT_THAT(Printed(ValidateDir(TestData("lighthouse"))), IsEmpty());
}

// Each folder under testdata/bad holds a world with one kind of problem and expected.txt,
// the exact diagnostics `tta worlds validate` prints for it.
class BadWorlds : public ::testing::TestWithParam<std::string> {};

TEST_P(BadWorlds, ReportExactlyTheExpectedDiagnostics) {
    const std::string dir = TestData("bad/" + GetParam());
    std::ifstream in(dir + "/expected.txt");
    ASSERT_TRUE(in) << dir;
    std::vector<std::string> expected;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) expected.push_back(line);
    }
    EXPECT_EQ(Printed(ValidateDir(dir)), expected);
}

std::vector<std::string> BadWorldNames() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(TestData("bad"))) {
        if (entry.is_directory()) names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

INSTANTIATE_TEST_SUITE_P(Validate, BadWorlds, ::testing::ValuesIn(BadWorldNames()),
                         [](const auto& info) { return info.param; });

TEST(Validate, EveryBadWorldHasAtLeastOneError) {
    for (const std::string& name : BadWorldNames()) {
        EXPECT_TRUE(HasErrors(ValidateDir(TestData("bad/" + name)))) << name;
    }
}

}  // namespace
}  // namespace tta::world

namespace tta::world {
namespace {

// docs/worlds.md shows testdata/quiet_pier/world.yaml as its worked example; keep them equal.
TEST(Validate, TheGuidesWorkedExampleIsTheCheckedWorld) {
    auto read = [](const std::string& path) {
        std::ifstream in(path);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string guide = read(std::string(TTA_SOURCE_DIR) + "/docs/worlds.md");
    const std::string example = read(testing::TestData("quiet_pier/world.yaml"));
    ASSERT_FALSE(example.empty());
    EXPECT_NE(guide.find("```yaml\n" + example + "```"), std::string::npos);
    EXPECT_THAT(Printed(ValidateDir(testing::TestData("quiet_pier"))), ::testing::IsEmpty());
}

}  // namespace
}  // namespace tta::world
