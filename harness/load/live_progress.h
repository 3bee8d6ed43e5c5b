#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "harness/metrics/latency_histogram.h"

namespace llmbench::load {

class Schedule;

// The live progress line on stderr (done/total, current req/s, errors, p99 so far), shown
// only on a terminal. Workers call record() (thread-safe; a no-op when disabled, so quiet
// runs pay nothing); one monitor thread calls render().
class LiveProgress {
 public:
  LiveProgress(std::FILE* out, bool enabled) : out_(out), enabled_(enabled) {}
  // Enabled when `out` is a terminal.
  static LiveProgress for_terminal(std::FILE* out);

  bool enabled() const noexcept { return enabled_; }
  void begin_step(std::string label);
  void record(std::int64_t e2e_ns, bool ok);
  void render(const Schedule& schedule);
  // Clears the line so the next output starts clean.
  void end_step();

 private:
  std::FILE* out_;
  bool enabled_;
  std::mutex mutex_;
  std::string label_;
  metrics::LatencyHistogram e2e_;
  std::uint64_t last_completed_ = 0;
  std::int64_t last_render_ns_ = 0;
};

}  // namespace llmbench::load
