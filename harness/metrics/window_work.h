#pragma once

#include <algorithm>
#include <cstdint>

namespace llmbench::metrics {

// The work the requests of a step did inside its measurement window (docs/metrics.md): every
// request, warm-up or measured, counts with the fraction of its time [start, end] that lies in
// the window. Throughput divides these by the window's length, so it neither depends on how
// the window's edges cut through requests in flight (the step length) nor on how an
// execution model starts or drains its users (the mode); busy_s / window is the time-weighted
// mean number of requests in flight, and Little's law holds between the two.
struct WindowWork {
  bool measured = false;     // false: nothing recorded (or an older report): use whole counts
  double ok = 0;             // successful requests
  double good = 0;           // successful and within every SLO
  double output_tokens = 0;  // of successful requests
  double total_tokens = 0;   // input + output, of successful requests
  double busy_s = 0;         // request-seconds in flight inside the window, failed requests too

  // The fraction of [start_ns, end_ns] inside [window_start_ns, window_end_ns]: 1 for a request
  // wholly inside (also a zero-length one), 0 for one wholly outside.
  static double fraction_inside(std::int64_t start_ns, std::int64_t end_ns, std::int64_t window_start_ns,
                                std::int64_t window_end_ns) {
    if (end_ns < window_start_ns || start_ns > window_end_ns || end_ns < start_ns) return 0.0;
    if (end_ns == start_ns) return 1.0;
    const std::int64_t inside = std::min(end_ns, window_end_ns) - std::max(start_ns, window_start_ns);
    return inside <= 0 ? 0.0 : static_cast<double>(inside) / static_cast<double>(end_ns - start_ns);
  }

  void merge(const WindowWork& other) {
    measured = measured || other.measured;
    ok += other.ok;
    good += other.good;
    output_tokens += other.output_tokens;
    total_tokens += other.total_tokens;
    busy_s += other.busy_s;
  }
  friend bool operator==(const WindowWork&, const WindowWork&) = default;
};

}  // namespace llmbench::metrics
