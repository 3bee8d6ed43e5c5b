#include "harness/load/rate_limiter.h"

namespace llmbench::load {

RateLimiter::RateLimiter(const TimeSource& time, ArrivalProcessPtr arrivals, std::int64_t start_ns)
    : time_(time), arrivals_(std::move(arrivals)), start_ns_(start_ns) {
  next_due_ns_ = start_ns_ + arrivals_->next_offset_ns();
}

bool RateLimiter::try_acquire_one() {
  if (next_due_ns_ > time_.now_ns()) return false;
  take_next();
  return true;
}

std::int64_t RateLimiter::take_next() {
  const std::int64_t due = next_due_ns_;
  next_due_ns_ = start_ns_ + arrivals_->next_offset_ns();
  ++acquired_;
  return due;
}

}  // namespace llmbench::load
