#pragma once

#include <string>
#include <utility>
#include <vector>

// Inline SVG charts generated in C++: deterministic text, no scripts, no fetches, so an HTML
// report is one file that renders anywhere (and is gold-file tested).
namespace llmbench::reports::svg {

struct Series {
  std::string label;
  std::vector<std::pair<double, double>> points;  // (x, y), drawn in the given order
};

struct ChartSpec {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;
  bool step_line = false;  // CDFs: horizontal-then-vertical segments
  double y_max = 0;        // 0: from the data
};

// A line chart with axes, ticks, a legend; points are marked. Empty series are skipped.
std::string line_chart(const ChartSpec& spec, const std::vector<Series>& series);

// One bar per (label, value): for comparisons without a sweep (one point per scenario).
std::string bar_chart(const ChartSpec& spec, const std::vector<std::pair<std::string, double>>& bars);

std::string escape(const std::string& text);

}  // namespace llmbench::reports::svg
