#include "harness/metrics/metrics_recorder.h"

#include <algorithm>
#include <stdexcept>

namespace llmbench::metrics {

namespace {
constexpr double kNsPerMs = 1e6;
}  // namespace

void MetricsRecorder::record(const harness::RequestRecord& r) {
  ++counts_.total;
  counts_.retries += r.retries;
  counts_.rejected_attempts += r.rejected_attempts;
  if (!r.ok()) {
    ++counts_.failed;
    ++counts_.errors_by_kind[static_cast<std::size_t>(r.error)];
    error_details_.add(r.error, r.http_status, r.error_message);
    return;
  }
  ++counts_.ok;
  counts_.input_tokens += r.prompt_tokens;
  counts_.output_tokens += r.output_tokens;
  if (!r.usage_reported) ++(r.tokens_counted ? counts_.counted_usage : counts_.estimated_usage);
  counts_.reasoning_tokens += r.reasoning_tokens;
  if (r.stopped_early) ++counts_.stopped_early;

  // Closed-loop drivers may leave intended_start_ns unset: then intended == actual.
  const std::int64_t intended = r.intended_start_ns != 0 ? r.intended_start_ns : r.start_ns;
  const std::int64_t e2e = r.end_ns - r.start_ns;
  const std::int64_t e2e_corrected = r.end_ns - intended;
  Distributions& d = distributions_;
  d.e2e.record(e2e);
  d.e2e_corrected.record(e2e_corrected);
  d.queue_wait.record(r.start_ns - intended);
  if (r.server_queue_ns >= 0) d.server_queue.record(r.server_queue_ns);

  // Only requests that reasoned: without reasoning TTFO is TTFT, and an empty ttfo keeps the
  // reports of other servers as they were.
  if (r.reasoning_tokens > 0 && r.first_output_ns != 0) d.ttfo.record(r.first_output_ns - r.start_ns);
  if (r.first_token_ns != 0) {
    d.ttft.record(r.first_token_ns - r.start_ns);
    d.ttft_corrected.record(r.first_token_ns - intended);
    if (r.server_queue_ns >= 0) {
      d.ttft_client.record(std::max<std::int64_t>(0, r.first_token_ns - r.start_ns - r.server_queue_ns));
    }
    // TPOT needs a streamed response: a non-streamed body arrives at once, so its
    // (end - first token) gap says nothing about decode speed.
    if (r.output_tokens > 1 && r.token_ns.size() > 1) {
      d.tpot.record_value(static_cast<double>(r.end_ns - r.first_token_ns) /
                          static_cast<double>(r.output_tokens - 1));
    }
  }
  for (std::size_t i = 1; i < r.token_ns.size(); ++i) d.itl.record(r.token_ns[i] - r.token_ns[i - 1]);
  d.output_tokens.record(r.output_tokens);
  if (e2e > 0 && r.output_tokens > 0) {
    d.output_tokens_per_s.record_value(static_cast<double>(r.output_tokens) /
                                       (static_cast<double>(e2e) / 1e9));
  }

  if (good(r)) ++counts_.good;
}

bool MetricsRecorder::good(const harness::RequestRecord& r) const {
  if (!r.ok()) return false;
  const std::int64_t intended = r.intended_start_ns != 0 ? r.intended_start_ns : r.start_ns;
  bool good = true;
  if (slo_.ttft_ms) {
    good = good && r.first_token_ns != 0 &&
           static_cast<double>(r.first_token_ns - intended) <= *slo_.ttft_ms * kNsPerMs;
  }
  // A request with a single token has no TPOT; it cannot violate a TPOT objective (TPOT needs
  // a streamed response, see record()).
  if (slo_.tpot_ms && r.first_token_ns != 0 && r.output_tokens > 1 && r.token_ns.size() > 1) {
    const double tpot_ns =
        static_cast<double>(r.end_ns - r.first_token_ns) / static_cast<double>(r.output_tokens - 1);
    good = good && tpot_ns <= *slo_.tpot_ms * kNsPerMs;
  }
  if (slo_.e2e_ms) good = good && static_cast<double>(r.end_ns - intended) <= *slo_.e2e_ms * kNsPerMs;
  return good;
}

void MetricsRecorder::record_window(const harness::RequestRecord& r, std::int64_t window_start_ns,
                                    std::int64_t window_end_ns) {
  WindowWork& w = counts_.window;
  w.measured = true;
  time_series_.record(r, window_start_ns);
  if (r.start_ns <= 0 || r.end_ns < r.start_ns) return;  // never sent
  const double inside = WindowWork::fraction_inside(r.start_ns, r.end_ns, window_start_ns, window_end_ns);
  if (inside <= 0) return;
  w.busy_s += inside * static_cast<double>(r.end_ns - r.start_ns) / 1e9;
  if (!r.ok()) return;
  w.ok += inside;
  w.output_tokens += inside * r.output_tokens;
  w.total_tokens += inside * (static_cast<double>(r.prompt_tokens) + r.output_tokens);
  if (good(r)) w.good += inside;
}

void MetricsRecorder::merge(const MetricsRecorder& other) {
  if (!(slo_ == other.slo_))
    throw std::invalid_argument("cannot merge metrics recorded against different SLOs");
  counts_.merge(other.counts_);
  distributions_.merge(other.distributions_);
  error_details_.merge(other.error_details_);
  time_series_.merge(other.time_series_);
}

StepMetrics MetricsRecorder::summarize(const StepTiming& timing) const {
  StepMetrics m;
  m.timing = timing;
  m.slo = slo_;
  m.counts = counts_;
  m.distributions = distributions_;
  m.error_details = error_details_;
  m.time_series = time_series_;
  m.throughput = compute_throughput(counts_, timing, slo_);
  return m;
}

}  // namespace llmbench::metrics
