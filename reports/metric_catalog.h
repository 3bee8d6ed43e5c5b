#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/result/run_report.h"

namespace llmbench::reports {

// A named scalar figure of one step, the vocabulary shared by CSV columns, `compare` rows and
// `gate` thresholds: "requests_per_s", "p99_ttft_ms", "error_rate", "throughput_ratio", ...
struct MetricDef {
  std::string name;
  std::string unit;  // "ms", "1/s", "ratio", "tokens", "count"
  bool higher_is_better = false;
  std::function<std::optional<double>(const result::StepResult&)> value;  // nullopt: not measured
};

// Every metric of metrics::metric_list() (harness/metrics/metric_names.h: names, units, direction
// and order) with its value.
const std::vector<MetricDef>& metric_catalog();

// Looks a metric up by name or alias ("throughput" = requests_per_s, "goodput" = goodput_rps,
// "p99_e2e" = p99_e2e_ms, "p999_…" = "p99_9_…"); nullptr when unknown.
const MetricDef* find_metric(std::string_view name);

}  // namespace llmbench::reports
