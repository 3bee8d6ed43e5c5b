#pragma once

#include <cstdint>

namespace llmbench::load {

// Where pacing code gets "now" and how it waits, injected so that pacing tests run on a
// fake clock (tests advance it by hand) instead of sleeping.
class TimeSource {
 public:
  virtual ~TimeSource() = default;
  // Steady-clock nanoseconds (common/clock.h).
  virtual std::int64_t now_ns() const = 0;
  // Returns once now_ns() >= deadline_ns. Callers that must stay responsive to a stop
  // request sleep in short steps (see drivers).
  virtual void sleep_until(std::int64_t deadline_ns) = 0;
};

// The real clock: steady_clock and std::this_thread::sleep_until.
class SteadyTimeSource final : public TimeSource {
 public:
  std::int64_t now_ns() const override;
  void sleep_until(std::int64_t deadline_ns) override;
};

// The process-wide real clock, for code that has no reason to be tested on a fake one.
TimeSource& steady_time_source();

}  // namespace llmbench::load
