#include "reports/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "reports/table.h"

namespace llmbench::reports::svg {

namespace {

constexpr double kWidth = 560, kHeight = 320;
constexpr double kLeft = 64, kRight = 16, kTop = 34, kBottom = 72;
constexpr const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                    "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

// 1, 2 or 5 times a power of ten, so tick labels read naturally.
double nice_step(double range, int target_ticks) {
  const double raw = range / target_ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= m * magnitude) return m * magnitude;
  }
  return 10 * magnitude;
}

std::string header(const ChartSpec& spec) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
      "height=\"{1}\" "
      "role=\"img\" aria-label=\"{2}\">\n<text x=\"{3}\" y=\"20\" class=\"title\">{2}</text>\n",
      kWidth, kHeight, escape(spec.title), kLeft);
}

std::string axes(const ChartSpec& spec) {
  return fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" class=\"axis\"/>\n"
      "<line x1=\"{0}\" y1=\"{3}\" x2=\"{0}\" y2=\"{1}\" class=\"axis\"/>\n"
      "<text x=\"{4}\" y=\"{5}\" class=\"label\" text-anchor=\"middle\">{6}</text>\n"
      "<text x=\"14\" y=\"{7}\" class=\"label\" text-anchor=\"middle\" transform=\"rotate(-90 14 "
      "{7})\">{8}</text>\n",
      kLeft, kHeight - kBottom, kWidth - kRight, kTop, (kLeft + kWidth - kRight) / 2, kHeight - kBottom + 30,
      escape(spec.x_label), (kTop + kHeight - kBottom) / 2, escape(spec.y_label));
}

std::string y_ticks(double y_max, const std::function<double(double)>& to_y) {
  std::string out;
  const double step = nice_step(y_max, 5);
  for (double v = 0; v <= y_max * 1.0001; v += step) {
    const double y = to_y(v);
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" class=\"grid\"/>"
        "<text x=\"{3}\" y=\"{4:.1f}\" class=\"tick\" text-anchor=\"end\">{5}</text>\n",
        kLeft, y, kWidth - kRight, kLeft - 6, y + 4, format_number(v));
  }
  return out;
}

double rounded_max(double v) {
  if (!(v > 0)) return 1;
  const double step = nice_step(v, 5);
  return std::ceil(v / step) * step;
}

}  // namespace

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
  std::vector<const Series*> series;
  for (const Series& s : all_series) {
    if (!s.points.empty()) series.push_back(&s);
  }
  std::string out = header(spec);
  if (series.empty()) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" class=\"label\">no data</text>\n</svg>\n", kLeft + 20,
                       kHeight / 2);
    return out;
  }
  double x_min = INFINITY, x_max = -INFINITY, y_max = spec.y_max;
  std::vector<double> xs;
  for (const Series* s : series) {
    for (const auto& [x, y] : s->points) {
      if (spec.log_x && !(x > 0)) continue;
      x_min = std::min(x_min, x);
      x_max = std::max(x_max, x);
      if (spec.y_max == 0) y_max = std::max(y_max, y);
      xs.push_back(x);
    }
  }
  y_max = spec.y_max == 0 ? rounded_max(y_max * 1.05) : y_max;
  if (!(x_max > x_min)) {
    x_min = spec.log_x ? x_min / 2 : x_min - 1;
    x_max = spec.log_x ? x_max * 2 : x_max + 1;
  }
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto to_x = [&](double x) {
    if (spec.log_x)
      return kLeft + (std::log(x) - std::log(x_min)) / (std::log(x_max) - std::log(x_min)) * plot_w;
    return kLeft + (x - x_min) / (x_max - x_min) * plot_w;
  };
  auto to_y = [&](double y) { return kTop + plot_h - std::clamp(y / y_max, 0.0, 1.0) * plot_h; };

  out += y_ticks(y_max, to_y);
  // X ticks: the sweep's own values when there are few (1, 2, 4, ... 1024), else round numbers.
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  std::vector<double> ticks;
  if (xs.size() <= 12 && !spec.step_line) {
    ticks = xs;
  } else if (spec.log_x) {
    for (double p = std::pow(10.0, std::floor(std::log10(x_min))); p <= x_max * 1.0001; p *= 10) {
      if (p >= x_min * 0.9999) ticks.push_back(p);
    }
  } else {
    const double step = nice_step(x_max - x_min, 6);
    for (double v = std::ceil(x_min / step) * step; v <= x_max * 1.0001; v += step) ticks.push_back(v);
  }
  for (double t : ticks) {
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>\n",
                       to_x(t), kHeight - kBottom + 16, format_number(t));
  }
  out += axes(spec);

  for (std::size_t i = 0; i < series.size(); ++i) {
    const char* colour = kPalette[i % std::size(kPalette)];
    std::string path;
    double last_y = 0;
    bool first = true;
    for (const auto& [x, y] : series[i]->points) {
      if (spec.log_x && !(x > 0)) continue;
      if (spec.step_line && !first) path += fmt::format(" L{:.1f},{:.1f}", to_x(x), to_y(last_y));
      path += fmt::format("{}{:.1f},{:.1f}", first ? "M" : " L", to_x(x), to_y(y));
      last_y = y;
      first = false;
    }
    out += fmt::format(
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"><title>{}</title></path>\n", path,
        colour, escape(series[i]->label));
    if (!spec.step_line) {
      for (const auto& [x, y] : series[i]->points) {
        if (spec.log_x && !(x > 0)) continue;
        out += fmt::format(
            "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>{}: {} at {}</title></circle>\n",
            to_x(x), to_y(y), colour, escape(series[i]->label), format_number(y), format_number(x));
      }
    }
    // Legend below the x-axis label, three entries per row, up to three rows (nine series, the
    // quickstart's three models x three operations); a longer list is in the table below.
    if (i < 9) {
      const double lx = kLeft + static_cast<double>(i % 3) * 165;
      const double ly = kHeight - 25 + static_cast<double>(i / 3) * 11;
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
          "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"legend\">{}</text>\n",
          lx, ly - 9, colour, lx + 14, ly, escape(series[i]->label.substr(0, 26)));
    }
  }
  out += "</svg>\n";
  return out;
}

std::string bar_chart(const ChartSpec& spec, const std::vector<std::pair<std::string, double>>& bars) {
  std::string out = header(spec);
  if (bars.empty()) return out + "</svg>\n";
  double y_max = spec.y_max;
  if (y_max == 0) {
    for (const auto& [label, v] : bars) y_max = std::max(y_max, v);
    y_max = rounded_max(y_max * 1.05);
  }
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto to_y = [&](double y) { return kTop + plot_h - std::clamp(y / y_max, 0.0, 1.0) * plot_h; };
  out += y_ticks(y_max, to_y);
  const double slot = plot_w / static_cast<double>(bars.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& [label, v] = bars[i];
    const double x = kLeft + slot * static_cast<double>(i) + slot * 0.15;
    const double y = to_y(v);
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}: "
        "{}</title></rect>\n"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\" text-anchor=\"middle\">{}</text>\n"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\" text-anchor=\"end\" "
        "transform=\"rotate(-30 {:.1f} {:.1f})\">{}</text>\n",
        x, y, slot * 0.7, kTop + plot_h - y, kPalette[i % std::size(kPalette)], escape(label),
        format_number(v), x + slot * 0.35, y - 4, format_number(v), x + slot * 0.5, kHeight - kBottom + 12,
        x + slot * 0.5, kHeight - kBottom + 12, escape(label.substr(0, 18)));
  }
  out += axes(spec);
  out += "</svg>\n";
  return out;
}

}  // namespace llmbench::reports::svg
