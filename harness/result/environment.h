#pragma once

#include <string>

namespace llmbench::result {

// Where and how a run was measured, so two reports from different machines or builds are
// never compared blindly.
struct Environment {
  std::string host;
  std::string cpu_model;
  int cpu_count = 0;
  std::string os;            // e.g. "Linux"
  std::string kernel;        // uname release, e.g. "6.1.0-18-amd64"
  std::string build_flavor;  // common/version.h kBuildFlavor, e.g. "Release", "Debug+address,undefined"
  std::string tool_version;
  std::string compiler;
  // Non-empty on debug or sanitizer builds: their figures are not measurements.
  std::string warning;

  friend bool operator==(const Environment&, const Environment&) = default;
};

// The warning for a build flavour: empty for Release/RelWithDebInfo without sanitizers.
std::string build_flavor_warning(const std::string& build_flavor);

// Reads uname, /proc/cpuinfo and the build's version header.
Environment capture_environment();

}  // namespace llmbench::result
