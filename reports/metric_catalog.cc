#include "reports/metric_catalog.h"

#include <algorithm>
#include <map>
#include <stdexcept>

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

using Value = std::function<std::optional<double>(const StepResult&)>;

// The values of the scalar metrics; names, units and order come from metrics::metric_list().
const std::map<std::string, Value, std::less<>>& scalar_values() {
  static const auto values = [] {
    auto count = [](std::uint64_t v) { return std::optional<double>(static_cast<double>(v)); };
    auto rate = [](double v) { return std::optional<double>(v); };
    return std::map<std::string, Value, std::less<>>{
        {"requests_total", [=](const StepResult& s) { return count(s.metrics.counts.total); }},
        {"requests_ok", [=](const StepResult& s) { return count(s.metrics.counts.ok); }},
        {"requests_failed", [=](const StepResult& s) { return count(s.metrics.counts.failed); }},
        {"retries", [=](const StepResult& s) { return count(s.metrics.counts.retries); }},
        {"rejected_attempts", [=](const StepResult& s) { return count(s.metrics.counts.rejected_attempts); }},
        {"good_requests", [=](const StepResult& s) { return count(s.metrics.counts.good); }},
        {"input_tokens", [=](const StepResult& s) { return count(s.metrics.counts.input_tokens); }},
        {"output_tokens", [=](const StepResult& s) { return count(s.metrics.counts.output_tokens); }},
        {"requests_per_s", [=](const StepResult& s) { return rate(s.metrics.throughput.requests_per_s); }},
        {"output_tokens_per_s", [=](const StepResult& s) { return rate(s.metrics.throughput.output_tokens_per_s); }},
        {"total_tokens_per_s", [=](const StepResult& s) { return rate(s.metrics.throughput.total_tokens_per_s); }},
        {"output_tokens_per_s_per_user",
         [=](const StepResult& s) { return rate(s.metrics.throughput.output_tokens_per_s_per_user); }},
        {"goodput_rps", [](const StepResult& s) { return s.metrics.throughput.goodput_rps; }},
        {"mean_in_flight", [](const StepResult& s) { return s.metrics.throughput.mean_in_flight; }},
        {"error_rate", [=](const StepResult& s) { return rate(s.metrics.throughput.error_rate); }},
        {"throughput_ratio", [](const StepResult& s) { return s.efficiency().throughput_ratio; }},
        {"ttft_overhead_p50_ms", [](const StepResult& s) { return s.efficiency().ttft_overhead_p50_ms; }},
        {"ttft_overhead_p99_ms", [](const StepResult& s) { return s.efficiency().ttft_overhead_p99_ms; }},
        {"reasoning_tokens", [=](const StepResult& s) -> std::optional<double> {
           if (s.metrics.counts.reasoning_tokens == 0) return std::nullopt;
           return count(s.metrics.counts.reasoning_tokens);
         }},
        {"stopped_early", [=](const StepResult& s) -> std::optional<double> {
           if (s.metrics.counts.stopped_early == 0) return std::nullopt;
           return count(s.metrics.counts.stopped_early);
         }}};
  }();
  return values;
}

std::vector<MetricDef> build_catalog() {
  std::vector<MetricDef> c;
  for (const metrics::MetricInfo& info : metrics::metric_list()) {
    Value value;
    if (info.histogram.empty()) {
      const auto found = scalar_values().find(info.name);
      if (found == scalar_values().end()) throw std::logic_error("metric without a value: " + info.name);
      value = found->second;
    } else {
      const auto stat = std::find_if(std::begin(kStats), std::end(kStats),
                                     [&](const Stat& s) { return info.stat == s.name; });
      const auto get = stat->get;
      // Latencies are stored in ns and reported in ms.
      const double divisor = info.unit == "ms" ? 1e6 : 1.0;
      value = [d = info.histogram, get, divisor](const StepResult& s) -> std::optional<double> {
        const metrics::LatencyHistogram& h = histogram_of(s, d);
        if (h.empty()) return std::nullopt;
        return get(h) / divisor;
      };
    }
    c.push_back(MetricDef{info, std::move(value)});
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
