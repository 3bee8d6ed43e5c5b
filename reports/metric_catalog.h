#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/metrics/metric_names.h"
#include "harness/result/run_report.h"

namespace llmbench::reports {

// A metric of the harness's list (name, unit, direction) with the way to read its value off a step.
struct MetricDef : metrics::MetricInfo {
  std::function<std::optional<double>(const result::StepResult&)> value;  // nullopt: not measured
};

// Every metric of metrics::metric_list() (harness/metrics/metric_names.h: names, units, direction
// and order) with its value.
const std::vector<MetricDef>& metric_catalog();

// Looks a metric up by name or alias ("throughput" = requests_per_s, "goodput" = goodput_rps,
// "p99_e2e" = p99_e2e_ms, "p999_…" = "p99_9_…"); nullptr when unknown.
const MetricDef* find_metric(std::string_view name);

}  // namespace llmbench::reports
