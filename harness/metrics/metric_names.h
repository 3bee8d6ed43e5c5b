#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmbench::metrics {

// A scalar figure of a step ("requests_per_s", "p99_ttft_ms", ...) for CSV columns, `compare` and
// `gate` (docs/metrics.md). The one list: a scenario file's thresholds are checked against it
// before anything runs, and reports/metric_catalog.h attaches each metric's value to it.
struct MetricInfo {
  std::string name;
  std::string unit;  // "ms", "1/s", "ratio", "tokens", "count"
  bool higher_is_better = false;
  std::string histogram;  // a statistic's histogram ("ttft", "schedule_lag", ...); "" for a scalar
  std::string stat;       // that statistic: "p50" ... "p99_9", "min", "max", "mean", "stddev"
  // Only meaningful for some servers (reasoning models): a CSV has its column only when a step
  // has a value, so reports of other servers keep their columns.
  bool optional = false;
};

// Every metric, in the catalog's stable order (the CSV column order).
const std::vector<MetricInfo>& metric_list();

// Resolves a name or alias to its canonical name: "throughput" = requests_per_s, "goodput" =
// goodput_rps, "efficiency" = throughput_ratio, "p999_…" = "p99_9_…", and a latency name may
// leave out its "_ms" ("p99_e2e"). nullopt when unknown.
std::optional<std::string> canonical_metric_name(std::string_view name);

}  // namespace llmbench::metrics
