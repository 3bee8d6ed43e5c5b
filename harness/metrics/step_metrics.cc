#include "harness/metrics/step_metrics.h"

#include <algorithm>

namespace llmbench::metrics {

void RequestCounts::merge(const RequestCounts& other) {
  // Window work is only meaningful when every side that ran requests measured it (a report
  // from before it existed has none): else throughput falls back to the whole counts.
  const bool window_everywhere = (window.measured || total == 0) && (other.window.measured || other.total == 0);
  total += other.total;
  ok += other.ok;
  failed += other.failed;
  for (std::size_t i = 0; i < errors_by_kind.size(); ++i) errors_by_kind[i] += other.errors_by_kind[i];
  retries += other.retries;
  input_tokens += other.input_tokens;
  output_tokens += other.output_tokens;
  good += other.good;
  rejected_attempts += other.rejected_attempts;
  estimated_usage += other.estimated_usage;
  counted_usage += other.counted_usage;
  stopped_early += other.stopped_early;
  reasoning_tokens += other.reasoning_tokens;
  window.merge(other.window);
  window.measured = window.measured && window_everywhere;
}

void Distributions::merge(const Distributions& other) {
  e2e.merge(other.e2e);
  e2e_corrected.merge(other.e2e_corrected);
  ttft.merge(other.ttft);
  ttft_corrected.merge(other.ttft_corrected);
  itl.merge(other.itl);
  tpot.merge(other.tpot);
  queue_wait.merge(other.queue_wait);
  output_tokens.merge(other.output_tokens);
  output_tokens_per_s.merge(other.output_tokens_per_s);
  server_queue.merge(other.server_queue);
  ttft_client.merge(other.ttft_client);
  ttfo.merge(other.ttfo);
}

Throughput compute_throughput(const RequestCounts& counts, const StepTiming& timing, const Slo& slo) {
  Throughput t;
  if (counts.total > 0) t.error_rate = static_cast<double>(counts.failed) / static_cast<double>(counts.total);
  if (timing.duration_s > 0) {
    const double seconds = timing.duration_s;
    // The work inside the window when it was measured (docs/metrics.md), else whole counts.
    const WindowWork& w = counts.window;
    const bool by_window = w.measured;
    const double ok = by_window ? w.ok : static_cast<double>(counts.ok);
    const double output = by_window ? w.output_tokens : static_cast<double>(counts.output_tokens);
    const double total = by_window ? w.total_tokens : static_cast<double>(counts.input_tokens + counts.output_tokens);
    const double good = by_window ? w.good : static_cast<double>(counts.good);
    t.requests_per_s = ok / seconds;
    t.output_tokens_per_s = output / seconds;
    t.total_tokens_per_s = total / seconds;
    if (timing.concurrency > 0) t.output_tokens_per_s_per_user = t.output_tokens_per_s / timing.concurrency;
    if (slo.any()) t.goodput_rps = good / seconds;
    if (by_window) t.mean_in_flight = w.busy_s / seconds;
  } else if (slo.any()) {
    t.goodput_rps = 0.0;
  }
  return t;
}

void StepMetrics::merge(const StepMetrics& other) {
  counts.merge(other.counts);
  distributions.merge(other.distributions);
  error_details.merge(other.error_details);
  time_series.merge(other.time_series);
  // Side-by-side processes: their users add up; the step lasted as long as the slowest.
  timing.concurrency += other.timing.concurrency;
  timing.duration_s = std::max(timing.duration_s, other.timing.duration_s);
  if (other.timing.target_rate_rps) {
    timing.target_rate_rps = timing.target_rate_rps.value_or(0) + *other.timing.target_rate_rps;
  }
  throughput = compute_throughput(counts, timing, slo);
}

}  // namespace llmbench::metrics
