// Google Benchmark's JSON format, so tools/compare.py and other gbench tooling read our runs:
// one "benchmark" per step and metric, time fields carrying milliseconds (time_unit "ms").
#include <fmt/format.h>

#include <boost/json.hpp>
#include <map>

#include "reports/formatters.h"

namespace llmbench::reports {

namespace {

struct GbenchMetric {
  const char* name;
  const metrics::LatencyHistogram& (*histogram)(const metrics::Distributions&);
  double q;
};
constexpr GbenchMetric kMetrics[] = {
    {"ttft_p50", [](const metrics::Distributions& d) -> const metrics::LatencyHistogram& { return d.ttft; },
     50},
    {"ttft_p99", [](const metrics::Distributions& d) -> const metrics::LatencyHistogram& { return d.ttft; },
     99},
    {"e2e_p50", [](const metrics::Distributions& d) -> const metrics::LatencyHistogram& { return d.e2e; },
     50},
    {"e2e_p99", [](const metrics::Distributions& d) -> const metrics::LatencyHistogram& { return d.e2e; },
     99},
    {"itl_p50", [](const metrics::Distributions& d) -> const metrics::LatencyHistogram& { return d.itl; },
     50},
    {"tpot_p50", [](const metrics::Distributions& d) -> const metrics::LatencyHistogram& { return d.tpot; },
     50},
};

std::string run_name(const result::ScenarioResult& s, const result::StepResult& step) {
  if (step.sweep_parameter.empty()) return s.name;
  return fmt::format("{}/{}:{:g}", s.name, step.sweep_parameter, step.sweep_value);
}

}  // namespace

std::string format_gbench_json(const result::RunReport& report) {
  using boost::json::object;
  const result::Environment& env = report.environment;
  object context{{"date", report.started_at},
                 {"host_name", env.host},
                 {"executable", "llmbench"},
                 {"num_cpus", env.cpu_count},
                 {"mhz_per_cpu", 0},
                 {"cpu_scaling_enabled", false},
                 {"caches", boost::json::array{}},
                 {"library_build_type", env.build_flavor == "Release" ? "release" : "debug"},
                 {"llmbench_version", report.tool_version}};
  boost::json::array benchmarks;
  std::int64_t family = 0;
  for (const result::ScenarioResult& s : report.scenarios) {
    // Repetitions of one step share a run_name, so compare.py runs its U test over them.
    std::map<std::string, int> repetitions;
    for (const result::StepResult& step : s.steps) ++repetitions[run_name(s, step)];
    for (const result::StepResult& step : s.steps) {
      const std::string base = run_name(s, step);
      const metrics::StepMetrics& m = step.metrics;
      std::int64_t instance = 0;
      for (const GbenchMetric& metric : kMetrics) {
        const metrics::LatencyHistogram& h = metric.histogram(m.distributions);
        if (h.empty()) continue;
        const double ms = h.percentile(metric.q) / 1e6;
        const std::string name = base + "/" + metric.name;
        benchmarks.push_back(object{{"name", name},
                                    {"family_index", family},
                                    {"per_family_instance_index", instance++},
                                    {"run_name", name},
                                    {"run_type", "iteration"},
                                    {"repetitions", repetitions[base]},
                                    {"repetition_index", step.repetition},
                                    {"threads", static_cast<std::int64_t>(m.timing.concurrency)},
                                    {"iterations", m.counts.ok},
                                    {"real_time", ms},
                                    {"cpu_time", ms},
                                    {"time_unit", "ms"},
                                    {"items_per_second", m.throughput.requests_per_s},
                                    {"output_tokens_per_second", m.throughput.output_tokens_per_s},
                                    {"error_rate", m.throughput.error_rate}});
      }
    }
    ++family;
  }
  return boost::json::serialize(
             object{{"context", std::move(context)}, {"benchmarks", std::move(benchmarks)}}) +
         "\n";
}

}  // namespace llmbench::reports
