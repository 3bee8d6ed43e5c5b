#include "harness/load/schedule.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/interrupt.h"
#include "tests/load/fake_time_source.h"

namespace llmbench::load {
namespace {

using namespace std::chrono_literals;
constexpr std::int64_t kMs = 1'000'000;

class ScheduleTest : public ::testing::Test {
 protected:
  void SetUp() override { reset_interrupt_for_testing(); }
  void TearDown() override { reset_interrupt_for_testing(); }
  FakeTimeSource clock;
};

TEST_F(ScheduleTest, ClosedLoopHandsOutExactlyWarmupPlusRequestsSlots) {
  LoadPlan plan;
  plan.concurrency = 4;
  plan.requests = 5;
  plan.warmup_requests = 2;
  Schedule schedule(plan, clock);
  int warm = 0;
  int measured = 0;
  while (auto slot = schedule.claim()) {
    EXPECT_EQ(slot->intended_start_ns, clock.now_ns());  // closed loop: intended when claimed
    (slot->warmup ? warm : measured)++;
    EXPECT_EQ(slot->warmup, slot->index < 2);
    clock.advance(kMs);
  }
  EXPECT_EQ(warm, 2);
  EXPECT_EQ(measured, 5);
  EXPECT_EQ(schedule.stop_reason(), StopReason::requests);
  EXPECT_TRUE(schedule.exhausted());
  EXPECT_FALSE(schedule.stopping());  // an ordinary end is not an abort
  EXPECT_FALSE(schedule.claim().has_value());
}

TEST_F(ScheduleTest, OpenLoopSlotsFollowTheRateAndEndOnTheScheduledDuration) {
  LoadPlan plan;
  plan.model = LoadModel::open_loop;
  plan.rate = 10;
  plan.duration = 1s;
  Schedule schedule(plan, clock);
  const std::int64_t start = schedule.start_ns();
  std::vector<std::int64_t> intended;
  // Claimed ahead without the clock moving: the schedule, not the caller, decides the times.
  while (auto slot = schedule.claim()) intended.push_back(slot->intended_start_ns - start);
  ASSERT_EQ(intended.size(), 9u);  // 100 ms .. 900 ms; the 10th would start at the deadline
  for (std::size_t i = 0; i < intended.size(); ++i) {
    EXPECT_EQ(intended[i], static_cast<std::int64_t>(i + 1) * 100 * kMs);
  }
  EXPECT_EQ(schedule.stop_reason(), StopReason::duration);
}

TEST_F(ScheduleTest, DurationWarmupMarksEarlySlotsAndExtendsTheRun) {
  LoadPlan plan;
  plan.model = LoadModel::open_loop;
  plan.rate = 10;
  plan.duration = 500ms;
  plan.warmup_duration = 300ms;
  Schedule schedule(plan, clock);
  EXPECT_EQ(schedule.measure_start_ns(), schedule.start_ns() + 300 * kMs);
  int warm = 0;
  int measured = 0;
  while (auto slot = schedule.claim()) (slot->warmup ? warm : measured)++;
  EXPECT_EQ(warm, 2);      // 100, 200 ms
  EXPECT_EQ(measured, 5);  // 300 .. 700 ms
}

TEST_F(ScheduleTest, ClosedLoopDurationEndsOnTheClock) {
  LoadPlan plan;
  plan.duration = 100ms;
  Schedule schedule(plan, clock);
  int slots = 0;
  while (auto slot = schedule.claim()) {
    ++slots;
    clock.advance(30 * kMs);  // each request takes 30 ms
  }
  EXPECT_EQ(slots, 4);  // claimed at 0, 30, 60, 90 ms
  EXPECT_EQ(schedule.stop_reason(), StopReason::duration);
}

TEST_F(ScheduleTest, MaxErrorsAbortsAndFails) {
  LoadPlan plan;
  plan.requests = 100;
  plan.max_errors = 3;
  Schedule schedule(plan, clock);
  for (int i = 0; i < 2; ++i) schedule.complete(*schedule.claim(), 1);
  EXPECT_FALSE(schedule.stopping());
  const auto slot = schedule.claim();
  ASSERT_TRUE(slot.has_value());
  schedule.complete(*slot, 1);
  EXPECT_TRUE(schedule.stopping());
  EXPECT_TRUE(schedule.failed());
  EXPECT_EQ(schedule.stop_reason(), StopReason::max_errors);
  EXPECT_FALSE(schedule.claim().has_value());
  EXPECT_EQ(schedule.errors(), 3u);
}

TEST_F(ScheduleTest, InterruptAbortsEvenAfterTheLastSlotWasHandedOut) {
  LoadPlan plan;
  plan.requests = 1;
  Schedule schedule(plan, clock);
  ASSERT_TRUE(schedule.claim().has_value());
  ASSERT_FALSE(schedule.claim().has_value());
  EXPECT_EQ(schedule.stop_reason(), StopReason::requests);
  request_interrupt();
  EXPECT_TRUE(schedule.stopping());
  EXPECT_EQ(schedule.stop_reason(), StopReason::interrupted);
}

TEST_F(ScheduleTest, RampUpSpreadsUserStarts) {
  LoadPlan plan;
  plan.requests = 1;
  plan.concurrency = 4;
  plan.ramp_up = 400ms;
  Schedule schedule(plan, clock);
  EXPECT_EQ(schedule.user_start_ns(0, 4), schedule.start_ns());
  EXPECT_EQ(schedule.user_start_ns(3, 4), schedule.start_ns() + 300 * kMs);
}

TEST_F(ScheduleTest, InvalidPlansAreRejectedNamingTheField) {
  LoadPlan no_stop;
  EXPECT_THROW(Schedule(no_stop, clock), std::invalid_argument);
  LoadPlan open;
  open.model = LoadModel::open_loop;
  open.requests = 1;
  try {
    Schedule s(open, clock);
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rate"), std::string::npos);
  }
  LoadPlan zero_users;
  zero_users.concurrency = 0;
  zero_users.requests = 1;
  EXPECT_THROW(Schedule(zero_users, clock), std::invalid_argument);
}


// Issue 12 item 7: a warm-up given as a request count came out of the duration (2 s with 25
// warm-up requests measured 1.79 s). It comes on top: the duration counts from the first
// measured slot.
TEST_F(ScheduleTest, WarmupInRequestsComesOnTopOfTheDuration) {
  LoadPlan plan;
  plan.concurrency = 1;
  plan.duration = 1s;
  plan.warmup_requests = 5;
  Schedule schedule(plan, clock);
  int warm = 0;
  int measured = 0;
  std::int64_t first_measured = 0;
  while (auto slot = schedule.claim()) {
    if (slot->warmup) {
      ++warm;
    } else {
      if (measured++ == 0) first_measured = slot->intended_start_ns;
    }
    clock.advance(100 * kMs);  // every request takes 100 ms
  }
  EXPECT_EQ(warm, 5);
  EXPECT_EQ(measured, 10);  // a whole second of measured slots after the 500 ms of warm-up
  EXPECT_EQ(schedule.measure_start_ns(), first_measured);
  EXPECT_EQ(schedule.measure_end_ns(), first_measured + 1000 * kMs);
  EXPECT_EQ(schedule.stop_reason(), StopReason::duration);
}

TEST_F(ScheduleTest, OpenLoopWarmupInRequestsAlsoComesOnTop) {
  LoadPlan plan;
  plan.model = LoadModel::open_loop;
  plan.rate = 10;
  plan.duration = 1s;
  plan.warmup_requests = 3;
  Schedule schedule(plan, clock);
  int measured = 0;
  while (auto slot = schedule.claim()) measured += slot->warmup ? 0 : 1;
  EXPECT_EQ(measured, 10);  // 400 ms .. 1300 ms, a full second after the 3 warm-up arrivals
}

// Issue 12 item 8: setting up clients (threads, event loops) before the first claim ate into
// a threaded step's window. start() restarts the clock when the driver is ready.
TEST_F(ScheduleTest, StartRestartsTheClockUntilTheFirstClaim) {
  LoadPlan plan;
  plan.concurrency = 1;
  plan.duration = 1s;
  Schedule schedule(plan, clock);
  clock.advance(300 * kMs);  // a slow client setup
  schedule.start();
  EXPECT_EQ(schedule.start_ns(), clock.now_ns());
  EXPECT_EQ(schedule.measure_start_ns(), clock.now_ns());
  int slots = 0;
  while (schedule.claim()) {
    ++slots;
    clock.advance(100 * kMs);
  }
  EXPECT_EQ(slots, 10);  // the full second, not 700 ms of it
  const std::int64_t started = schedule.start_ns();
  schedule.start();  // ignored once claiming began
  EXPECT_EQ(schedule.start_ns(), started);
}

// Issue 12 item 10: a capped open-loop user that claims late was waiting for the cap.
TEST_F(ScheduleTest, SlotsRecordWhenTheyWereClaimed) {
  LoadPlan plan;
  plan.model = LoadModel::open_loop;
  plan.rate = 10;
  plan.concurrency = 1;
  plan.requests = 2;
  Schedule schedule(plan, clock);
  const auto first = schedule.claim();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->claimed_ns, clock.now_ns());
  clock.advance(500 * kMs);  // the only user was busy 500 ms
  const auto second = schedule.claim();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->claimed_ns, clock.now_ns());
  EXPECT_GT(second->claimed_ns, second->intended_start_ns);
}

}  // namespace
}  // namespace llmbench::load
