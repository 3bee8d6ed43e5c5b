#include "harness/load/slo_search.h"

#include <algorithm>
#include <cmath>

namespace llmbench::load {

SloSearch::SloSearch(SearchSpec spec) : spec_(std::move(spec)) {
  if (spec_.max <= 0 && integral()) spec_.max = 1024;
}

bool SloSearch::narrow_enough() const {
  if (!best_pass_ || !lowest_fail_) return false;
  const double width = *lowest_fail_ - *best_pass_;
  if (integral()) return width <= std::max(1.0, std::floor(spec_.precision * *best_pass_));
  return width <= spec_.precision * *best_pass_;
}

std::optional<double> SloSearch::next() const {
  if (probes_.size() >= spec_.max_probes) return std::nullopt;
  if (probes_.empty()) return spec_.min;
  if (!best_pass_) return std::nullopt;  // even the lowest load misses the target
  if (!lowest_fail_) {
    // Bracketing: double until a probe fails or the ceiling itself has passed.
    if (*best_pass_ >= spec_.max) return std::nullopt;
    return std::min(spec_.max, *best_pass_ * 2);
  }
  if (narrow_enough()) return std::nullopt;
  double mid = (*best_pass_ + *lowest_fail_) / 2;
  if (integral()) mid = std::floor(mid);
  if (mid <= *best_pass_ || mid >= *lowest_fail_) return std::nullopt;
  return mid;
}

void SloSearch::record(double value, double attainment) {
  const bool met = attainment >= spec_.attainment;
  probes_.push_back({value, attainment, met});
  // A noisy probe can contradict an earlier one (pass above a failure): the bracket keeps the
  // highest pass below the lowest failure, so it only ever narrows.
  if (met) {
    if ((!best_pass_ || value > *best_pass_) && (!lowest_fail_ || value < *lowest_fail_)) best_pass_ = value;
  } else if (!lowest_fail_ || value < *lowest_fail_) {
    lowest_fail_ = value;
    if (best_pass_ && *best_pass_ >= value) best_pass_.reset();
    for (const auto& p : probes_) {
      if (p.met && p.value < value && (!best_pass_ || p.value > *best_pass_)) best_pass_ = p.value;
    }
  }
}

SloSearch::Outcome SloSearch::outcome() const {
  Outcome out;
  out.answer = best_pass_;
  out.upper = lowest_fail_;
  out.converged = narrow_enough() || (best_pass_ && !lowest_fail_ && *best_pass_ >= spec_.max) ||
                  (!best_pass_ && lowest_fail_ && *lowest_fail_ <= spec_.min);
  out.probes = probes_;
  return out;
}

}  // namespace llmbench::load
