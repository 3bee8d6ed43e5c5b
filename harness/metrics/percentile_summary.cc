#include "harness/metrics/percentile_summary.h"

namespace llmbench::metrics {

PercentileSummary summarize(const LatencyHistogram& h, double scale) {
  PercentileSummary s;
  s.count = h.count();
  s.min = h.min() * scale;
  s.max = h.max() * scale;
  s.mean = h.mean() * scale;
  s.stddev = h.stddev() * scale;
  s.p50 = h.percentile(50) * scale;
  s.p90 = h.percentile(90) * scale;
  s.p95 = h.percentile(95) * scale;
  s.p99 = h.percentile(99) * scale;
  s.p999 = h.percentile(99.9) * scale;
  return s;
}

}  // namespace llmbench::metrics
