#include "reports/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "reports/table.h"

namespace llmbench::reports::svg {

namespace {

constexpr double kWidth = 560, kPlotHeight = 214;
constexpr double kLeft = 64, kRight = 16, kTop = 44;
constexpr double kPlotBottom = kTop + kPlotHeight;
constexpr double kLegendTop = kPlotBottom + 50;  // below the tick labels and the x-axis title
constexpr double kLegendRow = 13;
// An 11 px label is about this wide per character; the legend lays itself out with it.
constexpr double kCharWidth = 6.2;
// Twelve colours that stay apart in print and for the common colour-vision deficiencies; past
// twelve series a colour comes back only with a dash-dot stroke, so no two series look alike.
constexpr const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                                    "#e377c2", "#17becf", "#7f7f7f", "#bcbd22", "#393b79", "#000000"};
constexpr std::size_t kColours = std::size(kPalette);

const char* colour(std::size_t i) { return kPalette[i % kColours]; }

// The stroke-dasharray attribute of a stroke, or of the i-th colour's second round.
std::string dash(Stroke stroke, std::size_t colour_index) {
  switch (stroke) {
    case Stroke::dashed:
      return " stroke-dasharray=\"7 4\"";
    case Stroke::dotted:
      return " stroke-dasharray=\"2 3\"";
    case Stroke::solid:
      break;
  }
  return colour_index >= kColours ? " stroke-dasharray=\"9 3 2 3\"" : "";
}

// 1, 2 or 5 times a power of ten, so tick labels read naturally.
double nice_step(double range, int target_ticks) {
  const double raw = range / target_ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= m * magnitude) return m * magnitude;
  }
  return 10 * magnitude;
}

double rounded_max(double v) {
  if (!(v > 0)) return 1;
  const double step = nice_step(v, 5);
  return std::ceil(v / step) * step;
}

// Splits a legend label into lines of at most `width` characters, at spaces where it can.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string rest = text;
  while (rest.size() > width) {
    std::size_t cut = rest.rfind(' ', width);
    if (cut == std::string::npos || cut == 0) cut = width;
    lines.push_back(rest.substr(0, cut));
    rest = rest.substr(rest[cut] == ' ' ? cut + 1 : cut);
  }
  lines.push_back(rest);
  return lines;
}

struct LegendEntry {
  std::string label;
  std::size_t colour_index = 0;
  Stroke stroke = Stroke::solid;
  bool swatch_is_box = false;  // bars: a filled box; lines: a stroke sample
};

// The legend under the plot: every entry in full, in as many columns as the longest label
// allows and as many rows as needed. Returns the SVG and the chart height it needs.
std::pair<std::string, double> legend(const std::vector<LegendEntry>& entries) {
  if (entries.empty()) return {"", kLegendTop};
  const double avail = kWidth - 16;
  std::size_t longest = 0;
  for (const LegendEntry& e : entries) longest = std::max(longest, e.label.size());
  const double entry_width = 28 + static_cast<double>(longest) * kCharWidth;
  const auto columns = static_cast<std::size_t>(std::clamp(std::floor(avail / entry_width), 1.0, 4.0));
  const double column_width = avail / static_cast<double>(columns);
  const auto chars = static_cast<std::size_t>(std::max(10.0, (column_width - 28) / kCharWidth));
  std::string out = "<g class=\"legend-entries\">\n";
  double row_top = kLegendTop;
  for (std::size_t first = 0; first < entries.size(); first += columns) {
    std::size_t row_lines = 1;
    for (std::size_t c = 0; c < columns && first + c < entries.size(); ++c) {
      const LegendEntry& e = entries[first + c];
      const std::vector<std::string> lines = wrap(e.label, chars);
      row_lines = std::max(row_lines, lines.size());
      const double x = 8 + column_width * static_cast<double>(c);
      const char* fill = colour(e.colour_index);
      out += e.swatch_is_box
                 ? fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"10\" height=\"10\" fill=\"{}\"/>", x,
                               row_top - 9, fill)
                 : fmt::format(
                       "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
                       "stroke-width=\"2.5\"{}/>",
                       x, row_top - 4, x + 18, row_top - 4, fill, dash(e.stroke, e.colour_index));
      out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"legend\">", x + 24, row_top);
      for (std::size_t l = 0; l < lines.size(); ++l) {
        out += fmt::format("<tspan x=\"{:.1f}\" dy=\"{}\">{}</tspan>", x + 24, l == 0 ? 0 : kLegendRow,
                           escape(lines[l]));
      }
      out += "</text>\n";
    }
    row_top += kLegendRow * static_cast<double>(row_lines) + 3;
  }
  return {out + "</g>\n", row_top};
}

