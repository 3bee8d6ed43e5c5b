# Installation (docs/install.md): `cmake --install` rules, the exported CMake package
# (find_package(llmbench) → llmbench::mock, llmbench::client, llmbench::common) and the CPack .deb.
#
# Two components:
#   runtime      the llmbench binary and its docs; the only content of the .deb
#   development  the static libraries a C++ user embeds (the mock in their own tests, the client),
#                their headers, and the CMake package that finds Boost, libcurl, fmt, toml++ and
#                cpp-httplib for them
# Headers keep their repository paths under include/llmbench, so the installed
# "#include "mock_provider/mock_server.h"" reads as it does in this tree.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# `cmake --install` and cpack install what is built instead of building every target first (all
# tests and benchmarks): scripts/check-packages.sh builds the installed targets itself.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(LLMBENCH_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/llmbench)
set(LLMBENCH_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/llmbench)

# --- runtime: the binary and its documentation
install(TARGETS llmbench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
# docs/ and scenarios/ beside the README, so its relative links resolve in the installed copy.
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs COMPONENT runtime
        FILES_MATCHING PATTERN "*.md" PATTERN "*.png")
install(DIRECTORY scenarios/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/scenarios COMPONENT runtime
        FILES_MATCHING PATTERN "*.toml")

# --- development: libraries, headers, CMake package
# The exported names are the in-tree aliases (llmbench::common, llmbench::mock, llmbench::client),
# so a project builds the same way against the installed package and against this tree.
set(LLMBENCH_EXPORTED_LIBRARIES llmbench_common llmbench_tokenizer llmbench_mock llmbench_client llmbench_boost_asio)
foreach(target IN LISTS LLMBENCH_EXPORTED_LIBRARIES)
  string(REGEX REPLACE "^llmbench_" "" export_name ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name})
endforeach()
install(TARGETS ${LLMBENCH_EXPORTED_LIBRARIES} EXPORT llmbenchTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
        INCLUDES DESTINATION ${LLMBENCH_INSTALL_INCLUDEDIR})
# The headers of exactly those libraries (the client's and the mock's include only common/).
foreach(dir common mock_provider harness/client)
  install(DIRECTORY ${dir}/ DESTINATION ${LLMBENCH_INSTALL_INCLUDEDIR}/${dir} COMPONENT development
          FILES_MATCHING PATTERN "*.h")
endforeach()
install(FILES ${PROJECT_BINARY_DIR}/common/generated/common/version.h
        DESTINATION ${LLMBENCH_INSTALL_INCLUDEDIR}/common COMPONENT development)
install(EXPORT llmbenchTargets NAMESPACE llmbench:: DESTINATION ${LLMBENCH_INSTALL_CMAKEDIR}
        COMPONENT development)
configure_package_config_file(cmake/llmbenchConfig.cmake.in
  ${PROJECT_BINARY_DIR}/llmbenchConfig.cmake INSTALL_DESTINATION ${LLMBENCH_INSTALL_CMAKEDIR})
# 0.x: a minor version may change the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/llmbenchConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/llmbenchConfig.cmake ${PROJECT_BINARY_DIR}/llmbenchConfigVersion.cmake
        DESTINATION ${LLMBENCH_INSTALL_CMAKEDIR} COMPONENT development)

# --- the .deb: `cpack -G DEB` in the build directory → packages/llmbench_<version>_<arch>.deb,
# the binary (stripped) and docs under /usr, Depends computed by dpkg-shlibdeps from the binary.
if(PROJECT_IS_TOP_LEVEL)
  set(CPACK_PACKAGE_NAME llmbench)
  set(CPACK_PACKAGE_VENDOR llmbench)
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
  set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
  set(CPACK_GENERATOR DEB)
  set(CPACK_STRIP_FILES ON)
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  set(CPACK_COMPONENTS_ALL runtime)
  set(CPACK_DEB_COMPONENT_INSTALL ON)
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME llmbench)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "llmbench developers")
  set(CPACK_DEBIAN_PACKAGE_SECTION utils)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  # https targets verify certificates against the system store.
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS ca-certificates)
  include(CPack)
endif()
