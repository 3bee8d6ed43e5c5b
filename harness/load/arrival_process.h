#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

namespace llmbench::load {

// The open-loop arrival times of a run, as offsets from its start: a pure sequence that
// knows nothing of clocks, HTTP or workers. Not thread-safe (the Schedule serialises it).
class ArrivalProcess {
 public:
  virtual ~ArrivalProcess() = default;
  // Offset (ns, from the run's start) of the next arrival; non-decreasing.
  virtual std::int64_t next_offset_ns() = 0;
};
using ArrivalProcessPtr = std::unique_ptr<ArrivalProcess>;

// Evenly spaced: the k-th arrival (k = 1, 2, ...) at k / rate, so nothing is due at t = 0
// and exactly one arrival is due after 1 / rate.
ArrivalProcessPtr make_constant_arrivals(double rate_per_second);

// Poisson: exponential gaps of mean 1 / rate from a seeded PRNG; equal seeds, equal schedules.
ArrivalProcessPtr make_poisson_arrivals(double rate_per_second, std::uint64_t seed);

// Ramp-up: the rate of `base` rises linearly from 0 to its full value over `ramp`, then stays.
// A time warp of the base process, so Poisson stays Poisson (non-homogeneous) while ramping.
ArrivalProcessPtr make_ramped_arrivals(ArrivalProcessPtr base, std::chrono::nanoseconds ramp);

}  // namespace llmbench::load
