# Every third-party library TTA links, found once. scripts/setup.sh installs them all from
# Debian 12 packages; see ARCHITECTURE.md for why each is here.
find_package(Boost 1.81.0 EXACT CONFIG REQUIRED COMPONENTS json url system)
find_package(SQLite3 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(LIBEDIT REQUIRED IMPORTED_TARGET libedit)

find_path(MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
add_library(tta_mustache INTERFACE)
target_include_directories(tta_mustache SYSTEM INTERFACE "${MUSTACHE_INCLUDE_DIR}")

if(TTA_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(TTA_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
