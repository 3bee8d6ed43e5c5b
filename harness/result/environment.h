#pragma once

#include <optional>
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
  // 1-minute load average (/proc/loadavg) when the run started and when it ended; absent when
  // not recorded (older reports, systems without /proc). A busy machine's
  // figures are not measurements either (reports warn, docs/report-schema.md).
  std::optional<double> load_average_start;
  std::optional<double> load_average_end;

  friend bool operator==(const Environment&, const Environment&) = default;
};

// The warning for a build flavour: empty for Release/RelWithDebInfo without sanitizers.
std::string build_flavor_warning(const std::string& build_flavor);

// Reads uname, /proc/cpuinfo, the build's version header and the load average (as start).
Environment capture_environment();

// The 1-minute load average from `path` (the first field of /proc/loadavg); nullopt when the
// file is missing or unreadable.
std::optional<double> read_load_average(const std::string& path = "/proc/loadavg");

}  // namespace llmbench::result
