// WorkerTally: what a worker accounts per slot, on the fake clock.
#include "harness/load/worker_tally.h"

#include <gtest/gtest.h>

#include "common/interrupt.h"
#include "tests/load/fake_time_source.h"

namespace llmbench::load {
namespace {

using namespace std::chrono_literals;
constexpr std::int64_t kMs = 1'000'000;

// Issue 12 item 10: with a concurrency cap, waiting for a free user is cap wait; only the
// lateness after a user was free is schedule lag (the harness's).
TEST(WorkerTally, OpenLoopSplitsCapWaitFromScheduleLag) {
  WorkerTally tally(metrics::Slo{});
  Slot slot;
  slot.intended_start_ns = 1000 * kMs;
  slot.claimed_ns = 1500 * kMs;                      // the only user was busy for 500 ms
  tally.on_send(slot, 1502 * kMs, true, true);       // sent 2 ms after it was claimed
  Slot on_time;
  on_time.intended_start_ns = 2000 * kMs;
  on_time.claimed_ns = 1990 * kMs;                   // claimed ahead, sent 1 ms late
  tally.on_send(on_time, 2001 * kMs, true, true);
  StepOutcome outcome;
  tally.merge_into(outcome);
  ASSERT_EQ(outcome.schedule_lag.count(), 2u);
  EXPECT_LE(outcome.schedule_lag.max(), 2.01 * kMs);
  ASSERT_EQ(outcome.cap_wait.count(), 2u);
  EXPECT_NEAR(outcome.cap_wait.max(), 500.0 * kMs, 5.0 * kMs);
  EXPECT_EQ(outcome.cap_wait.min(), 0);
}

TEST(WorkerTally, UncappedLatenessIsAllScheduleLag) {
  WorkerTally tally(metrics::Slo{});
  Slot slot;
  slot.intended_start_ns = 1000 * kMs;
  slot.claimed_ns = 1300 * kMs;  // a dispatcher that fell behind: the harness's lateness
  tally.on_send(slot, 1300 * kMs, true, false);
  StepOutcome outcome;
  tally.merge_into(outcome);
  EXPECT_NEAR(outcome.schedule_lag.max(), 300.0 * kMs, 3.0 * kMs);
  EXPECT_EQ(outcome.cap_wait.max(), 0);
}

// Issue 12 items 6 and 8: every request counts with the part of it inside the window, warm-up
// requests still in flight when it opens too; busy time gives the mean in-flight count.
TEST(WorkerTally, WindowWorkCountsThePartOfEachRequestInsideTheWindow) {
  reset_interrupt_for_testing();
  FakeTimeSource clock(0);
  LoadPlan plan;
  plan.concurrency = 2;
  plan.duration = 1s;
  plan.warmup_duration = 100ms;
  Schedule schedule(plan, clock);  // window [100 ms, 1100 ms]
  WorkerTally tally(metrics::Slo{});
  auto account = [&](std::int64_t start, std::int64_t end, bool warmup) {
    Slot slot;
    slot.warmup = warmup;
    slot.intended_start_ns = start;
    harness::InvokeResult result;
    result.record.intended_start_ns = start;
    result.record.start_ns = start;
    result.record.end_ns = end;
    result.record.output_tokens = 10;
    tally.on_result(slot, result, schedule, nullptr);
  };
  account(50 * kMs, 150 * kMs, true);      // warm-up, half inside
  account(200 * kMs, 400 * kMs, false);    // wholly inside
  account(1000 * kMs, 1200 * kMs, false);  // half inside
  account(0, 90 * kMs, true);              // before the window: nothing
  StepOutcome outcome;
  tally.merge_into(outcome);
  const metrics::WindowWork& w = outcome.recorder.counts().window;
  EXPECT_TRUE(w.measured);
  EXPECT_DOUBLE_EQ(w.ok, 2.0);
  EXPECT_DOUBLE_EQ(w.output_tokens, 20.0);
  EXPECT_NEAR(w.busy_s, 0.05 + 0.2 + 0.1, 1e-9);
  EXPECT_EQ(outcome.recorder.counts().ok, 2u);  // counts stay whole: measured requests only
}

}  // namespace
}  // namespace llmbench::load
