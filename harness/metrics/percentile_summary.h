#pragma once

#include <array>
#include <cstdint>

#include "harness/metrics/latency_histogram.h"

namespace llmbench::metrics {

// The percentiles every report shows, in this order (docs/metrics.md).
inline constexpr std::array<double, 5> kReportedPercentiles{50.0, 90.0, 95.0, 99.0, 99.9};

// A histogram condensed to the figures people read, scaled to a display unit
// (scale = 1e-6 turns ns into ms; 1 leaves counts and rates as they are).
struct PercentileSummary {
  std::uint64_t count = 0;
  double min = 0, max = 0, mean = 0, stddev = 0;
  double p50 = 0, p90 = 0, p95 = 0, p99 = 0, p999 = 0;
};

PercentileSummary summarize(const LatencyHistogram& histogram, double scale);

}  // namespace llmbench::metrics