std::string open_svg(const ChartSpec& spec, double height) {
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {0} {1:.0f}\" width=\"{0}\" "
      "height=\"{1:.0f}\" role=\"img\" aria-label=\"{2}\">\n<text x=\"{3}\" y=\"20\" "
      "class=\"title\">{2}</text>\n",
      kWidth, height, escape(spec.title), kLeft);
  if (!spec.note.empty()) {
    out += fmt::format("<text x=\"{}\" y=\"35\" class=\"tick\">{}</text>\n", kLeft, escape(spec.note));
  }
  return out;
}

std::string axes(const ChartSpec& spec) {
  return fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" class=\"axis\"/>\n"
      "<line x1=\"{0}\" y1=\"{3}\" x2=\"{0}\" y2=\"{1}\" class=\"axis\"/>\n"
      "<text x=\"{4}\" y=\"{5}\" class=\"label\" text-anchor=\"middle\">{6}</text>\n"
      "<text x=\"14\" y=\"{7}\" class=\"label\" text-anchor=\"middle\" transform=\"rotate(-90 14 "
      "{7})\">{8}</text>\n",
      kLeft, kPlotBottom, kWidth - kRight, kTop, (kLeft + kWidth - kRight) / 2, kPlotBottom + 32,
      escape(spec.x_label), (kTop + kPlotBottom) / 2, escape(spec.y_label));
}

std::string y_ticks(double y_max, const std::function<double(double)>& to_y) {
  std::string out;
  for (double v : axis_ticks(0, y_max, false)) {
    const double y = to_y(v);
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" class=\"grid\"/>"
        "<text x=\"{3}\" y=\"{4:.1f}\" class=\"tick\" text-anchor=\"end\">{5}</text>\n",
        kLeft, y, kWidth - kRight, kLeft - 6, y + 4, format_number(v));
  }
  return out;
}

// A vertical bar from lo to hi with short caps: the spread of a point's repetitions.
std::string error_bar(double x, double y_lo, double y_hi, const char* fill) {
  return fmt::format(
      "<path d=\"M{0:.1f},{1:.1f} L{0:.1f},{2:.1f} M{3:.1f},{1:.1f} L{4:.1f},{1:.1f} M{3:.1f},{2:.1f} "
      "L{4:.1f},{2:.1f}\" stroke=\"{5}\" stroke-width=\"1.2\" class=\"error-bar\"/>\n",
      x, y_lo, y_hi, x - 4, x + 4, fill);
}

}  // namespace

