#pragma once

#include <optional>

namespace llmbench::metrics {

// Per-request service-level objectives, as vLLM bench's --goodput: a request is "good" when it
// succeeded and meets every objective that is set. TTFT and e2e are judged from the intended
// start (coordinated-omission corrected: what a user waits); TPOT per request.
struct Slo {
  std::optional<double> ttft_ms;
  std::optional<double> tpot_ms;
  std::optional<double> e2e_ms;

  bool any() const noexcept { return ttft_ms || tpot_ms || e2e_ms; }
  friend bool operator==(const Slo&, const Slo&) = default;
};

}  // namespace llmbench::metrics
