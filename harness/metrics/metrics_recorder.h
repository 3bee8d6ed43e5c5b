#pragma once

#include "harness/client/request_record.h"
#include "harness/metrics/slo.h"
#include "harness/metrics/step_metrics.h"

namespace llmbench::metrics {

// Turns request records into counters and histograms. One per worker (thread or event loop):
// record() touches only this object, so there are no locks or atomics on the hot path; the
// runner merges the workers' recorders when the step ends.
class MetricsRecorder {
 public:
  explicit MetricsRecorder(Slo slo = {}) : slo_(slo) {}

  void record(const harness::RequestRecord& record);
  // Adds the part of a request (measured or warm-up) that lies inside the measurement window
  // [window_start_ns, window_end_ns] to counts().window (docs/metrics.md), and the request to
  // the step's time series (seconds counted from window_start_ns).
  void record_window(const harness::RequestRecord& record, std::int64_t window_start_ns,
                     std::int64_t window_end_ns);
  // Throws std::invalid_argument when the SLOs differ (goodput would be meaningless).
  void merge(const MetricsRecorder& other);

  StepMetrics summarize(const StepTiming& timing) const;

  const RequestCounts& counts() const noexcept { return counts_; }
  const Distributions& distributions() const noexcept { return distributions_; }
  const Slo& slo() const noexcept { return slo_; }
  const ErrorDetails& error_details() const noexcept { return error_details_; }

 private:
  // Successful and within every SLO.
  bool good(const harness::RequestRecord& record) const;

  Slo slo_;
  RequestCounts counts_;
  Distributions distributions_;
  ErrorDetails error_details_;  // touched by failed requests only
  TimeSeries time_series_;      // from record_window: it knows where the window starts
};

}  // namespace llmbench::metrics
