#include "harness/load/start_gate.h"

#include <algorithm>

#include "common/interrupt.h"

namespace llmbench::load {

namespace {
constexpr std::int64_t kWaitStepNs = 50'000'000;
}

StartOutcome wait_for_start(const StartAt& start, TimeSource& steady, const std::function<std::int64_t()>& wall_now) {
  StartOutcome outcome;
  // The one conversion: steady now and wall now read back to back.
  const std::int64_t steady_now = steady.now_ns();
  const std::int64_t wall = wall_now();
  outcome.late_ns = wall - start.unix_ns;
  if (outcome.late_ns > start.max_late.count()) {
    outcome.result = StartOutcome::Result::too_late;
    outcome.actual_unix_ns = wall;
    return outcome;
  }
  const std::int64_t deadline = steady_now - outcome.late_ns;
  while (steady.now_ns() < deadline) {
    if (interrupt_requested()) {
      outcome.result = StartOutcome::Result::interrupted;
      outcome.actual_unix_ns = wall_now();
      return outcome;
    }
    steady.sleep_until(std::min(deadline, steady.now_ns() + kWaitStepNs));
  }
  outcome.actual_unix_ns = wall_now();
  return outcome;
}

}  // namespace llmbench::load
