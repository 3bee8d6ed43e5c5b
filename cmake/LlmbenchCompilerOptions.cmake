# Warnings and sanitizers, applied through one interface target that every
# llmbench target links, so no target can forget them.
add_library(llmbench_compile_options INTERFACE)
add_library(llmbench::compile_options ALIAS llmbench_compile_options)

target_compile_options(llmbench_compile_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough
  # GCC 12 reports false -Wrestrict positives inside std::string at -O3 (GCC bug 105329).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
if(LLMBENCH_WERROR)
  target_compile_options(llmbench_compile_options INTERFACE -Werror)
endif()

if(LLMBENCH_SANITIZE)
  target_compile_options(llmbench_compile_options INTERFACE
    -fsanitize=${LLMBENCH_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # ASan's instrumentation makes GCC 12 report (maybe-)uninitialized values inside
    # Boost.Histogram's index arrays that the release build, which keeps these warnings,
    # does not see.
    target_compile_options(llmbench_compile_options INTERFACE -Wno-maybe-uninitialized -Wno-uninitialized)
  endif()
  if(LLMBENCH_SANITIZE MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 warns that TSan does not model Asio's std::atomic_thread_fence; the fences sit
    # next to the atomics TSan does model, and TSan runs of the suite report nothing.
    target_compile_options(llmbench_compile_options INTERFACE -Wno-tsan)
  endif()
  target_link_options(llmbench_compile_options INTERFACE -fsanitize=${LLMBENCH_SANITIZE})
endif()

# Recorded in every report so a debug or sanitizer build is never mistaken for a measurement.
if(LLMBENCH_SANITIZE)
  set(LLMBENCH_BUILD_FLAVOR "${CMAKE_BUILD_TYPE}+${LLMBENCH_SANITIZE}")
else()
  set(LLMBENCH_BUILD_FLAVOR "${CMAKE_BUILD_TYPE}")
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

# Each project library: llmbench_add_library(NAME SOURCES...) → target llmbench_NAME, alias llmbench::NAME.
function(llmbench_add_library name)
  add_library(llmbench_${name} STATIC ${ARGN})
  add_library(llmbench::${name} ALIAS llmbench_${name})
  # Installed, the headers keep their paths under include/llmbench (INCLUDES DESTINATION in
  # cmake/LlmbenchInstall.cmake), so only the build tree's root is named here.
  target_include_directories(llmbench_${name} PUBLIC $<BUILD_INTERFACE:${LLMBENCH_SOURCE_ROOT}>)
  # The project's warnings and -Werror are for this tree, not for the users of the installed libraries.
  target_link_libraries(llmbench_${name} PUBLIC $<BUILD_INTERFACE:llmbench::compile_options>)
  add_dependencies(llmbench_${name} llmbench_check_layers)
endfunction()
