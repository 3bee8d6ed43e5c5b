#include "reports/step_groups.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "reports/table.h"

namespace llmbench::reports {

std::string Point::label() const {
  const result::StepResult& first = *repetitions.front();
  if (first.sweep_parameter.empty()) return scenario->name;
  return scenario->name + " " + step_label(first).substr(0, step_label(first).find(" #"));
}

std::vector<double> Point::values(const MetricDef& metric) const {
  std::vector<double> out;
  for (const result::StepResult* step : repetitions) {
    if (const std::optional<double> v = metric.value(*step)) out.push_back(*v);
  }
  return out;
}

std::optional<double> Point::median(const MetricDef& metric) const {
  std::vector<double> v = values(metric);
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const std::size_t mid = v.size() / 2;
  return v.size() % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

std::map<PointKey, Point> group_points(const result::RunReport& report) {
  std::map<PointKey, Point> points;
  for (const result::ScenarioResult& s : report.scenarios) {
    for (const result::StepResult& step : s.steps) {
      Point& p = points[{s.name, step.sweep_parameter, step.sweep_value}];
      p.scenario = &s;
      p.repetitions.push_back(&step);
    }
  }
  return points;
}

double relative_change(double base, double current) {
  if (base == current) return 0;
  if (base == 0)
    return current > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  return (current - base) / std::fabs(base);
}

}  // namespace llmbench::reports