std::vector<double> axis_ticks(double lo, double hi, bool log) {
  if (!(hi > lo)) return {lo};
  constexpr double kEps = 1e-9;
  if (log && lo > 0) {
    const std::vector<std::vector<double>> multiples = {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
    for (const std::vector<double>& ms : multiples) {
      std::vector<double> ticks;
      for (double p = std::pow(10.0, std::floor(std::log10(lo))); p <= hi * (1 + kEps); p *= 10) {
        for (double m : ms) {
          const double v = m * p;
          if (v >= lo * (1 - kEps) && v <= hi * (1 + kEps)) ticks.push_back(v);
        }
      }
      if (ticks.size() >= 3) return ticks;
    }
  }
  // Linear (or a log axis narrower than two 1..9 steps): round steps inside the range.
  std::vector<double> ticks;
  const double step = nice_step(hi - lo, 5);
  for (double v = std::ceil(lo / step - kEps) * step; v <= hi + step * kEps; v += step) {
    ticks.push_back(std::abs(v) < step * kEps ? 0 : v);
  }
  return ticks;
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string line_chart(const ChartSpec& spec, const std::vector<Series>& all_series) {
  // Colour indexes: a series of its own takes the next one; a reference line borrows its owner's.
  std::vector<std::size_t> colour_index(all_series.size());
  std::vector<LegendEntry> entries;
  for (std::size_t i = 0, next = 0; i < all_series.size(); ++i) {
    const Series& s = all_series[i];
    if (s.colour_of) continue;
    colour_index[i] = next++;
    if (!s.points.empty()) entries.push_back({s.label, colour_index[i], s.stroke, false});
  }
  for (std::size_t i = 0; i < all_series.size(); ++i) {
    if (const auto owner = all_series[i].colour_of; owner && *owner < all_series.size())
      colour_index[i] = colour_index[*owner];
  }
  std::vector<std::size_t> drawn;
  for (std::size_t i = 0; i < all_series.size(); ++i) {
    if (!all_series[i].points.empty()) drawn.push_back(i);
  }
  if (drawn.empty()) {
    return open_svg(spec, kLegendTop) +
           fmt::format("<text x=\"{}\" y=\"{}\" class=\"label\">no data</text>\n</svg>\n", kLeft + 20,
                       (kTop + kPlotBottom) / 2);
  }
  const auto [legend_svg, height] = legend(entries);
  std::string out = open_svg(spec, height);

  double x_min = INFINITY, x_max = -INFINITY, y_max = spec.y_max;
  std::vector<double> xs;
  for (std::size_t i : drawn) {
    const Series& s = all_series[i];
    for (std::size_t p = 0; p < s.points.size(); ++p) {
      const auto [x, y] = s.points[p];
      if (spec.log_x && !(x > 0)) continue;
      x_min = std::min(x_min, x);
      x_max = std::max(x_max, x);
      if (spec.y_max == 0) y_max = std::max({y_max, y, p < s.ranges.size() ? s.ranges[p].second : 0.0});
      xs.push_back(x);
    }
  }
  if (spec.y_max == 0) y_max = rounded_max(std::max(y_max, spec.y_reference.value_or(0)) * 1.05);
  if (!(x_max > x_min)) {
    x_min = spec.log_x ? x_min / 2 : x_min - 1;
    x_max = spec.log_x ? x_max * 2 : x_max + 1;
  }
  const double plot_w = kWidth - kLeft - kRight;
  auto to_x = [&](double x) {
    if (spec.log_x)
      return kLeft + (std::log(x) - std::log(x_min)) / (std::log(x_max) - std::log(x_min)) * plot_w;
    return kLeft + (x - x_min) / (x_max - x_min) * plot_w;
  };
  auto to_y = [&](double y) { return kTop + kPlotHeight - std::clamp(y / y_max, 0.0, 1.0) * kPlotHeight; };

  out += y_ticks(y_max, to_y);
  // X ticks: the sweep's own values when there are few (1, 2, 4, ... 1024), else round numbers.
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  const std::vector<double> ticks =
      xs.size() >= 2 && xs.size() <= 12 && !spec.step_line ? xs : axis_ticks(x_min, x_max, spec.log_x);
  for (double t : ticks) {
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"tick x-tick\" text-anchor=\"middle\">{}</text>\n",
                       to_x(t), kPlotBottom + 16, format_number(t));
  }
  out += axes(spec);
  if (spec.y_reference) {
    const double y = to_y(*spec.y_reference);
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>"
        "<text x=\"{2}\" y=\"{3:.1f}\" class=\"tick\" text-anchor=\"end\">{4}</text>\n",
        kLeft, y, kWidth - kRight, y - 3, format_number(*spec.y_reference));
  }
  for (std::size_t k = 0; k < spec.markers.size(); ++k) {
    const Marker& m = spec.markers[k];
    if (spec.log_x && !(m.x > 0)) continue;
    const double x = to_x(std::clamp(m.x, x_min, x_max));
    const char* fill = colour(m.series < colour_index.size() ? colour_index[m.series] : m.series);
    const bool near_right = x > kWidth - kRight - 110;  // the label would run off the chart
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"{3}\" stroke-dasharray=\"3 3\" "
        "class=\"marker\"/><text x=\"{4:.1f}\" y=\"{5}\" class=\"tick\" fill=\"{3}\"{7}>{6}</text>\n",
        x, kTop, kPlotBottom, fill, near_right ? x - 3 : x + 3, kTop + 10 + 12 * static_cast<double>(k % 4),
        escape(m.label), near_right ? " text-anchor=\"end\"" : "");
  }

  for (std::size_t i : drawn) {
    const Series& s = all_series[i];
    const char* fill = colour(colour_index[i]);
    std::string path;
    double last_y = 0;
    bool first = true;
    for (const auto& [x, y] : s.points) {
      if (spec.log_x && !(x > 0)) continue;
      if (spec.step_line && !first) path += fmt::format(" L{:.1f},{:.1f}", to_x(x), to_y(last_y));
      path += fmt::format("{}{:.1f},{:.1f}", first ? "M" : " L", to_x(x), to_y(y));
      last_y = y;
      first = false;
    }
    out += fmt::format(
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}><title>{}</title></path>\n", path,
        fill, dash(s.stroke, colour_index[i]), escape(s.label));
    if (spec.step_line) continue;
    for (std::size_t p = 0; p < s.points.size(); ++p) {
      const auto [x, y] = s.points[p];
      if (spec.log_x && !(x > 0)) continue;
      std::string spread;
      if (p < s.ranges.size()) {
        const auto [lo, hi] = s.ranges[p];
        if (hi > lo) {
          out += error_bar(to_x(x), to_y(lo), to_y(hi), fill);
          spread = fmt::format(" (repetitions {} to {})", format_number(lo), format_number(hi));
        }
      }
      out += fmt::format(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\"><title>{}: {} at {}{}</title></circle>\n",
          to_x(x), to_y(y), s.colour_of ? 2 : 3, fill, escape(s.label), format_number(y), format_number(x),
          spread);
    }
  }
  return out + legend_svg + "</svg>\n";
}

