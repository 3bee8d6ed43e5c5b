#include "reports/latency_views.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace llmbench::reports {

namespace {

bool differs(const metrics::LatencyHistogram& measured, const metrics::LatencyHistogram& corrected) {
  if (measured.empty() || corrected.empty()) return false;
  for (const double q : {50.0, 99.0}) {
    const double base = measured.percentile(q);
    const double value = corrected.percentile(q);
    if (base <= 0 ? value > 0 : std::fabs(value - base) > kMaterialDifference * base) return true;
  }
  return false;
}

std::string ms(const metrics::LatencyHistogram& h, double q) {
  return h.empty() ? std::string("-") : format_number(h.percentile(q) / 1e6);
}

}  // namespace

bool corrected_differs(const result::StepResult& step) {
  const metrics::Distributions& d = step.metrics.distributions;
  return differs(d.e2e, d.e2e_corrected) || differs(d.ttft, d.ttft_corrected);
}

std::optional<SummaryTable> corrected_latency_table(const result::ScenarioResult& scenario) {
  SummaryTable t;
  t.header = {"step",          "e2e p50 ms",         "corrected p50 ms",   "e2e p99 ms",
              "corrected p99 ms", "TTFT corr. p50 ms", "TTFT corr. p99 ms", "queue wait p99 ms"};
  t.numeric = {false, true, true, true, true, true, true, true};
  for (const result::StepResult& step : scenario.steps) {
    if (!corrected_differs(step)) continue;
    const metrics::Distributions& d = step.metrics.distributions;
    t.rows.push_back({step_label(step), ms(d.e2e, 50), ms(d.e2e_corrected, 50), ms(d.e2e, 99),
                      ms(d.e2e_corrected, 99), ms(d.ttft_corrected, 50), ms(d.ttft_corrected, 99),
                      ms(d.queue_wait, 99)});
  }
  if (t.rows.empty()) return std::nullopt;
  return t;
}

std::string slo_text(const metrics::Slo& slo) {
  std::vector<std::string> parts;
  if (slo.ttft_ms) parts.push_back(fmt::format("TTFT <= {} ms", format_number(*slo.ttft_ms)));
  if (slo.tpot_ms) parts.push_back(fmt::format("TPOT <= {} ms", format_number(*slo.tpot_ms)));
  if (slo.e2e_ms) parts.push_back(fmt::format("e2e <= {} ms", format_number(*slo.e2e_ms)));
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::optional<SummaryTable> goodput_table(const result::ScenarioResult& scenario) {
  SummaryTable t;
  t.header = {"step", "SLO", "good", "requests", "SLO attainment %", "goodput req/s", "req/s"};
  t.numeric = {false, false, true, true, true, true, true};
  for (const result::StepResult& step : scenario.steps) {
    const metrics::StepMetrics& m = step.metrics;
    if (!m.slo.any()) continue;
    const std::string attainment =
        m.counts.total == 0 ? std::string("-")
                            : format_number(100.0 * static_cast<double>(m.counts.good) /
                                            static_cast<double>(m.counts.total));
    t.rows.push_back({step_label(step), slo_text(m.slo), fmt::format("{}", m.counts.good),
                      fmt::format("{}", m.counts.total), attainment,
                      format_optional(m.throughput.goodput_rps), format_number(m.throughput.requests_per_s)});
  }
  if (t.rows.empty()) return std::nullopt;
  return t;
}

std::optional<SummaryTable> efficiency_table(const result::ScenarioResult& scenario) {
  SummaryTable t;
  t.header = {"step", "throughput / ideal", "TTFT overhead p50 ms", "TTFT overhead p99 ms"};
  t.numeric = {false, true, true, true};
  for (const result::StepResult& step : scenario.steps) {
    const result::Efficiency e = step.efficiency();
    if (!e.throughput_ratio && !e.ttft_overhead_p50_ms) continue;
    t.rows.push_back({step_label(step), format_optional(e.throughput_ratio), format_optional(e.ttft_overhead_p50_ms),
                      format_optional(e.ttft_overhead_p99_ms)});
  }
  if (t.rows.empty()) return std::nullopt;
  return t;
}

}  // namespace llmbench::reports
