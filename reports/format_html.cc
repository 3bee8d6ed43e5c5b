// The HTML report: one self-contained page (inline CSS and SVG, no scripts, no fetches).
#include <fmt/format.h>

#include <map>

#include "reports/error_table.h"
#include "reports/formatters.h"
#include "reports/svg_chart.h"
#include "reports/table.h"

namespace llmbench::reports {

namespace {

using svg::escape;

constexpr const char* kStyle =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:1.5em;margin-bottom:4px}h2{margin-top:32px;border-bottom:1px solid #ddd}
.meta{color:#555}.warning{background:#fff3cd;border:1px solid #e0c36c;padding:8px;margin:8px 0}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #e5e5e5;background:#fff}
.chart .title{font-size:14px;font-weight:600}.chart .axis{stroke:#333}.chart .grid{stroke:#eee}
.chart .tick{font-size:11px;fill:#555}.chart .label{font-size:12px;fill:#333}.chart .legend{font-size:11px;fill:#333}
table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #ddd;padding:4px 8px;font-size:13px}
th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
)";

// Where a step sits on its scenario's x-axis: the swept parameter, else its concurrency.
std::pair<std::string, double> x_of(const result::StepResult& step) {
  if (!step.sweep_parameter.empty()) return {step.sweep_parameter, step.sweep_value};
  return {"concurrency", step.metrics.timing.concurrency};
}

struct ChartMetric {
  const char* title;
  const char* unit;
  double (*value)(const result::StepResult&);
};
constexpr ChartMetric kChartMetrics[] = {
    {"Requests per second", "req/s",
     [](const result::StepResult& s) { return s.metrics.throughput.requests_per_s; }},
    {"Output tokens per second", "tokens/s",
     [](const result::StepResult& s) { return s.metrics.throughput.output_tokens_per_s; }},
    {"TTFT p50", "ms",
     [](const result::StepResult& s) { return s.metrics.distributions.ttft.percentile(50) / 1e6; }},
    {"TTFT p99", "ms",
     [](const result::StepResult& s) { return s.metrics.distributions.ttft.percentile(99) / 1e6; }},
    {"E2E latency p50", "ms",
     [](const result::StepResult& s) { return s.metrics.distributions.e2e.percentile(50) / 1e6; }},
    {"E2E latency p99", "ms",
     [](const result::StepResult& s) { return s.metrics.distributions.e2e.percentile(99) / 1e6; }},
};

std::string series_label(const result::ScenarioResult& s) {
  return s.name + " (" + std::string(to_name(s.mode)) + ")";
}

std::string sweep_section(const result::RunReport& report) {
  // Scenarios sharing an x parameter are drawn on the same charts: modes side by side.
  std::map<std::string, std::vector<const result::ScenarioResult*>> by_parameter;
  for (const result::ScenarioResult& s : report.scenarios) {
    if (!s.steps.empty()) by_parameter[x_of(s.steps.front()).first].push_back(&s);
  }
  std::string out;
  for (const auto& [parameter, scenarios] : by_parameter) {
    bool swept = false;
    for (const auto* s : scenarios) swept = swept || s->steps.size() > 1;
    out += fmt::format("<h2>Throughput and latency {}</h2>\n<div class=\"charts\">\n",
                       swept ? "against " + escape(parameter) : "by scenario");
    for (const ChartMetric& metric : kChartMetrics) {
      svg::ChartSpec spec;
      spec.title = std::string(metric.title) + " (" + metric.unit + ")";
      // Bars carry their scenario names as (rotated) tick labels; an axis title would collide.
      spec.x_label = swept ? parameter : "";
      spec.y_label = metric.unit;
      if (swept) {
        std::vector<svg::Series> series;
        double lo = 0, hi = 0;
        for (const auto* s : scenarios) {
          svg::Series line{series_label(*s), {}};
          for (const result::StepResult& step : s->steps) {
            if (step.repetition != 0) continue;  // repetitions would zig-zag; the table lists them
            const double x = x_of(step).second;
            line.points.emplace_back(x, metric.value(step));
            lo = lo == 0 ? x : std::min(lo, x);
            hi = std::max(hi, x);
          }
          series.push_back(std::move(line));
        }
        spec.log_x = lo > 0 && hi / lo >= 16;  // concurrency 1..1024 reads best on a log axis
        out += svg::line_chart(spec, series);
      } else {
        std::vector<std::pair<std::string, double>> bars;
        for (const auto* s : scenarios) bars.emplace_back(s->name, metric.value(s->steps.front()));
        out += svg::bar_chart(spec, bars);
      }
    }
    out += "</div>\n";
  }
  return out;
}

std::string cdf_section(const result::RunReport& report) {
  std::vector<svg::Series> ttft, e2e;
  for (const result::ScenarioResult& s : report.scenarios) {
    for (const result::StepResult& step : s.steps) {
      if (step.repetition != 0) continue;
      const std::string label = s.steps.size() > 1 ? s.name + " " + step_label(step) : s.name;
      auto to_ms = [](std::vector<std::pair<double, double>> points) {
        for (auto& p : points) p.first /= 1e6;
        return points;
      };
      ttft.push_back({label, to_ms(step.metrics.distributions.ttft.cdf())});
      e2e.push_back({label, to_ms(step.metrics.distributions.e2e.cdf())});
    }
  }
  std::string out = "<h2>Latency distributions (CDF)</h2>\n<div class=\"charts\">\n";
  svg::ChartSpec spec;
  spec.x_label = "ms (log scale)";
  spec.y_label = "fraction of requests";
  spec.log_x = true;
  spec.step_line = true;
  spec.y_max = 1.0;
  spec.title = "Time to first token";
  out += svg::line_chart(spec, ttft);
  spec.title = "End-to-end latency";
  out += svg::line_chart(spec, e2e);
  return out + "</div>\n";
}

std::string tables_section(const result::RunReport& report) {
  std::string out = "<h2>Results</h2>\n";
  for (const result::ScenarioResult& s : report.scenarios) {
    out += fmt::format("<h3>{} <span class=\"meta\">{} · {} · {} load</span></h3>\n<table>\n<tr>",
                       escape(s.name), s.mode, s.operation, s.load_model);
    const SummaryTable t = summary_table(s);
    for (const std::string& h : t.header) out += "<th>" + escape(h) + "</th>";
    out += "</tr>\n";
    for (const auto& row : t.rows) {
      out += "<tr>";
      for (std::size_t c = 0; c < row.size(); ++c) {
        out += fmt::format("<td{}>{}</td>", t.numeric[c] ? " class=\"num\"" : "", escape(row[c]));
      }
      out += "</tr>\n";
    }
    out += "</table>\n";
    if (const std::vector<ErrorRow> errors = error_rows(s); !errors.empty()) {
      out +=
          "<table class=\"errors\">\n<tr><th>step</th><th>error</th><th>requests</th><th>HTTP statuses</th>"
          "<th>first messages</th></tr>\n";
      for (const ErrorRow& row : errors) {
        out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n",
                           escape(row.step), escape(row.kind), row.count, escape(row.statuses),
                           escape(row.messages));
      }
      out += "</table>\n";
    }
  }
  return out;
}

}  // namespace

std::string format_html(const result::RunReport& report) {
  const result::Environment& env = report.environment;
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>llmbench report "
      "{}</title>\n"
      "<style>\n{}</style>\n</head>\n<body>\n<h1>llmbench report</h1>\n"
      "<p class=\"meta\">{} · llmbench {} ({}) · {} · {} × {} · {} {}</p>\n",
      escape(report.started_at), kStyle, escape(report.started_at), escape(report.tool_version),
      escape(env.build_flavor), escape(env.host), env.cpu_count, escape(env.cpu_model), escape(env.os),
      escape(env.kernel));
  if (!env.warning.empty()) out += "<p class=\"warning\">Warning: " + escape(env.warning) + "</p>\n";
  if (report.interrupted) out += "<p class=\"warning\">Interrupted: these are partial results.</p>\n";
  out += sweep_section(report);
  out += cdf_section(report);
  out += tables_section(report);
  out +=
      "<p class=\"meta\">Generated by llmbench from report.json; this page fetches "
      "nothing.</p>\n</body>\n</html>\n";
  return out;
}

}  // namespace llmbench::reports