std::string bar_chart(const ChartSpec& spec, const std::vector<Bar>& bars) {
  std::vector<LegendEntry> entries;
  for (std::size_t i = 0; i < bars.size(); ++i) entries.push_back({bars[i].label, i, Stroke::solid, true});
  const auto [legend_svg, height] = legend(entries);
  std::string out = open_svg(spec, height);
  if (bars.empty()) return out + "</svg>\n";
  double y_max = spec.y_max;
  if (y_max == 0) {
    for (const Bar& b : bars) y_max = std::max({y_max, b.value, b.range ? b.range->second : 0.0});
    y_max = rounded_max(y_max * 1.05);
  }
  const double plot_w = kWidth - kLeft - kRight;
  auto to_y = [&](double y) { return kTop + kPlotHeight - std::clamp(y / y_max, 0.0, 1.0) * kPlotHeight; };
  out += y_ticks(y_max, to_y);
  const double slot = plot_w / static_cast<double>(bars.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double x = kLeft + slot * static_cast<double>(i) + slot * 0.15;
    const double y = to_y(b.value);
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}: "
        "{}</title></rect>\n"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\" text-anchor=\"middle\">{}</text>\n",
        x, y, slot * 0.7, kPlotBottom - y, colour(i), escape(b.label), format_number(b.value),
        x + slot * 0.35, y - 4, format_number(b.value));
    if (b.range && b.range->second > b.range->first) {
      out += error_bar(x + slot * 0.35, to_y(b.range->first), to_y(b.range->second), "#333");
    }
  }
  out += axes(spec);
  return out + legend_svg + "</svg>\n";
}

}  // namespace llmbench::reports::svg
