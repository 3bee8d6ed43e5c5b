#pragma once

#include <chrono>
#include <cstdint>

// One time base for every measurement: steady_clock nanoseconds. Wall-clock time
// appears only in report metadata, never in a latency.
namespace llmbench {

using SteadyClock = std::chrono::steady_clock;
using Nanos = std::chrono::nanoseconds;

inline std::int64_t steady_now_ns() noexcept {
  return std::chrono::duration_cast<Nanos>(SteadyClock::now().time_since_epoch()).count();
}

inline SteadyClock::time_point steady_from_ns(std::int64_t ns) noexcept {
  return SteadyClock::time_point(Nanos(ns));
}

}  // namespace llmbench
