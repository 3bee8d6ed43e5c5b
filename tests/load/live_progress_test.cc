// harness/load/live_progress: what the live line counts (warm-up apart, errors, p99 of
// successes, remaining time) on a fake clock, the escape codes it draws with, and lock-free
// recording from many threads.
#include "harness/load/live_progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "harness/load/schedule.h"
#include "tests/load/fake_time_source.h"

namespace llmbench::load {
namespace {

using namespace std::chrono_literals;
constexpr std::int64_t kMs = 1'000'000;

// Captures what LiveProgress prints (a temporary file: portable, no pipes to drain).
class Captured {
 public:
  Captured() : file_(std::tmpfile()) {}
  ~Captured() { std::fclose(file_); }
  Captured(const Captured&) = delete;
  Captured& operator=(const Captured&) = delete;
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    std::rewind(file_);
    std::string out;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof(buffer), file_)) > 0;) out.append(buffer, n);
    return out;
  }

 private:
  std::FILE* file_;
};

LoadPlan counted_plan() {
  LoadPlan plan;
  plan.concurrency = 4;
  plan.requests = 100;
  plan.warmup_requests = 10;
  return plan;
}

TEST(LiveProgressTest, WarmupIsCountedApartAndErrorsAreNotInTheP99) {
  FakeTimeSource clock;
  Captured out;
  LiveProgress progress(out.file(), true, clock, 200);
  const Schedule schedule(counted_plan(), clock);
  progress.begin_step("step");
  for (int i = 0; i < 10; ++i) progress.record(900 * kMs, true, /*warmup=*/true);  // slow warm-up
  ProgressSnapshot during = progress.snapshot(schedule);
  EXPECT_EQ(during.done, 0u);
  EXPECT_EQ(during.warmup_done, 10u);
  EXPECT_FALSE(during.in_warmup) << "all 10 warm-up requests are done";

  for (int i = 0; i < 39; ++i) progress.record(20 * kMs, true, false);
  progress.record(5 * kMs, false, false);  // a failure: an error, not a latency sample
  clock.advance(2000 * kMs);
  const ProgressSnapshot s = progress.snapshot(schedule);
  EXPECT_EQ(s.done, 40u);
  EXPECT_EQ(s.planned, 100u);
  EXPECT_EQ(s.warmup_done, 10u);
  EXPECT_EQ(s.errors, 1u);
  ASSERT_TRUE(s.e2e_p99_ms.has_value());
  EXPECT_NEAR(*s.e2e_p99_ms, 20.0, 20.0 * 0.03) << "the warm-up's 900 ms must not enter the p99";
  EXPECT_DOUBLE_EQ(s.elapsed_s, 2.0);
  EXPECT_DOUBLE_EQ(s.rate, 25.0);  // 50 completions (warm-up included) in 2 s
  ASSERT_TRUE(s.remaining_s.has_value());
  EXPECT_DOUBLE_EQ(*s.remaining_s, 60.0 / 25.0);  // 60 measured requests left at 25/s
}

TEST(LiveProgressTest, WarmupInProgressIsShownAsWarmup) {
  FakeTimeSource clock;
  Captured out;
  LiveProgress progress(out.file(), true, clock, 200);
  const Schedule schedule(counted_plan(), clock);
  progress.begin_step("step");
  for (int i = 0; i < 4; ++i) progress.record(10 * kMs, true, true);
  clock.advance(500 * kMs);
  progress.render(schedule);
  const std::string text = out.text();
  EXPECT_EQ(text.rfind("\r\033[K", 0), 0u) << "each refresh returns and clears the line first";
  EXPECT_NE(text.find("warm-up 4/10"), std::string::npos) << text;
  EXPECT_EQ(text.find("done"), std::string::npos) << text;
}

// Multi-turn sessions: the schedule plans sessions, the line counts requests (4 turns each).
TEST(LiveProgressTest, SessionStepsShowPlannedCountsInRequests) {
  FakeTimeSource clock;
  Captured out;
  LiveProgress progress(out.file(), true, clock, 200);
  const Schedule schedule(counted_plan(), clock);
  progress.begin_step("step", 4.0);
  for (int i = 0; i < 12; ++i) progress.record(10 * kMs, true, true);
  const ProgressSnapshot s = progress.snapshot(schedule);
  EXPECT_EQ(s.planned, 400u);
  EXPECT_EQ(s.warmup_planned, 40u);
  EXPECT_TRUE(s.in_warmup) << "12 of the 10 warm-up sessions' 40 requests";
}

TEST(LiveProgressTest, DurationStepsShowTimeLeftAndRenderFitsTheWidth) {
  FakeTimeSource clock;
  Captured out;
  LiveProgress progress(out.file(), true, clock, 50);
  LoadPlan plan;
  plan.concurrency = 2;
  plan.duration = 10s;
  plan.warmup_duration = 2s;
  const Schedule schedule(plan, clock);
  progress.begin_step("a-rather-long-step-label");
  clock.advance(1000 * kMs);
  ProgressSnapshot s = progress.snapshot(schedule);
  EXPECT_TRUE(s.in_warmup);
  ASSERT_TRUE(s.remaining_s.has_value());
  EXPECT_DOUBLE_EQ(*s.remaining_s, 11.0);  // 1 s of warm-up, then the 10 s measured
  clock.advance(5000 * kMs);
  s = progress.snapshot(schedule);
  EXPECT_FALSE(s.in_warmup);
  EXPECT_DOUBLE_EQ(*s.remaining_s, 6.0);
  progress.render(schedule);
  progress.end_step();
  const std::string text = out.text();
  // Each refresh: "\r\033[K" then at most 49 columns.
  std::size_t start = 0;
  while ((start = text.find("\r\033[K", start)) != std::string::npos) {
    start += 4;
    const std::size_t end = std::min(text.find('\r', start), text.size());
    EXPECT_LE(end - start, 49u) << text.substr(start, end - start);
  }
}

TEST(LiveProgressTest, DisabledRecordsNothingAndPrintsNothing) {
  FakeTimeSource clock;
  Captured out;
  LiveProgress progress(out.file(), false, clock, 80);
  const Schedule schedule(counted_plan(), clock);
  progress.begin_step("step");
  progress.record(1 * kMs, true, false);
  progress.render(schedule);
  progress.end_step();
  EXPECT_EQ(progress.snapshot(schedule).done, 0u);
  EXPECT_EQ(out.text(), "");
}

// Workers record without a lock; every completion is counted (and TSan sees no race).
TEST(LiveProgressTest, ConcurrentRecordsAreAllCounted) {
  FakeTimeSource clock;
  Captured out;
  LiveProgress progress(out.file(), true, clock, 80);
  const Schedule schedule(counted_plan(), clock);
  progress.begin_step("step");
  constexpr int kThreads = 4;
  constexpr int kEach = 5000;
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&progress, t] {
      for (int i = 0; i < kEach; ++i) progress.record((1 + i % 50) * kMs, i % 100 != 0, t == 0 && i < 10);
    });
  }
  // The monitor reads while they write.
  for (int i = 0; i < 20; ++i) progress.render(schedule);
  for (std::thread& w : workers) w.join();
  const ProgressSnapshot s = progress.snapshot(schedule);
  EXPECT_EQ(s.warmup_done, 10u);
  EXPECT_EQ(s.done, static_cast<std::uint64_t>(kThreads * kEach - 10));
  EXPECT_EQ(s.errors, static_cast<std::uint64_t>(kThreads * kEach / 100 - 1));  // thread 0's i=0 was warm-up
}

}  // namespace
}  // namespace llmbench::load
