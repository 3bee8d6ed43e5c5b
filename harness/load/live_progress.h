#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "harness/load/live_histogram.h"
#include "harness/load/progress_line.h"
#include "harness/load/time_source.h"

namespace llmbench::load {

class Schedule;

// The live progress line on stderr, shown only on a terminal: measured requests done (warm-up
// apart), req/s over a sliding window, errors, e2e p99, elapsed and remaining time; cut to
// the terminal's width so a refresh never wraps. Workers call record() from any thread: a few
// relaxed atomic increments, no lock, and a no-op when disabled. One monitor thread calls
// render(); begin_step() and end_step() run between steps, when no worker records.
class LiveProgress {
 public:
  // `width` 0: ask the terminal at every refresh (it may be resized).
  LiveProgress(std::FILE* out, bool enabled, TimeSource& time = steady_time_source(), std::size_t width = 0)
      : out_(out), enabled_(enabled), time_(time), width_(width) {}
  // Enabled when `out` is a terminal.
  static LiveProgress for_terminal(std::FILE* out);

  bool enabled() const noexcept { return enabled_; }
  // `requests_per_slot`: the requests a slot is expected to hold (multi-turn sessions: the mean
  // turns), so the planned counts, which the schedule gives in slots, are shown in requests.
  void begin_step(std::string label, double requests_per_slot = 1);
  void record(std::int64_t e2e_ns, bool ok, bool warmup);
  void render(const Schedule& schedule);
  // Clears the line so the next output starts clean.
  void end_step();

  // What render() draws, without drawing it.
  ProgressSnapshot snapshot(const Schedule& schedule);

 private:
  std::FILE* out_;
  bool enabled_;
  TimeSource& time_;
  std::size_t width_;
  std::string label_;
  std::int64_t step_start_ns_ = 0;
  std::int64_t warmup_end_ns_ = 0;  // when a counted warm-up was first seen complete
  double requests_per_slot_ = 1;
  RateWindow rate_;
  std::atomic<std::uint64_t> measured_{0};
  std::atomic<std::uint64_t> warmup_{0};
  std::atomic<std::uint64_t> errors_{0};
  LiveHistogram e2e_;
};

}  // namespace llmbench::load
