# Layers only look down (docs/architecture.md): fails when a file includes a layer above its own
# or beside it. Run by every build (target llmbench_check_layers, a dependency of each project
# library) and by ctest (tests/CMakeLists.txt, which also proves it catches a violation).
#   cmake -DROOT=<source dir> [-DSTAMP=<file to touch on success>] -P check_layers.cmake
#
# folder          may not include
set(forbidden_common        "harness/" "mock_provider/" "reports/" "cli/")
set(forbidden_mock_provider "harness/" "reports/" "cli/")
set(forbidden_harness       "mock_provider/" "reports/" "cli/")
set(forbidden_reports       "mock_provider/" "cli/")

get_filename_component(ROOT "${ROOT}" ABSOLUTE)
set(violations "")
foreach(layer common mock_provider harness reports)
  file(GLOB_RECURSE files RELATIVE ${ROOT} ${ROOT}/${layer}/*.h ${ROOT}/${layer}/*.cc)
  foreach(file IN LISTS files)
    file(STRINGS ${ROOT}/${file} lines)
    set(line_number 0)
    foreach(line IN LISTS lines)
      math(EXPR line_number "${line_number} + 1")
      if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\"")
        set(included ${CMAKE_MATCH_1})
        foreach(prefix IN LISTS forbidden_${layer})
          string(FIND "${included}" "${prefix}" at)
          if(at EQUAL 0)
            string(APPEND violations "  ${file}:${line_number}: includes \"${included}\": ${layer}/ may not include ${prefix}\n")
          endif()
        endforeach()
      endif()
    endforeach()
  endforeach()
endforeach()

if(NOT violations STREQUAL "")
  message(FATAL_ERROR "layer violation (layers only look down: common <- mock_provider, harness <- reports <- cli):\n${violations}")
endif()
if(DEFINED STAMP)
  file(TOUCH ${STAMP})
endif()
