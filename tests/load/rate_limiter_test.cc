#include "harness/load/rate_limiter.h"

#include <gtest/gtest.h>

#include "tests/load/fake_time_source.h"

namespace llmbench::load {
namespace {

constexpr std::int64_t kMs = 1'000'000;

TEST(RateLimiter, TenHertzReleasesExactlyOneSlotPerHundredMilliseconds) {
  FakeTimeSource clock;
  RateLimiter limiter(clock, make_constant_arrivals(10), clock.now_ns());
  EXPECT_FALSE(limiter.try_acquire_one());
  clock.advance(99 * kMs);
  EXPECT_FALSE(limiter.try_acquire_one());
  clock.advance(1 * kMs);
  EXPECT_TRUE(limiter.try_acquire_one());
  EXPECT_FALSE(limiter.try_acquire_one());
  EXPECT_EQ(limiter.acquired(), 1u);
}

TEST(RateLimiter, FallingBehindReleasesTheBacklogAtOnce) {
  FakeTimeSource clock;
  RateLimiter limiter(clock, make_constant_arrivals(10), clock.now_ns());
  clock.advance(1'000 * kMs);
  int acquired = 0;
  while (limiter.try_acquire_one()) ++acquired;
  EXPECT_EQ(acquired, 10);
}

TEST(RateLimiter, TakeNextReservesFutureSlotsWithTheirIntendedStart) {
  FakeTimeSource clock;
  const std::int64_t start = clock.now_ns();
  RateLimiter limiter(clock, make_constant_arrivals(4), start);
  EXPECT_EQ(limiter.next_due_ns(), start + 250 * kMs);
  EXPECT_EQ(limiter.take_next(), start + 250 * kMs);
  EXPECT_EQ(limiter.take_next(), start + 500 * kMs);
  EXPECT_EQ(limiter.next_due_ns(), start + 750 * kMs);
  EXPECT_EQ(clock.now_ns(), start);  // reserving ahead never waits
}

}  // namespace
}  // namespace llmbench::load
