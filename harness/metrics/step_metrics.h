#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "harness/client/error_kind.h"
#include "harness/metrics/error_details.h"
#include "harness/metrics/latency_histogram.h"
#include "harness/metrics/slo.h"
#include "harness/metrics/time_series.h"
#include "harness/metrics/window_work.h"

namespace llmbench::metrics {

// The measured window of one step, supplied by whoever ran it (the runner knows the window).
struct StepTiming {
  double duration_s = 0;                  // measured window, warm-up excluded
  double concurrency = 0;                 // closed loop: virtual users; open loop: the cap (0: none)
  std::optional<double> target_rate_rps;  // open loop only
};

struct RequestCounts {
  std::uint64_t total = 0;  // ok + failed
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;
  std::array<std::uint64_t, harness::kErrorKindCount> errors_by_kind{};  // index: ErrorKind
  std::uint64_t retries = 0;
  std::uint64_t input_tokens = 0;   // of successful requests
  std::uint64_t output_tokens = 0;  // of successful requests
  std::uint64_t good = 0;           // successful and within every SLO (== ok when no SLO is set)
  // Attempts the server turned away with 429 (retried or final); retries counts the
  // attempts beyond the first, failed only requests whose last attempt failed.
  std::uint64_t rejected_attempts = 0;
  // Successful requests whose token counts are estimated because the server reported no usage
  // (RequestRecord::usage_reported false): their input/output tokens above are estimates.
  std::uint64_t estimated_usage = 0;
  // Successful requests without usage whose output tokens the configured tokenizer counted
  // (RequestRecord::tokens_counted): exact for their text, not estimates.
  std::uint64_t counted_usage = 0;
  // Of output_tokens, those spent reasoning (RequestRecord::reasoning_tokens); the answer's are
  // the rest. 0 for a server without reasoning.
  std::uint64_t reasoning_tokens = 0;
  // Successful requests that stopped before the output length they insisted on (ignore_eos or
  // min_tokens; RequestRecord::stopped_early).
  std::uint64_t stopped_early = 0;
  WindowWork window;  // the requests' work inside the measurement window (throughput)

  std::uint64_t errors(harness::ErrorKind kind) const {
    return errors_by_kind[static_cast<std::size_t>(kind)];
  }
  void merge(const RequestCounts& other);
  friend bool operator==(const RequestCounts&, const RequestCounts&) = default;
};

// The per-request distributions. Latencies in ns; output_tokens in tokens;
// output_tokens_per_s in tokens per second. Only successful requests enter them.
struct Distributions {
  LatencyHistogram e2e;             // end - start
  LatencyHistogram e2e_corrected;   // end - intended start (coordinated-omission corrected)
  LatencyHistogram ttft;            // first token - start
  LatencyHistogram ttft_corrected;  // first token - intended start
  LatencyHistogram itl;             // every gap between consecutive chunks, pooled over requests
  LatencyHistogram tpot;            // per request (e2e - ttft) / (output tokens - 1)
  LatencyHistogram queue_wait;      // start - intended start
  LatencyHistogram output_tokens{HistogramRange::token_count()};
  LatencyHistogram output_tokens_per_s{HistogramRange::rate_per_s()};  // tokens / e2e per request
  // From the server's Server-Timing header, only for responses that carry it (docs/metrics.md):
  LatencyHistogram server_queue;  // the server's own queue time ("queue;dur=")
  LatencyHistogram ttft_client;   // ttft - server queue: what the server's queue does not explain
  // Time to first output (answer) token: first answer delta - start. Differs from ttft only
  // for reasoning models; empty when no request had reasoning (docs/metrics.md).
  LatencyHistogram ttfo;

  void merge(const Distributions& other);
  friend bool operator==(const Distributions&, const Distributions&) = default;

  // Visits (name, histogram) in a stable order; names are the report.json / CSV keys.
  template <typename Self, typename F>
  static void for_each(Self& self, F&& f) {
    f(std::string_view("e2e"), self.e2e);
    f(std::string_view("e2e_corrected"), self.e2e_corrected);
    f(std::string_view("ttft"), self.ttft);
    f(std::string_view("ttft_corrected"), self.ttft_corrected);
    f(std::string_view("itl"), self.itl);
    f(std::string_view("tpot"), self.tpot);
    f(std::string_view("queue_wait"), self.queue_wait);
    f(std::string_view("output_tokens"), self.output_tokens);
    f(std::string_view("output_tokens_per_s"), self.output_tokens_per_s);
    f(std::string_view("server_queue"), self.server_queue);
    f(std::string_view("ttft_client"), self.ttft_client);
    f(std::string_view("ttfo"), self.ttfo);
  }
};

// Derived from counts and timing; recomputed after any merge, never merged itself.
struct Throughput {
  double requests_per_s = 0;                // successful requests / duration
  double output_tokens_per_s = 0;           // output tokens of successful requests / duration
  double total_tokens_per_s = 0;            // (input + output) tokens / duration
  double output_tokens_per_s_per_user = 0;  // output_tokens_per_s / concurrency (0 without concurrency)
  std::optional<double> goodput_rps;        // good requests / duration, only when an SLO is set
  double error_rate = 0;                    // failed / total (0 when nothing ran)
  // Time-weighted mean of the requests in flight over the window (WindowWork::busy_s / duration);
  // compare with the configured concurrency: by Little's law, requests_per_s * latency.
  std::optional<double> mean_in_flight;

  friend bool operator==(const Throughput&, const Throughput&) = default;
};

Throughput compute_throughput(const RequestCounts& counts, const StepTiming& timing, const Slo& slo);

struct StepMetrics {
  StepTiming timing;
  Slo slo;
  RequestCounts counts;
  Distributions distributions;
  Throughput throughput;
  ErrorDetails error_details;  // per error kind: HTTP statuses and the first distinct messages
  TimeSeries time_series;      // per second of the step, from the window start (warm-up before 0)

  // Adds another process's measurement of the same step (run side by side): counts and
  // histograms add, concurrency adds, the window is the longer one; throughput is recomputed.
  void merge(const StepMetrics& other);
};

inline bool operator==(const StepTiming& a, const StepTiming& b) {
  return a.duration_s == b.duration_s && a.concurrency == b.concurrency &&
         a.target_rate_rps == b.target_rate_rps;
}

}  // namespace llmbench::metrics
