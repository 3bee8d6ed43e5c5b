#include "reports/table.h"

#include <fmt/format.h>

#include <cmath>

#include "harness/metrics/percentile_summary.h"

namespace llmbench::reports {

std::string format_number(double v) {
  if (!std::isfinite(v)) return "-";
  const double a = std::fabs(v);
  if (a == 0) return "0";
  if (a < 1e15 && v == std::floor(v)) return fmt::format("{:.0f}", v);
  if (a >= 1000) return fmt::format("{:.0f}", v);
  if (a >= 100) return fmt::format("{:.1f}", v);
  if (a >= 1) return fmt::format("{:.2f}", v);
  if (a >= 0.01) return fmt::format("{:.3f}", v);
  return fmt::format("{:.2e}", v);
}

std::string format_optional(const std::optional<double>& value) {
  return value ? format_number(*value) : "-";
}

std::string step_label(const result::StepResult& step) {
  std::string label =
      step.sweep_parameter.empty() ? "-" : fmt::format("{}={:g}", step.sweep_parameter, step.sweep_value);
  if (step.repetition > 0) label += fmt::format(" #{}", step.repetition);
  return label;
}

std::string step_row_name(const result::StepResult& step, std::size_t index) {
  return step.sweep_parameter.empty() ? fmt::format("step {}", index + 1) : step_label(step);
}

std::string error_summary(const metrics::RequestCounts& counts) {
  std::string out;
  for (std::size_t i = 1; i < harness::kErrorKindCount; ++i) {
    if (counts.errors_by_kind[i] == 0) continue;
    if (!out.empty()) out += ' ';
    out += fmt::format("{}:{}", harness::error_kind_name(static_cast<harness::ErrorKind>(i)),
                       counts.errors_by_kind[i]);
  }
  return out;
}

SummaryTable summary_table(const result::ScenarioResult& scenario) {
  SummaryTable t;
  // "in flight": the measured time-weighted mean next to the configured "conc" (docs/metrics.md).
  t.header = {"step",        "conc",        "in flight",  "ok",          "failed",     "req/s", "out tok/s",
              "TTFT p50 ms", "TTFT p99 ms", "ITL p50 ms", "TPOT p50 ms", "e2e p50 ms", "e2e p99 ms", "errors"};
  t.numeric = {false, true, true, true, true, true, true, true, true, true, true, true, true, false};
  auto ms = [](const metrics::LatencyHistogram& h, double q) {
    return h.empty() ? std::string("-") : format_number(h.percentile(q) / 1e6);
  };
  for (const result::StepResult& step : scenario.steps) {
    const metrics::StepMetrics& m = step.metrics;
    const metrics::Distributions& d = m.distributions;
    std::string errors = error_summary(m.counts);
    if (step.interrupted) errors += errors.empty() ? "(interrupted)" : " (interrupted)";
    const std::string in_flight = m.throughput.mean_in_flight ? format_number(*m.throughput.mean_in_flight) : "-";
    t.rows.push_back({step_label(step), format_number(m.timing.concurrency), in_flight, fmt::format("{}", m.counts.ok),
                      fmt::format("{}", m.counts.failed), format_number(m.throughput.requests_per_s),
                      format_number(m.throughput.output_tokens_per_s), ms(d.ttft, 50), ms(d.ttft, 99),
                      ms(d.itl, 50), ms(d.tpot, 50), ms(d.e2e, 50), ms(d.e2e, 99),
                      errors.empty() ? "-" : errors});
  }
  // Reasoning models: time to first output (answer) token and the reasoning share, after the TTFT
  // columns, only when a step reasoned, so other tables keep their shape (docs/metrics.md).
  bool reasoning = false;
  for (const result::StepResult& step : scenario.steps) reasoning = reasoning || !step.metrics.distributions.ttfo.empty();
  if (reasoning) {
    constexpr std::size_t kAfterTtft = 9;
    t.header.insert(t.header.begin() + kAfterTtft, {"TTFO p50 ms", "TTFO p99 ms", "reasoning tok"});
    t.numeric.insert(t.numeric.begin() + kAfterTtft, {true, true, true});
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      const metrics::StepMetrics& m = scenario.steps[i].metrics;
      t.rows[i].insert(t.rows[i].begin() + kAfterTtft, {ms(m.distributions.ttfo, 50), ms(m.distributions.ttfo, 99),
                                                        fmt::format("{}", m.counts.reasoning_tokens)});
    }
  }
  return t;
}

}  // namespace llmbench::reports
