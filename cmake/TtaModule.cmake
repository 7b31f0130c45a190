# tta_module(NAME SOURCES ... DEPS ...): one library per module room, target tta_<NAME>,
# include paths rooted at src/ ("tta/<module>/<file>.hpp").
function(tta_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(tta_${name} STATIC ${ARG_SOURCES})
  target_include_directories(tta_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(tta_${name} PUBLIC ${ARG_DEPS})
endfunction()

# tta_test(NAME SOURCES ... DEPS ... LABELS ...): a GoogleTest binary whose tests are
# registered one by one with CTest under the given labels (unit, integration, e2e, slow).
function(tta_test name)
  if(NOT TTA_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    TTA_SOURCE_DIR="${PROJECT_SOURCE_DIR}" TTA_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name}
    PROPERTIES LABELS "${ARG_LABELS}"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    DISCOVERY_TIMEOUT 60)
endfunction()
