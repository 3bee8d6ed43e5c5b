#pragma once

#include <string>
#include <vector>

#include "harness/result/run_report.h"

// What was measured and under which conditions, for the console and Markdown headers: read
// from the report's config echo and environment only (a pure function of the report).
namespace llmbench::reports {

// A load average at the start above this many per CPU means other work was competing for the
// CPUs before llmbench began; at the end (llmbench's own threads included) above one per CPU
// means the CPUs were saturated. Either way latencies include waiting for a CPU.
inline constexpr double kBusyStartLoadPerCpu = 0.5;
inline constexpr double kBusyEndLoadPerCpu = 1.0;

struct WorkloadHeader {
  // e.g. "target: embedded mock (ttft 50ms, itl 5ms, output tokens 64) · model mock-1 · api openai",
  // "prompts: synthetic, normal mean 128 tokens", "load average: 0.41 at start, 1.90 at end".
  std::vector<std::string> lines;
  // Debug or sanitizer build (Environment::warning), busy machine (load average).
  std::vector<std::string> warnings;
};

WorkloadHeader workload_header(const result::RunReport& report);

// The per-step stop condition and warm-up of `scenario_name` from the config echo, e.g.
// "per step: 200 requests or 30s, whichever first · warm-up: 10 requests"; "" when the report
// does not echo that scenario.
std::string scenario_workload(const result::RunReport& report, const std::string& scenario_name);

}  // namespace llmbench::reports
