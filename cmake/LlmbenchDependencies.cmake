# All dependencies are Debian 12 packages; scripts/install-deps.sh installs them.
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
# Debian ships Boost.JSON header-only (no libboost_json): common/boost_json.cc compiles it once.
find_package(Boost 1.81 EXACT REQUIRED)
find_package(CURL REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(tomlplusplus REQUIRED)  # target tomlplusplus::tomlplusplus (Debian builds it as a shared library)
# Debian's cpp-httplib is a compiled library with only a pkg-config file: target PkgConfig::CPPHTTPLIB.
pkg_check_modules(CPPHTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# Asio and Beast are header-only; these defines keep them consistent across targets.
add_library(llmbench_boost_asio INTERFACE)
add_library(llmbench::boost_asio ALIAS llmbench_boost_asio)
target_link_libraries(llmbench_boost_asio INTERFACE Boost::boost Threads::Threads)
target_compile_definitions(llmbench_boost_asio INTERFACE
  BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
