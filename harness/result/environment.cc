#include "harness/result/environment.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <string_view>
#include <thread>

#include "common/version.h"

namespace llmbench::result {

namespace {

std::string cpu_model_from_proc() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    // x86 says "model name", some ARM kernels only "Hardware" or "CPU part".
    if (line.rfind("model name", 0) == 0 || line.rfind("Hardware", 0) == 0) {
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      const auto first = value.find_first_not_of(" \t");
      return first == std::string::npos ? std::string() : value.substr(first);
    }
  }
  return "unknown";
}

std::string compiler_name() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

bool contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

}  // namespace

std::string build_flavor_warning(const std::string& build_flavor) {
  if (contains(build_flavor, "+")) {
    return "sanitizer build (" + build_flavor + "): timings are not representative";
  }
  if (build_flavor != "Release" && build_flavor != "RelWithDebInfo") {
    return "non-release build (" + (build_flavor.empty() ? std::string("no build type") : build_flavor) +
           "): timings are not representative";
  }
  return "";
}

Environment capture_environment() {
  Environment env;
  struct utsname names {};
  if (::uname(&names) == 0) {
    env.host = names.nodename;
    env.os = names.sysname;
    env.kernel = names.release;
  }
  env.cpu_model = cpu_model_from_proc();
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  env.cpu_count =
      online > 0 ? static_cast<int>(online) : static_cast<int>(std::thread::hardware_concurrency());
  env.build_flavor = kBuildFlavor;
  env.tool_version = kVersion;
  env.compiler = compiler_name();
  env.warning = build_flavor_warning(env.build_flavor);
  env.load_average_start = read_load_average();
  return env;
}

std::optional<double> read_load_average(const std::string& path) {
  std::ifstream in(path);
  double one_minute = 0;
  if (!(in >> one_minute) || !(one_minute >= 0)) return std::nullopt;
  return one_minute;
}

}  // namespace llmbench::result
