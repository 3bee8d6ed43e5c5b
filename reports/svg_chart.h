#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

// Inline SVG charts generated in C++: deterministic text, no scripts, no fetches, so an HTML
// report is one file that renders anywhere (and is gold-file tested). Every point carries a
// <title> (the browser's hover tooltip) with its exact value.
namespace llmbench::reports::svg {

// How a series is drawn. A reference series (an ideal line) shares the colour of the series it
// belongs to and has no legend entry of its own; the chart's note explains the dashes.
enum class Stroke { solid, dashed, dotted };

struct Series {
  std::string label;
  std::vector<std::pair<double, double>> points;  // (x, y), drawn in the given order
  // Optional error bar per point (same length as points): the (min, max) of the repetitions.
  std::vector<std::pair<double, double>> ranges;
  Stroke stroke = Stroke::solid;
  // Draw in the colour of series number `colour_of` (its index in the vector given to
  // line_chart) and keep out of the legend; nullopt: a colour and legend entry of its own.
  std::optional<std::size_t> colour_of;
};

// A vertical marker at x (e.g. the knee of a sweep), drawn in the colour of series `series`
// (an index past the chart's series takes that palette colour: 8 is grey).
struct Marker {
  double x = 0;
  std::size_t series = 0;
  std::string label;
};

struct ChartSpec {
  std::string title;
  std::string note;  // a smaller second line under the title ("dashed: ideal"), may be empty
  std::string x_label;
  std::string y_label;
  bool log_x = false;
  bool step_line = false;  // CDFs: horizontal-then-vertical segments
  double y_max = 0;        // 0: from the data
  std::optional<double> y_reference;  // a horizontal grey line (e.g. 90 % of ideal)
  std::vector<Marker> markers;
};

// A line chart with numbered axes and a legend that names every series in full (as many rows
// as it needs); colours repeat only with another stroke pattern. Empty series are skipped.
std::string line_chart(const ChartSpec& spec, const std::vector<Series>& series);

struct Bar {
  std::string label;
  double value = 0;
  std::optional<std::pair<double, double>> range;  // error bar: (min, max) of the repetitions
};

// One bar per label: for comparisons without a sweep (one point per scenario).
std::string bar_chart(const ChartSpec& spec, const std::vector<Bar>& bars);

// Tick positions for an axis over [lo, hi]: 1-2-5 steps; on a log axis decades, then 1-2-5 and
// 1..9 multiples when the range spans less than a decade, so every axis carries numbers.
std::vector<double> axis_ticks(double lo, double hi, bool log);

std::string escape(const std::string& text);

}  // namespace llmbench::reports::svg
