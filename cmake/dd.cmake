# Project-wide build helpers: warnings, sanitizers, module libraries and test registration.

# Sanitizers instrument every target of the build (our code, tests, fuzz replays); the
# Debian libraries we link (FFmpeg, XNNPACK, pthreadpool, libpq) stay uninstrumented.
set(dd_sanitizers "")
if(DD_SANITIZE OR DD_SANITIZE_ADDRESS)
  list(APPEND dd_sanitizers address)
endif()
if(DD_SANITIZE OR DD_SANITIZE_UNDEFINED)
  list(APPEND dd_sanitizers undefined)
  add_compile_options(-fno-sanitize-recover=undefined)
endif()
if(DD_SANITIZE_THREAD)
  if("address" IN_LIST dd_sanitizers)
    message(FATAL_ERROR "DD_SANITIZE_THREAD cannot be combined with DD_SANITIZE or DD_SANITIZE_ADDRESS")
  endif()
  list(APPEND dd_sanitizers thread)
endif()
if(dd_sanitizers)
  list(JOIN dd_sanitizers "," dd_sanitizer_list)
  add_compile_options(-fsanitize=${dd_sanitizer_list} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${dd_sanitizer_list})
endif()

# libFuzzer builds (clang only): every library gets coverage instrumentation and ASan+UBSan;
# the fuzz/ executables add libFuzzer's main (see fuzz/CMakeLists.txt).
if(DD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DD_FUZZ needs clang (CC=clang CXX=clang++)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Warnings apply to our targets only, so third-party headers cannot break the build.
function(dd_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(DD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# dd_add_module(NAME SOURCES ... DEPS ...): the static library dd_<NAME> for src/<NAME>/.
function(dd_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(dd_${name} STATIC ${ARG_SOURCES})
  target_include_directories(dd_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(dd_${name} PUBLIC ${ARG_DEPS})
  dd_target_warnings(dd_${name})
endfunction()

# dd_add_test(NAME LABEL label SOURCES ... DEPS ...): one GoogleTest executable per module;
# each TEST becomes a CTest test carrying the label (unit, model, slow).
function(dd_add_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE DD_TEST_MODEL_DIR="${DD_MODEL_DIR}"
                                             DD_TEST_BINARY_DIR="${CMAKE_CURRENT_BINARY_DIR}")
  dd_target_warnings(${name})
  gtest_discover_tests(${name} PROPERTIES LABELS ${ARG_LABEL} DISCOVERY_TIMEOUT 60)
endfunction()
