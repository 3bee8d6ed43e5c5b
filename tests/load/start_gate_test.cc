// --start-at (harness/load/start_gate.h) on a fake steady clock and a fake wall clock.
#include "harness/load/start_gate.h"

#include <gtest/gtest.h>

#include "common/interrupt.h"
#include "tests/load/fake_time_source.h"

namespace llmbench::load {
namespace {

using namespace std::chrono_literals;
constexpr std::int64_t kWall0 = 1'767'323'045'000'000'000;  // 2026-01-02T03:04:05Z

TEST(StartGateTest, WaitsOnTheSteadyClockUntilThePlannedInstant) {
  FakeTimeSource steady(5'000);
  // The wall clock follows the steady clock, but steps back 10 s during the wait (an NTP
  // correction): the deadline was converted once, so the wait still ends at +2 s steady.
  std::int64_t reads = 0;
  auto wall = [&] { return kWall0 + (steady.now_ns() - 5'000) - (reads++ > 0 ? 10'000'000'000 : 0); };
  const StartOutcome out = wait_for_start(StartAt{kWall0 + 2'000'000'000, 1s}, steady, wall);
  EXPECT_EQ(out.result, StartOutcome::Result::started);
  EXPECT_EQ(out.late_ns, -2'000'000'000);
  EXPECT_EQ(steady.now_ns(), 5'000 + 2'000'000'000);
}

TEST(StartGateTest, LateWithinMaxLateStartsAtOnceBeyondItRefuses) {
  FakeTimeSource steady;
  const std::int64_t before = steady.now_ns();
  const StartOutcome ok = wait_for_start(StartAt{kWall0 - 900'000'000, 1s}, steady, [] { return kWall0; });
  EXPECT_EQ(ok.result, StartOutcome::Result::started);
  EXPECT_EQ(ok.late_ns, 900'000'000);
  EXPECT_EQ(steady.now_ns(), before);  // no wait
  const StartOutcome late = wait_for_start(StartAt{kWall0 - 1'100'000'000, 1s}, steady, [] { return kWall0; });
  EXPECT_EQ(late.result, StartOutcome::Result::too_late);
  EXPECT_EQ(late.late_ns, 1'100'000'000);
}

TEST(StartGateTest, CtrlCEndsTheWait) {
  reset_interrupt_for_testing();
  request_interrupt();
  FakeTimeSource steady;
  const StartOutcome out = wait_for_start(StartAt{kWall0 + 60'000'000'000, 1s}, steady, [] { return kWall0; });
  EXPECT_EQ(out.result, StartOutcome::Result::interrupted);
  reset_interrupt_for_testing();
}

}  // namespace
}  // namespace llmbench::load
