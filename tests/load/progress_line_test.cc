// harness/load/progress_line: the live line as a pure function of a snapshot and a width,
// and the sliding-window rate on a fake clock.
#include "harness/load/progress_line.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace llmbench::load {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

ProgressSnapshot full_snapshot() {
  ProgressSnapshot s;
  s.label = "ci-gate/closed c=8 invoke";
  s.done = 412;
  s.planned = 1000;
  s.warmup_done = 20;
  s.warmup_planned = 20;
  s.errors = 3;
  s.rate = 48.4;
  s.e2e_p99_ms = 123.4;
  s.elapsed_s = 9.2;
  s.remaining_s = 12.1;
  return s;
}

std::size_t columns(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

TEST(ProgressLineTest, WideTerminalShowsEveryFieldWithItsMetricName) {
  const std::string line = format_progress_line(full_snapshot(), 200);
  EXPECT_EQ(
      line,
      "ci-gate/closed c=8 invoke  412/1000 done  (+20 warm-up)  48.4 req/s  3 errors  e2e p99 123.4 ms  "
      "9s elapsed, ~12s left");
}

// Below the line's length every refresh used to wrap and leave fragments behind.
TEST(ProgressLineTest, NeverWiderThanTheTerminalMinusOneColumn) {
  for (std::size_t width = 1; width <= 160; ++width) {
    const std::string line = format_progress_line(full_snapshot(), width);
    EXPECT_LE(columns(line), width > 1 ? width - 1 : 1) << "width " << width << ": '" << line << "'";
    EXPECT_EQ(line.find('\n'), std::string::npos);
  }
}

TEST(ProgressLineTest, NarrowLinesDropTheLeastImportantFieldsFirst) {
  const std::string line = format_progress_line(full_snapshot(), 60);
  EXPECT_NE(line.find("412/1000 done"), std::string::npos) << line;
  EXPECT_NE(line.find("3 errors"), std::string::npos) << line;  // errors outrank the rate when there are some
  EXPECT_EQ(line.find("warm-up"), std::string::npos) << line;
  // Very narrow: the done count survives, cut if it must be.
  EXPECT_EQ(format_progress_line(full_snapshot(), 15), "412/1000 done");
}

// Widths are columns, not bytes: a label of six 2-byte characters takes six columns.
TEST(ProgressLineTest, CountsColumnsNotBytes) {
  ProgressSnapshot s;
  s.label = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
  const std::string fits = format_progress_line(s, 15);  // 6 + 2 + "0 done": 14 columns, 20 bytes
  EXPECT_EQ(fits.rfind(std::string(s.label) + "  0 done", 0), 0u) << fits;
  EXPECT_EQ(format_progress_line(s, 14), "0 done");
}

TEST(ProgressLineTest, WarmupIsShownApartFromTheMeasuredCount) {
  ProgressSnapshot s = full_snapshot();
  s.in_warmup = true;
  s.done = 0;
  s.warmup_done = 7;
  const std::string during = format_progress_line(s, 200);
  EXPECT_NE(during.find("warm-up 7/20"), std::string::npos) << during;
  EXPECT_EQ(during.find("done"), std::string::npos) << during;
}

TEST(ProgressLineTest, WithoutSamplesOrAnEndTheLineSaysSo) {
  ProgressSnapshot s;
  s.done = 5;
  s.elapsed_s = 75;
  const std::string line = format_progress_line(s, 200);
  EXPECT_NE(line.find("5 done"), std::string::npos) << line;
  EXPECT_NE(line.find("e2e p99 -"), std::string::npos) << line;
  EXPECT_NE(line.find("1m15s elapsed"), std::string::npos) << line;
  EXPECT_EQ(line.find("left"), std::string::npos) << line;
}

TEST(ProgressLineTest, ClockFormat) {
  EXPECT_EQ(format_clock(0), "0s");
  EXPECT_EQ(format_clock(59.4), "59s");
  EXPECT_EQ(format_clock(185), "3m05s");
  EXPECT_EQ(format_clock(3720), "1h02m");
  EXPECT_EQ(format_clock(-3), "0s");
}

// Requests complete in bursts (16 at a time, 3 bursts per second: 48 req/s) and the line
// refreshes every 0.5 s. The rate between two refreshes swung between 32 and 64; over the
// sliding window it stays at 48.
TEST(RateWindowTest, BurstyCompletionsGiveASteadyRate) {
  RateWindow window(3 * kSecond);
  window.reset(0, 0);
  auto completed_at = [](std::int64_t t) { return static_cast<std::uint64_t>(16 * (3 * t / kSecond)); };
  std::vector<double> naive;
  std::uint64_t last = 0;
  for (std::int64_t t = kSecond / 2; t <= 20 * kSecond; t += kSecond / 2) {
    const double rate = window.update(t, completed_at(t));
    naive.push_back(static_cast<double>(completed_at(t) - last) * 2);
    last = completed_at(t);
    if (t >= 3 * kSecond) {
      EXPECT_NEAR(rate, 48.0, 48.0 * 0.05) << "at t=" << static_cast<double>(t) / 1e9 << " s";
    }
  }
  // The per-refresh rate really does flip (what the window smooths away).
  EXPECT_EQ(*std::min_element(naive.begin() + 6, naive.end()), 32.0);
  EXPECT_EQ(*std::max_element(naive.begin() + 6, naive.end()), 64.0);
}

TEST(RateWindowTest, BeforeAFullWindowItIsTheRateSinceReset) {
  RateWindow window(3 * kSecond);
  window.reset(10 * kSecond, 100);
  EXPECT_DOUBLE_EQ(window.update(10 * kSecond + kSecond / 2, 125), 50.0);
  EXPECT_DOUBLE_EQ(window.update(11 * kSecond, 140), 40.0);
  EXPECT_DOUBLE_EQ(window.update(11 * kSecond, 140), 40.0);  // a repeated refresh: the same rate
}

TEST(RateWindowTest, OldSamplesLeaveTheWindow) {
  RateWindow window(2 * kSecond);
  window.reset(0, 0);
  for (int i = 1; i <= 10; ++i) window.update(i * kSecond, static_cast<std::uint64_t>(i) * 100);  // 100/s
  // Then nothing completes for 2 s: the rate falls to 0, not to an average since the start.
  window.update(11 * kSecond, 1000);
  EXPECT_DOUBLE_EQ(window.update(12 * kSecond, 1000), 0.0);
}

}  // namespace
}  // namespace llmbench::load
