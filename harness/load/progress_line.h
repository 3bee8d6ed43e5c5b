#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace llmbench::load {

// What the live progress line shows at one refresh (LiveProgress fills it in).
struct ProgressSnapshot {
  std::string_view label;
  std::uint64_t done = 0;             // measured requests finished (warm-up excluded)
  std::uint64_t planned = 0;          // measured requests planned; 0 when bounded by duration only
  std::uint64_t warmup_done = 0;      // warm-up requests finished
  std::uint64_t warmup_planned = 0;   // warm-up requests planned; 0 for none or a duration warm-up
  bool in_warmup = false;             // the warm-up is still running
  std::uint64_t errors = 0;           // failed measured requests
  double rate = 0;                    // requests finished per second, smoothed (RateWindow)
  std::optional<double> e2e_p99_ms;   // of successful measured requests; none yet
  double elapsed_s = 0;               // since the step started (warm-up included)
  std::optional<double> remaining_s;  // when the step has a duration or a request count
};

// The line for `snapshot`, at most `width` - 1 columns (the last column would make some
// terminals wrap): fields are dropped least important first (warm-up count, a zero error
// count, p99, time, rate), and what still does not fit is cut. Pure, for tests; no escape codes.
std::string format_progress_line(const ProgressSnapshot& snapshot, std::size_t width);

// "42s", "3m05s", "1h02m".
std::string format_clock(double seconds);

// The columns of the terminal behind `out`: TIOCGWINSZ, else $COLUMNS, else 80.
std::size_t terminal_width(std::FILE* out);

// A completion rate over a sliding window of recent refreshes. The rate between two
// refreshes half a second apart flips with the bursts in which requests complete (31.7,
// 63.8, 31.7 req/s at a steady 48.4); over a few seconds of real elapsed time it is steady.
// Until a full window has passed it is the rate since reset().
class RateWindow {
 public:
  explicit RateWindow(std::int64_t window_ns = 3'000'000'000) : window_ns_(window_ns) {}

  void reset(std::int64_t now_ns, std::uint64_t count);
  // Adds the cumulative `count` at `now_ns` and returns the rate in counts per second over
  // the last window (0 when no time has passed).
  double update(std::int64_t now_ns, std::uint64_t count);

 private:
  std::int64_t window_ns_;
  std::deque<std::pair<std::int64_t, std::uint64_t>> samples_;  // (time, cumulative count), oldest first
};

}  // namespace llmbench::load
