#pragma once

#include <atomic>
#include <cstdint>

#include "harness/load/time_source.h"

namespace llmbench::load {

// A clock that only moves when told to: advance() by hand, or sleep_until(), which jumps
// straight to the deadline (simulated time). For pacing tests: one thread moves it, any may
// read it. Test-only: nothing under harness/ includes it.
class FakeTimeSource final : public TimeSource {
 public:
  explicit FakeTimeSource(std::int64_t start_ns = 1'000'000'000) : now_(start_ns) {}

  std::int64_t now_ns() const override { return now_.load(std::memory_order_relaxed); }
  void sleep_until(std::int64_t deadline_ns) override {
    if (deadline_ns > now_ns()) now_.store(deadline_ns, std::memory_order_relaxed);
  }
  void advance(std::int64_t delta_ns) { now_.fetch_add(delta_ns, std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace llmbench::load
