// The HTML report: one self-contained page (inline CSS and SVG, no scripts, no fetches). It is
// laid out to answer "which setting?": the workload first, then per sweep the throughput
// against its ideal, the efficiency, the latency fans and the errors; scenarios that are not
// swept side by side as bars; then distributions and the tables.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <optional>

#include "reports/error_table.h"
#include "reports/formatters.h"
#include "reports/html_page.h"
#include "reports/latency_views.h"
#include "reports/session_table.h"
#include "reports/svg_chart.h"
#include "reports/sweep_verdict.h"
#include "reports/table.h"
#include "reports/workload_header.h"

namespace llmbench::reports {

namespace {

using result::StepResult;
using svg::escape;
using Value = std::optional<double> (*)(const StepResult&);

constexpr const char* kStyle =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:1.5em;margin-bottom:4px}h2{margin-top:32px;border-bottom:1px solid #ddd}
.meta{color:#555}.warning{background:#fff3cd;border:1px solid #e0c36c;padding:8px;margin:8px 0}
.workload{margin:4px 0;color:#333}.verdict{margin:4px 0;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #e5e5e5;background:#fff}
.chart .title{font-size:14px;font-weight:600}.chart .axis{stroke:#333}.chart .grid{stroke:#eee}
.chart .tick{font-size:11px;fill:#555}.chart .label{font-size:12px;fill:#333}.chart .legend{font-size:11px;fill:#333}
table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #ddd;padding:4px 8px;font-size:13px}
th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.worse td{background:#fde2e2}tr.better td{background:#e3f4e3}
)";

std::optional<double> ms_percentile(const metrics::LatencyHistogram& h, double q) {
  if (h.empty()) return std::nullopt;
  return h.percentile(q) / 1e6;
}

// One measured point of a scenario: its repetitions, reduced to median and spread.
struct Point {
  double x = 0;
  std::vector<const StepResult*> repetitions;

  // (median, min, max) of the repetitions that have the value; nullopt when none has.
  std::optional<std::array<double, 3>> stats(Value value) const {
    std::vector<double> v;
    for (const StepResult* step : repetitions) {
      if (const auto d = value(*step); d && std::isfinite(*d)) v.push_back(*d);
    }
    if (v.empty()) return std::nullopt;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    const double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return std::array<double, 3>{median, v.front(), v.back()};
  }
};

// Where a step sits on its scenario's x-axis: the swept parameter, else its concurrency.
std::pair<std::string, double> x_of(const StepResult& step) {
  if (!step.sweep_parameter.empty()) return {step.sweep_parameter, step.sweep_value};
  return {"concurrency", step.metrics.timing.concurrency};
}

std::vector<Point> points_of(const result::ScenarioResult& s) {
  std::map<double, Point> by_x;
  for (const StepResult& step : s.steps) {
    Point& p = by_x[x_of(step).second];
    p.x = x_of(step).second;
    p.repetitions.push_back(&step);
  }
  std::vector<Point> points;
  for (auto& [x, p] : by_x) points.push_back(std::move(p));
  return points;
}

std::string series_label(const result::ScenarioResult& s) {
  return fmt::format("{} ({} {})", s.name, s.mode, s.operation);
}

// A scenario's line through its points: the median of each point, the repetitions' spread as
// error bars.
svg::Series line(const std::vector<Point>& points, Value value, std::string label) {
  svg::Series series{std::move(label), {}, {}, svg::Stroke::solid, std::nullopt};
  for (const Point& p : points) {
    const auto st = p.stats(value);
    if (!st) continue;
    series.points.emplace_back(p.x, (*st)[0]);
    series.ranges.emplace_back((*st)[1], (*st)[2]);
  }
  return series;
}

struct Scenarios {
  std::vector<const result::ScenarioResult*> list;
  std::vector<std::vector<Point>> points;  // per scenario, in list order
};

// Charts of one metric against the swept value: one solid line per scenario and, for each
// `extra` (a percentile or a reference), a line in the same colour with another stroke.
struct Extra {
  Value value;
  svg::Stroke stroke;
};
std::string sweep_chart(const Scenarios& group, svg::ChartSpec spec, Value main,
                        const std::vector<Extra>& extras) {
  std::vector<svg::Series> series;
  for (std::size_t i = 0; i < group.list.size(); ++i) {
    series.push_back(line(group.points[i], main, series_label(*group.list[i])));
  }
  const std::size_t owners = series.size();
  for (const Extra& extra : extras) {
    for (std::size_t i = 0; i < owners; ++i) {
      svg::Series s = line(group.points[i], extra.value, series[i].label);
      s.stroke = extra.stroke;
      s.colour_of = i;
      series.push_back(std::move(s));
    }
  }
  double lo = 0, hi = 0;
  for (const svg::Series& s : series) {
    for (const auto& [x, y] : s.points) {
      lo = lo == 0 ? x : std::min(lo, x);
      hi = std::max(hi, x);
    }
  }
  spec.log_x = lo > 0 && hi / lo >= 16;  // concurrency 1..1024 reads best on a log axis
  return svg::line_chart(spec, series);
}

bool any_value(const Scenarios& group, Value value) {
  for (const auto& points : group.points) {
    for (const Point& p : points) {
      if (p.stats(value)) return true;
    }
  }
  return false;
}

// Error charts only when something failed: a chart of zeros says nothing the table does not.
bool any_failure(const Scenarios& group) {
  for (const auto* s : group.list) {
    for (const StepResult& step : s->steps) {
      if (step.metrics.counts.failed > 0 || step.metrics.counts.rejected_attempts > 0) return true;
    }
  }
  return false;
}

std::optional<double> requests_per_s(const StepResult& s) { return s.metrics.throughput.requests_per_s; }
std::optional<double> ideal_rps(const StepResult& s) { return s.efficiency().ideal_requests_per_s; }
std::optional<double> efficiency_pct(const StepResult& s) {
  const auto r = s.efficiency().throughput_ratio;
  return r ? std::optional<double>(*r * 100) : std::nullopt;
}
std::optional<double> output_tps(const StepResult& s) { return s.metrics.throughput.output_tokens_per_s; }
std::optional<double> error_pct(const StepResult& s) {
  const auto& c = s.metrics.counts;
  if (c.total == 0) return std::nullopt;
  return 100.0 * static_cast<double>(c.failed) / static_cast<double>(c.total);
}
std::optional<double> rejected_pct(const StepResult& s) {
  const auto& c = s.metrics.counts;
  const std::uint64_t attempts = c.total + c.retries;
  if (attempts == 0) return std::nullopt;
  return 100.0 * static_cast<double>(c.rejected_attempts) / static_cast<double>(attempts);
}
std::optional<double> goodput(const StepResult& s) { return s.metrics.throughput.goodput_rps; }
std::optional<double> attainment_pct(const StepResult& s) {
  const auto& m = s.metrics;
  if (!m.slo.any() || m.counts.total == 0) return std::nullopt;
  return 100.0 * static_cast<double>(m.counts.good) / static_cast<double>(m.counts.total);
}
std::optional<double> in_flight(const StepResult& s) { return s.metrics.throughput.mean_in_flight; }
std::optional<double> configured_concurrency(const StepResult& s) {
  if (!s.metrics.throughput.mean_in_flight || s.metrics.timing.concurrency <= 0) return std::nullopt;
  return s.metrics.timing.concurrency;
}

// The four latency fans: p50 solid, p90 dotted, p99 dashed, each metric's own chart.
struct Fan {
  const char* title;
  Value p50, p90, p99;
};
template <metrics::LatencyHistogram metrics::Distributions::*Histogram, int Percentile>
std::optional<double> ms_at(const StepResult& s) {
  return ms_percentile(s.metrics.distributions.*Histogram, Percentile);
}
template <metrics::LatencyHistogram metrics::Distributions::*H>
constexpr Fan fan(const char* title) {
  return {title, ms_at<H, 50>, ms_at<H, 90>, ms_at<H, 99>};
}
using D = metrics::Distributions;
constexpr Fan kFans[] = {fan<&D::ttft>("Time to first token"), fan<&D::itl>("Inter-token latency"),
                         fan<&D::tpot>("Time per output token"), fan<&D::e2e>("End-to-end latency")};

std::string swept_section(const std::string& parameter, const Scenarios& group) {
  std::string out = fmt::format("<h2>Against {}</h2>\n", escape(parameter));
  for (const auto* s : group.list) {
    if (const auto verdict = sweep_verdict(*s)) out += "<p class=\"verdict\">" + escape(*verdict) + "</p>\n";
    if (const auto search = search_verdict(*s)) out += "<p class=\"verdict\">" + escape(*search) + "</p>\n";
  }
  out += "<div class=\"charts\">\n";
  svg::ChartSpec spec;
  spec.x_label = parameter;

  spec.title = "Requests per second";
  spec.y_label = "req/s";
  std::vector<Extra> ideal;
  if (any_value(group, ideal_rps)) {
    ideal.push_back({ideal_rps, svg::Stroke::dashed});
    spec.note = parameter == "rate" ? "dashed: the target rate (ideal)"
                                    : "dashed: ideal (concurrency / configured latency); marker: the knee";
    for (std::size_t i = 0; i < group.list.size(); ++i) {
      if (const auto k = sweep_knee(*group.list[i]))
        spec.markers.push_back({*k, i, fmt::format("knee {:g}", *k)});
    }
  }
  out += sweep_chart(group, spec, requests_per_s, ideal);
  spec.note.clear();
  spec.markers.clear();

  if (any_value(group, efficiency_pct)) {
    spec.title = "Efficiency: achieved / ideal requests per second";
    spec.y_label = "% of ideal";
    spec.note = fmt::format("grey: {:g}%, the verdict's threshold", kVerdictThreshold * 100);
    spec.y_reference = kVerdictThreshold * 100;
    out += sweep_chart(group, spec, efficiency_pct, {});
    spec.y_reference.reset();
  }
  spec.title = "Output tokens per second";
  spec.y_label = "tokens/s";
  spec.note.clear();
  out += sweep_chart(group, spec, output_tps, {});

  for (const Fan& fan : kFans) {
    if (!any_value(group, fan.p50)) continue;
    spec.title = fan.title;
    spec.y_label = "ms";
    spec.note = "solid: p50 · dotted: p90 · dashed: p99";
    out +=
        sweep_chart(group, spec, fan.p50, {{fan.p90, svg::Stroke::dotted}, {fan.p99, svg::Stroke::dashed}});
  }
  if (any_failure(group)) {
    spec.title = "Errors";
    spec.y_label = "%";
    spec.note = "solid: failed requests · dashed: attempts answered 429";
    out += sweep_chart(group, spec, error_pct, {{rejected_pct, svg::Stroke::dashed}});
  }
  if (any_value(group, goodput)) {
    spec.title = "Goodput (requests within every SLO)";
    spec.y_label = "req/s";
    spec.note.clear();
    out += sweep_chart(group, spec, goodput, {});
    spec.title = "SLO attainment";
    spec.y_label = "% of requests";
    spec.y_max = 100;
    out += sweep_chart(group, spec, attainment_pct, {});
    spec.y_max = 0;
  }
  if (any_value(group, configured_concurrency)) {
    spec.title = "Requests in flight";
    spec.y_label = "requests";
    spec.note = "solid: measured mean · dashed: configured concurrency";
    out += sweep_chart(group, spec, in_flight, {{configured_concurrency, svg::Stroke::dashed}});
  }
  return out + "</div>\n";
}

// Scenarios measured at one setting each: one bar per scenario, the repetitions' spread as
// error bars.
std::string unswept_section(const Scenarios& group) {
  struct BarMetric {
    const char* title;
    const char* unit;
    Value value;
  };
  const BarMetric metrics[] = {
      {"Requests per second", "req/s", requests_per_s},
      {"Efficiency: achieved / ideal", "% of ideal", efficiency_pct},
      {"Output tokens per second", "tokens/s", output_tps},
      {"TTFT p50", "ms", kFans[0].p50},
      {"TTFT p99", "ms", kFans[0].p99},
      {"E2E latency p50", "ms", kFans[3].p50},
      {"E2E latency p99", "ms", kFans[3].p99},
      {"Goodput (requests within every SLO)", "req/s", goodput},
      {"SLO attainment", "% of requests", attainment_pct},
      {"Errors: failed requests", "%", error_pct},
  };
  std::string out = "<h2>By scenario</h2>\n<div class=\"charts\">\n";
  for (const BarMetric& metric : metrics) {
    if (!any_value(group, metric.value) || (metric.value == error_pct && !any_failure(group))) continue;
    svg::ChartSpec spec;
    spec.title = std::string(metric.title) + " (" + metric.unit + ")";
    spec.y_label = metric.unit;
    std::vector<svg::Bar> bars;
    for (std::size_t i = 0; i < group.list.size(); ++i) {
      const auto st = group.points[i].front().stats(metric.value);
      if (!st) continue;
      bars.push_back({series_label(*group.list[i]), (*st)[0], std::make_pair((*st)[1], (*st)[2])});
    }
    out += svg::bar_chart(spec, bars);
  }
  return out + "</div>\n";
}

std::string sweep_sections(const result::RunReport& report) {
  // Swept scenarios sharing a parameter are drawn on the same charts (modes and operations
  // side by side); scenarios measured at one setting each become bars.
  std::map<std::string, Scenarios> swept;
  Scenarios unswept;
  for (const result::ScenarioResult& s : report.scenarios) {
    if (s.steps.empty()) continue;
    std::vector<Point> points = points_of(s);
    Scenarios& group = points.size() > 1 ? swept[x_of(s.steps.front()).first] : unswept;
    group.list.push_back(&s);
    group.points.push_back(std::move(points));
  }
  std::string out;
  for (const auto& [parameter, group] : swept) out += swept_section(parameter, group);
  if (!unswept.list.empty()) out += unswept_section(unswept);
  return out;
}

// A step's buckets on a scenario's time axis: x is seconds since the scenario's first bucket,
// steps one after another with a one-second gap, a grey marker where each window opens.
struct Timeline {
  std::vector<svg::Series> series;
  std::vector<svg::Marker> markers;
};

Timeline timeline(const result::ScenarioResult& s) {
  enum { kOk, kFailed, kInFlight, kTtft50, kTtft99, kE2e50, kE2e99 };
  Timeline t;
  t.series = {{"completed requests/s", {}, {}, svg::Stroke::solid, std::nullopt},
              {"failed requests/s", {}, {}, svg::Stroke::solid, std::nullopt},
              {"mean in flight", {}, {}, svg::Stroke::solid, std::nullopt},
              {"TTFT", {}, {}, svg::Stroke::solid, std::nullopt},
              {"TTFT", {}, {}, svg::Stroke::dashed, 3},
              {"end-to-end", {}, {}, svg::Stroke::solid, std::nullopt},
              {"end-to-end", {}, {}, svg::Stroke::dashed, 5}};
  double offset = 0;
  bool failures_seen = false;
  for (const StepResult& step : s.steps) {
    const metrics::TimeSeries& ts = step.metrics.time_series;
    if (ts.empty()) continue;
    const double zero = offset - static_cast<double>(ts.first_second());  // x of this step's second 0
    std::string label = step_label(step) == "-" ? "window" : step_label(step);
    if (step.repetition > 0) label += fmt::format(" #{}", step.repetition + 1);
    t.markers.push_back({zero, 8, label});
    for (std::size_t i = 0; i < ts.buckets().size(); ++i) {
      const metrics::TimeSeries::Bucket& b = ts.buckets()[i];
      const double x = offset + static_cast<double>(i) + 0.5;  // the bucket's middle
      t.series[kOk].points.emplace_back(x, static_cast<double>(b.ok));
      t.series[kFailed].points.emplace_back(x, static_cast<double>(b.failed));
      t.series[kInFlight].points.emplace_back(x, b.busy_s);
      failures_seen = failures_seen || b.failed > 0;
      if (b.ok == 0) continue;
      t.series[kTtft50].points.emplace_back(x, b.ttft.percentile_ns(50) / 1e6);
      t.series[kTtft99].points.emplace_back(x, b.ttft.percentile_ns(99) / 1e6);
      t.series[kE2e50].points.emplace_back(x, b.e2e.percentile_ns(50) / 1e6);
      t.series[kE2e99].points.emplace_back(x, b.e2e.percentile_ns(99) / 1e6);
    }
    offset += static_cast<double>(ts.buckets().size()) + 1;
  }
  if (!failures_seen) t.series[kFailed].points.clear();
  return t;
}

// Per scenario, its steps over time: throughput and in-flight, then latency per second.
std::string time_section(const result::RunReport& report) {
  std::string out;
  for (const result::ScenarioResult& s : report.scenarios) {
    Timeline t = timeline(s);
    if (t.markers.empty()) continue;
    if (out.empty()) out = "<h2>Over time</h2>\n<div class=\"charts\">\n";
    svg::ChartSpec spec;
    spec.x_label = "seconds (grey: a step's measurement window opens)";
    spec.note = series_label(s);
    spec.markers = t.markers;
    spec.title = "Requests per second and in flight";
    spec.y_label = "requests";
    out += svg::line_chart(spec, {t.series.begin(), t.series.begin() + 3});
    spec.title = "Latency per second (solid p50, dashed p99)";
    spec.y_label = "ms";
    std::vector<svg::Series> latency(t.series.begin() + 3, t.series.end());
    for (svg::Series& l : latency) {
      if (l.colour_of) *l.colour_of -= 3;  // indexes within this chart
    }
    out += svg::line_chart(spec, latency);
  }
  return out.empty() ? out : out + "</div>\n";
}

// Per scenario, the target's own vLLM gauges during its steps (report.json server_metrics),
// steps one after another on one time axis, all label sets of a name summed per scrape.
std::string server_section(const result::RunReport& report) {
  std::string out;
  for (const result::ScenarioResult& s : report.scenarios) {
    std::vector<svg::Series> series = {{"running", {}, {}, svg::Stroke::solid, std::nullopt},
                                       {"waiting", {}, {}, svg::Stroke::solid, std::nullopt},
                                       {"KV cache %", {}, {}, svg::Stroke::solid, std::nullopt}};
    std::vector<svg::Marker> markers;
    double offset = 0;
    for (const StepResult& step : s.steps) {
      if (!step.server_metrics || step.server_metrics->t_s.empty()) continue;
      const result::ServerMetrics& m = *step.server_metrics;
      std::string label = step_label(step) == "-" ? "step" : step_label(step);
      if (step.repetition > 0) label += fmt::format(" #{}", step.repetition + 1);
      markers.push_back({offset, 8, label});
      const auto add = [&](std::size_t into, std::string_view name, double scale) {
        for (std::size_t i = 0; i < m.t_s.size(); ++i) {
          std::optional<double> sum;
          for (const result::ServerSeries& x : m.series) {
            if (x.name == name && i < x.values.size() && x.values[i]) sum = sum.value_or(0) + *x.values[i];
          }
          if (sum) series[into].points.emplace_back(offset + m.t_s[i], *sum * scale);
        }
      };
      add(0, "vllm:num_requests_running", 1);
      add(1, "vllm:num_requests_waiting", 1);
      // V1's name first; a server exposing both (the mock) would otherwise count twice.
      const bool v1 = std::any_of(m.series.begin(), m.series.end(),
                                  [](const result::ServerSeries& x) { return x.name == "vllm:kv_cache_usage_perc"; });
      const std::string_view kv = v1 ? "vllm:kv_cache_usage_perc" : "vllm:gpu_cache_usage_perc";
      add(2, kv, 100);
      offset += m.t_s.back() + std::max(1.0, m.interval_s);
    }
    if (series[0].points.empty() && series[1].points.empty() && series[2].points.empty()) continue;
    if (out.empty()) out = "<h2>Server metrics</h2>\n<div class=\"charts\">\n";
    svg::ChartSpec spec;
    spec.title = "The server's requests and KV cache during each step";
    spec.note = series_label(s);
    spec.x_label = "seconds (grey: a step starts)";
    spec.y_label = "requests, %";
    spec.markers = markers;
    out += svg::line_chart(spec, series);
  }
  return out.empty() ? out : out + "</div>\n";
}

// The configuration echo as `key = value` lines in --set syntax (scenarios[0].mode = "sync").
void flatten(const boost::json::value& v, const std::string& key, SummaryTable& out) {
  if (const auto* o = v.if_object()) {
    for (const auto& [k, child] : *o)
      flatten(child, key.empty() ? std::string(k) : key + "." + std::string(k), out);
    return;
  }
  if (const auto* a = v.if_array(); a != nullptr && !a->empty() && (*a)[0].is_object()) {
    for (std::size_t i = 0; i < a->size(); ++i) flatten((*a)[i], key + "[" + std::to_string(i) + "]", out);
    return;
  }
  out.rows.push_back({key, boost::json::serialize(v)});
}

// Everything needed to reproduce the run, folded away: the resolved configuration.
std::string config_section(const result::RunReport& report) {
  if (report.config.empty()) return "";
  SummaryTable t;
  t.header = {"key", "value"};
  t.numeric = {false, false};
  flatten(report.config, "", t);
  return "<details><summary>Resolved configuration (report.json <code>config</code>)</summary>\n" +
         html::table(t, "config") + "</details>\n";
}

svg::Series cdf_series(std::string label, const metrics::LatencyHistogram& h) {
  svg::Series s{std::move(label), h.cdf(), {}, svg::Stroke::solid, std::nullopt};
  for (auto& p : s.points) p.first /= 1e6;
  return s;
}

// One pair of CDF charts per comparable group: each swept scenario's steps, and the unswept
// scenarios together. The first repetition of each point stands for it.
std::string cdf_section(const result::RunReport& report) {
  std::vector<std::pair<std::string, std::vector<const result::ScenarioResult*>>> groups;
  std::vector<const result::ScenarioResult*> unswept;
  for (const result::ScenarioResult& s : report.scenarios) {
    if (points_of(s).size() > 1) {
      groups.push_back({series_label(s), {&s}});
    } else if (!s.steps.empty()) {
      unswept.push_back(&s);
    }
  }
  if (!unswept.empty()) groups.insert(groups.begin(), {"scenarios", unswept});
  std::string out = "<h2>Latency distributions (CDF)</h2>\n<div class=\"charts\">\n";
  for (const auto& [name, scenarios] : groups) {
    std::vector<svg::Series> ttft, e2e;
    for (const auto* s : scenarios) {
      for (const StepResult& step : s->steps) {
        if (step.repetition != 0) continue;
        const bool one_step = s->steps.size() == 1 || step.sweep_parameter.empty();
        const std::string label = scenarios.size() == 1 && !one_step ? step_label(step)
                                  : one_step                         ? series_label(*s)
                                             : series_label(*s) + " " + step_label(step);
        ttft.push_back(cdf_series(label, step.metrics.distributions.ttft));
        e2e.push_back(cdf_series(label, step.metrics.distributions.e2e));
      }
    }
    svg::ChartSpec spec;
    spec.x_label = "ms (log scale)";
    spec.y_label = "fraction of requests";
    spec.log_x = true;
    spec.step_line = true;
    spec.y_max = 1.0;
    spec.note = name;  // a second line: scenario names are too long for the title
    spec.title = "Time to first token";
    out += svg::line_chart(spec, ttft);
    spec.title = "End-to-end latency";
    out += svg::line_chart(spec, e2e);
  }
  return out + "</div>\n";
}

std::string tables_section(const result::RunReport& report) {
  std::string out = "<h2>Results</h2>\n";
  for (const result::ScenarioResult& s : report.scenarios) {
    out += fmt::format("<h3>{} <span class=\"meta\">{} · {} · {} load</span></h3>\n", escape(s.name), s.mode,
                       s.operation, s.load_model);
    if (const std::string workload = scenario_workload(report, s.name); !workload.empty())
      out += "<p class=\"workload\">" + escape(workload) + "</p>\n";
    out += html::table(summary_table(s), "");
    if (const auto verdict = sweep_verdict(s)) out += "<p class=\"verdict\">" + escape(*verdict) + "</p>\n";
    if (const auto search = search_verdict(s)) out += "<p class=\"verdict\">" + escape(*search) + "</p>\n";
    if (const auto efficiency = efficiency_table(s)) {
      out += "<p>Efficiency (achieved against the ideal of the target's configured latency):</p>\n" +
             html::table(*efficiency, "efficiency");
    }
    if (const auto corrected = corrected_latency_table(s)) {
      out += "<p>Corrected latency (from the intended send time; differs &gt; 5% from the measured):</p>\n" +
             html::table(*corrected, "corrected");
    }
    if (const auto good = goodput_table(s)) {
      out += "<p>Goodput (requests within every SLO):</p>\n" + html::table(*good, "goodput");
    }
    if (const auto sessions = session_totals_table(s)) {
      out += "<p>Sessions (a failed turn ends its session; cut: the step ended before its next turn):</p>\n" +
             html::table(*sessions, "sessions");
    }
    if (const auto turns = session_turns_table(s)) {
      out += "<p>Per turn (each turn sends the history so far):</p>\n" + html::table(*turns, "turns");
    }
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

namespace html {

std::string page_start(const std::string& heading, const std::string& title_suffix) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{0}{1}</title>\n"
      "<style>\n{2}</style>\n</head>\n<body>\n<h1>{0}</h1>\n",
      escape(heading), title_suffix.empty() ? "" : " " + escape(title_suffix), kStyle);
}

std::string page_end() {
  return "<p class=\"meta\">Generated by llmbench from report.json; this page fetches nothing. Hover a point "
         "for its exact value.</p>\n</body>\n</html>\n";
}

std::string charts(const result::RunReport& report) {
  return sweep_sections(report) + time_section(report) + server_section(report) + cdf_section(report);
}

std::string table(const SummaryTable& t, const std::string& css_class) {
  std::string out =
      css_class.empty() ? "<table>\n<tr>" : fmt::format("<table class=\"{}\">\n<tr>", css_class);
  for (const std::string& h : t.header) out += "<th>" + escape(h) + "</th>";
  out += "</tr>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      out += fmt::format("<td{}>{}</td>", t.numeric[c] ? " class=\"num\"" : "", escape(row[c]));
    }
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

}  // namespace html

std::string format_html(const result::RunReport& report) {
  const result::Environment& env = report.environment;
  // The title keeps the start time (several reports open in tabs); the heading does not.
  std::string out = html::page_start("llmbench report", report.started_at);
  out +=
      fmt::format("<p class=\"meta\">{} · llmbench {} ({}) · {} · {} × {} · {} {}</p>\n",
                  escape(report.started_at), escape(report.tool_version), escape(env.build_flavor),
                  escape(env.host), env.cpu_count, escape(env.cpu_model), escape(env.os), escape(env.kernel));
  const WorkloadHeader header = workload_header(report);
  for (const std::string& line : header.lines) out += "<p class=\"workload\">" + escape(line) + "</p>\n";
  for (const std::string& warning : header.warnings)
    out += "<p class=\"warning\">Warning: " + escape(warning) + "</p>\n";
  if (report.interrupted) out += "<p class=\"warning\">Interrupted: these are partial results.</p>\n";
  if (!report.merged_from.empty()) {
    out += fmt::format("<p class=\"meta\">Merged from {} reports: {}</p>\n", report.merged_from.size(),
                       escape(fmt::format("{}", fmt::join(report.merged_from, ", "))));
  }
  out += config_section(report);
  out += html::charts(report);
  out += tables_section(report);
  return out + html::page_end();
}

}  // namespace llmbench::reports
