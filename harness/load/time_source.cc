#include "harness/load/time_source.h"

#include <thread>

#include "common/clock.h"

namespace llmbench::load {

std::int64_t SteadyTimeSource::now_ns() const { return steady_now_ns(); }

void SteadyTimeSource::sleep_until(std::int64_t deadline_ns) {
  std::this_thread::sleep_until(steady_from_ns(deadline_ns));
}

TimeSource& steady_time_source() {
  static SteadyTimeSource source;
  return source;
}

}  // namespace llmbench::load
