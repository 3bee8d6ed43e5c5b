#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "harness/result/run_report.h"
#include "reports/metric_catalog.h"

namespace llmbench::reports {

// The steps of a report grouped by (scenario, sweep parameter, sweep value): one group is one
// measured point and its repetitions. compare and gate work point by point.
using PointKey = std::tuple<std::string, std::string, double>;

struct Point {
  const result::ScenarioResult* scenario = nullptr;
  std::vector<const result::StepResult*> repetitions;

  std::string label() const;                                  // "stream-coroutine concurrency=64"
  std::vector<double> values(const MetricDef& metric) const;  // one per repetition that measured it
  std::optional<double> median(const MetricDef& metric) const;
};

std::map<PointKey, Point> group_points(const result::RunReport& report);

// (current - base) / |base|; 0 when both are 0, ±infinity when only base is 0.
double relative_change(double base, double current);

}  // namespace llmbench::reports
