#include "harness/load/arrival_process.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace llmbench::load {
namespace {

std::vector<std::int64_t> offsets(ArrivalProcess& p, int n) {
  std::vector<std::int64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(p.next_offset_ns());
  return out;
}

TEST(ArrivalProcess, ConstantIsEvenlySpacedStartingOneIntervalIn) {
  auto p = make_constant_arrivals(10);
  const auto o = offsets(*p, 5);
  EXPECT_EQ(o, (std::vector<std::int64_t>{100'000'000, 200'000'000, 300'000'000, 400'000'000, 500'000'000}));
}

TEST(ArrivalProcess, ConstantDoesNotDriftOverManyArrivals) {
  auto p = make_constant_arrivals(3);  // 333.33... ms: a running sum of rounded gaps would drift
  std::int64_t last = 0;
  for (int i = 0; i < 300'000; ++i) last = p->next_offset_ns();
  EXPECT_EQ(last, 100'000'000'000'000);  // 300,000 arrivals at 3/s: exactly 100,000 s
}

TEST(ArrivalProcess, PoissonMeanRateAndGapSpreadMatchTheTarget) {
  constexpr double kRate = 200;
  constexpr int kN = 20'000;
  auto p = make_poisson_arrivals(kRate, 42);
  std::int64_t previous = 0;
  double sum = 0;
  double sum_sq = 0;
  for (int i = 0; i < kN; ++i) {
    const std::int64_t offset = p->next_offset_ns();
    ASSERT_GE(offset, previous);
    const double gap_s = static_cast<double>(offset - previous) / 1e9;
    sum += gap_s;
    sum_sq += gap_s * gap_s;
    previous = offset;
  }
  const double mean_gap = sum / kN;
  const double stddev = std::sqrt(sum_sq / kN - mean_gap * mean_gap);
  // The standard error of the mean rate is 1/sqrt(N) = 0.7%; 3% is > 4 sigma.
  EXPECT_NEAR(1.0 / mean_gap, kRate, kRate * 0.03);
  // Exponential gaps: the coefficient of variation is 1 (a constant schedule would give 0).
  EXPECT_NEAR(stddev / mean_gap, 1.0, 0.05);
}

TEST(ArrivalProcess, PoissonIsReproducibleBySeed) {
  auto a = make_poisson_arrivals(50, 7);
  auto b = make_poisson_arrivals(50, 7);
  auto c = make_poisson_arrivals(50, 8);
  const auto oa = offsets(*a, 100);
  EXPECT_EQ(oa, offsets(*b, 100));
  EXPECT_NE(oa, offsets(*c, 100));
}

TEST(ArrivalProcess, RampRisesLinearlyThenHoldsTheFullRate) {
  // 100/s ramped over 2 s: the ramp carries 100 arrivals (area R*T/2), at t = sqrt(2 T k / R).
  auto p = make_ramped_arrivals(make_constant_arrivals(100), std::chrono::seconds(2));
  const auto o = offsets(*p, 300);
  EXPECT_NEAR(static_cast<double>(o[0]), std::sqrt(2.0 * 2e9 * 1e7), 1.0);  // k = 1
  int in_first_second = 0;
  for (auto t : o) in_first_second += t < 1'000'000'000 ? 1 : 0;
  EXPECT_EQ(in_first_second, 24);  // Λ(1 s) = R t²/(2T) = 25, the 25th lands exactly on 1 s
  // After the ramp: gaps of exactly 10 ms.
  EXPECT_EQ(o[250] - o[249], 10'000'000);
  EXPECT_EQ(o[299] - o[298], 10'000'000);
}

TEST(ArrivalProcess, RejectsNonPositiveRates) {
  EXPECT_THROW(make_constant_arrivals(0), std::invalid_argument);
  EXPECT_THROW(make_poisson_arrivals(-1, 1), std::invalid_argument);
  EXPECT_THROW(make_constant_arrivals(std::nan("")), std::invalid_argument);
}

}  // namespace
}  // namespace llmbench::load
