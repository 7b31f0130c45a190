# Writes a C++ source that holds a file's bytes, so reviewed data ships inside the binary.
#   cmake -DINPUT=<file> -DOUTPUT=<file.cpp> -DDISPLAY_PATH=<path in errors>
#         -DNAMESPACE=<ns> -DTEXT_FUNCTION=<name> -DPATH_FUNCTION=<name> -P embed_file.cmake
# Bytes are written as hex so any content (quotes, backslashes, UTF-8) survives unchanged.
foreach(var INPUT OUTPUT DISPLAY_PATH NAMESPACE TEXT_FUNCTION PATH_FUNCTION)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_file.cmake needs -D${var}=...")
  endif()
endforeach()

file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# 0xNN, per byte; a newline every 16 bytes keeps the generated file readable.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " bytes "${bytes}")

file(WRITE "${OUTPUT}"
"// Generated from ${DISPLAY_PATH} by embed_file.cmake; do not edit.
#include <string_view>

namespace ${NAMESPACE} {
namespace {
constexpr unsigned char kBytes[${size} + 1] = {
    ${bytes}0x00};
}  // namespace

std::string_view ${TEXT_FUNCTION}() {
    return {reinterpret_cast<const char*>(kBytes), ${size}};
}

std::string_view ${PATH_FUNCTION}() { return \"${DISPLAY_PATH}\"; }

}  // namespace ${NAMESPACE}
")
