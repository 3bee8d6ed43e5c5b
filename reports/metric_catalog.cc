#include "reports/metric_catalog.h"

#include "harness/metrics/metric_names.h"
#include "harness/metrics/percentile_summary.h"

namespace llmbench::reports {

namespace {

using result::StepResult;

struct Stat {
  const char* name;
  double (*get)(const metrics::LatencyHistogram&);
};
constexpr Stat kStats[] = {
    {"p50", [](const metrics::LatencyHistogram& h) { return h.percentile(50); }},
    {"p90", [](const metrics::LatencyHistogram& h) { return h.percentile(90); }},
    {"p95", [](const metrics::LatencyHistogram& h) { return h.percentile(95); }},
    {"p99", [](const metrics::LatencyHistogram& h) { return h.percentile(99); }},
    {"p99_9", [](const metrics::LatencyHistogram& h) { return h.percentile(99.9); }},
    {"min", [](const metrics::LatencyHistogram& h) { return h.min(); }},
    {"max", [](const metrics::LatencyHistogram& h) { return h.max(); }},
    {"mean", [](const metrics::LatencyHistogram& h) { return h.mean(); }},
    {"stddev", [](const metrics::LatencyHistogram& h) { return h.stddev(); }},
};

const metrics::LatencyHistogram& histogram_of(const StepResult& step, std::string_view name) {
  if (name == "schedule_lag") return step.schedule_lag;
  if (name == "cap_wait") return step.cap_wait;
  const metrics::LatencyHistogram* found = nullptr;
  metrics::Distributions::for_each(step.metrics.distributions,
                                   [&](std::string_view n, const metrics::LatencyHistogram& h) {
                                     if (n == name) found = &h;
                                   });
  return *found;
}

std::vector<MetricDef> build_catalog() {
  std::vector<MetricDef> c;
  auto add = [&](std::string name, std::string unit, bool higher, auto fn) {
    c.push_back(MetricDef{std::move(name), std::move(unit), higher, fn});
  };
  auto count = [](std::uint64_t v) { return std::optional<double>(static_cast<double>(v)); };
  add("requests_total", "count", true,
      [count](const StepResult& s) { return count(s.metrics.counts.total); });
  add("requests_ok", "count", true, [count](const StepResult& s) { return count(s.metrics.counts.ok); });
  add("requests_failed", "count", false,
      [count](const StepResult& s) { return count(s.metrics.counts.failed); });
  add("retries", "count", false, [count](const StepResult& s) { return count(s.metrics.counts.retries); });
  add("rejected_attempts", "count", false,
      [count](const StepResult& s) { return count(s.metrics.counts.rejected_attempts); });
  add("good_requests", "count", true, [count](const StepResult& s) { return count(s.metrics.counts.good); });
  add("input_tokens", "tokens", true,
      [count](const StepResult& s) { return count(s.metrics.counts.input_tokens); });
  add("output_tokens", "tokens", true,
      [count](const StepResult& s) { return count(s.metrics.counts.output_tokens); });
  add("requests_per_s", "1/s", true,
      [](const StepResult& s) { return std::optional<double>(s.metrics.throughput.requests_per_s); });
  add("output_tokens_per_s", "1/s", true,
      [](const StepResult& s) { return std::optional<double>(s.metrics.throughput.output_tokens_per_s); });
  add("total_tokens_per_s", "1/s", true,
      [](const StepResult& s) { return std::optional<double>(s.metrics.throughput.total_tokens_per_s); });
  add("output_tokens_per_s_per_user", "1/s", true, [](const StepResult& s) {
    return std::optional<double>(s.metrics.throughput.output_tokens_per_s_per_user);
  });
  add("goodput_rps", "1/s", true, [](const StepResult& s) { return s.metrics.throughput.goodput_rps; });
  add("mean_in_flight", "count", true, [](const StepResult& s) { return s.metrics.throughput.mean_in_flight; });
  add("error_rate", "ratio", false,
      [](const StepResult& s) { return std::optional<double>(s.metrics.throughput.error_rate); });
  add("throughput_ratio", "ratio", true, [](const StepResult& s) { return s.efficiency().throughput_ratio; });
  add("ttft_overhead_p50_ms", "ms", false,
      [](const StepResult& s) { return s.efficiency().ttft_overhead_p50_ms; });
  add("ttft_overhead_p99_ms", "ms", false,
      [](const StepResult& s) { return s.efficiency().ttft_overhead_p99_ms; });

  for (const char* dist :
       {"ttft", "ttft_corrected", "e2e", "e2e_corrected", "itl", "tpot", "queue_wait", "schedule_lag", "cap_wait",
        "server_queue"}) {
    for (const Stat& stat : kStats) {
      const std::string name = std::string(stat.name) + "_" + dist + "_ms";
      const std::string d = dist;
      const auto get = stat.get;
      add(name, "ms", false, [d, get](const StepResult& s) -> std::optional<double> {
        const metrics::LatencyHistogram& h = histogram_of(s, d);
        if (h.empty()) return std::nullopt;
        return get(h) / 1e6;
      });
    }
  }
  for (const char* dist : {"output_tokens", "output_tokens_per_s"}) {
    for (const Stat& stat : kStats) {
      const std::string d = dist;
      const auto get = stat.get;
      // Per-request rate: higher is better; per-request token counts are workload, not quality.
      add(std::string(stat.name) + "_request_" + dist, d == "output_tokens" ? "tokens" : "1/s", true,
          [d, get](const StepResult& s) -> std::optional<double> {
            const metrics::LatencyHistogram& h = histogram_of(s, d);
            if (h.empty()) return std::nullopt;
            return get(h);
          });
    }
  }
  return c;
}

}  // namespace

const std::vector<MetricDef>& metric_catalog() {
  static const std::vector<MetricDef> catalog = build_catalog();
  return catalog;
}

const MetricDef* find_metric(std::string_view name) {
  // Aliases are resolved by the harness's name list, so a scenario file's thresholds and the
  // gate accept exactly the same names.
  const std::optional<std::string> canonical = metrics::canonical_metric_name(name);
  if (!canonical) return nullptr;
  for (const MetricDef& m : metric_catalog()) {
    if (m.name == *canonical) return &m;
  }
  return nullptr;
}

}  // namespace llmbench::reports
