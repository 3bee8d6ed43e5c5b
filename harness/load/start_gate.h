#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "harness/load/time_source.h"

namespace llmbench::load {

// `--start-at`: every shard of a run waits for the same wall-clock instant (docs/distributed.md).
// The instant is converted once to the steady clock (wall clock steps during the wait, e.g. an NTP
// correction, do not move it); a shard that is already later than `max_late` must not start,
// because its load would be misaligned with the others'.
struct StartAt {
  std::int64_t unix_ns = 0;  // the planned instant, wall clock
  std::chrono::nanoseconds max_late{std::chrono::seconds(1)};
};

struct StartOutcome {
  enum class Result : std::uint8_t { started, too_late, interrupted } result = Result::started;
  std::int64_t late_ns = 0;      // how late the shard was when it looked (negative: early)
  std::int64_t actual_unix_ns = 0;  // wall clock when the wait ended
};

// Waits on `steady` (in steps of at most 50 ms, so Ctrl-C is noticed) until the planned instant.
// `wall_now` gives the wall clock in Unix ns; it is read once before and once after the wait.
StartOutcome wait_for_start(const StartAt& start, TimeSource& steady, const std::function<std::int64_t()>& wall_now);

}  // namespace llmbench::load
