#pragma once

#include <cstdint>

#include "harness/load/arrival_process.h"
#include "harness/load/time_source.h"

namespace llmbench::load {

// Open-loop pacing over a clock (Nighthawk's RateLimiter): turns an ArrivalProcess into
// slots that become due as time passes. Not thread-safe; the Schedule serialises access.
class RateLimiter {
 public:
  // `start_ns` is the run's t = 0 on `time`'s clock; `time` must outlive the limiter.
  RateLimiter(const TimeSource& time, ArrivalProcessPtr arrivals, std::int64_t start_ns);

  // Takes the next slot if it is due now (intended start <= now). At 10 Hz, 100 ms after
  // start exactly one acquire succeeds.
  bool try_acquire_one();

  // Intended start (absolute ns) of the next slot, due or not.
  std::int64_t next_due_ns() const { return next_due_ns_; }

  // Takes the next slot whether or not it is due and returns its intended start: a worker
  // reserves its slot ahead, then waits until it is due.
  std::int64_t take_next();

  std::uint64_t acquired() const { return acquired_; }

 private:
  const TimeSource& time_;
  ArrivalProcessPtr arrivals_;
  std::int64_t start_ns_;
  std::int64_t next_due_ns_;
  std::uint64_t acquired_ = 0;
};

}  // namespace llmbench::load
