#include "common/distribution.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "mock_provider/request_rng.h"  // header-only: the generator the mock samples with

namespace llmbench {
using mock::RequestRng;
namespace {

TEST(DistributionTest, ParsesEveryFormWithUnits) {
  EXPECT_EQ(parse_duration_distribution("50ms"), Distribution::fixed(50e6));
  EXPECT_EQ(parse_duration_distribution("1.5s"), Distribution::fixed(1.5e9));
  EXPECT_EQ(parse_duration_distribution("uniform(40ms, 60ms)"), (Distribution{Distribution::Kind::uniform, 40e6, 60e6}));
  EXPECT_EQ(parse_duration_distribution("normal(50ms,5ms)"), (Distribution{Distribution::Kind::normal, 50e6, 5e6}));
  EXPECT_EQ(parse_duration_distribution("lognormal(50ms,10ms)"),
            (Distribution{Distribution::Kind::lognormal, 50e6, 10e6}));
  EXPECT_EQ(parse_duration_distribution("exponential(2ms)"), (Distribution{Distribution::Kind::exponential, 2e6, 0}));
  EXPECT_EQ(parse_count_distribution("32"), Distribution::fixed(32));
  EXPECT_EQ(parse_count_distribution("uniform(16,64)"), (Distribution{Distribution::Kind::uniform, 16, 64}));
}

TEST(DistributionTest, FormatsBackToTheSameSpec) {
  for (const char* spec : {"50ms", "uniform(40ms,60ms)", "normal(50ms,5ms)", "lognormal(1.5s,100ms)", "exponential(2ms)"}) {
    EXPECT_EQ(format_duration_distribution(parse_duration_distribution(spec)), spec);
  }
  EXPECT_EQ(format_count_distribution(parse_count_distribution("uniform(16,64)")), "uniform(16,64)");
}

TEST(DistributionTest, RejectsBadSpecsNamingTheText) {
  for (const char* spec : {"50", "fast", "uniform(60ms,40ms)", "normal(50ms)", "gamma(1ms,2ms)", "uniform(1ms,2ms",
                           "exponential(1ms,2ms)", "-5ms"}) {
    try {
      parse_duration_distribution(spec);
      ADD_FAILURE() << spec << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(spec), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(parse_count_distribution("-3"), std::invalid_argument);
  EXPECT_THROW(parse_count_distribution("uniform(a,b)"), std::invalid_argument);
}

TEST(DistributionTest, SameSeedAndKeySameDraws) {
  const Distribution d = parse_duration_distribution("lognormal(50ms,20ms)");
  RequestRng a(42, 7), b(42, 7), c(42, 8), e(43, 7);
  for (int i = 0; i < 100; ++i) {
    const double x = d.sample(a);
    EXPECT_EQ(x, d.sample(b));
    if (i == 0) {
      EXPECT_NE(x, d.sample(c));
      EXPECT_NE(x, d.sample(e));
    }
  }
}

TEST(DistributionTest, SamplesStayInRangeWithTheRightMean) {
  RequestRng rng(1, 1);
  const Distribution uniform{Distribution::Kind::uniform, 40, 60};
  const Distribution normal{Distribution::Kind::normal, 100, 50};
  const Distribution exponential{Distribution::Kind::exponential, 10, 0};
  const Distribution lognormal{Distribution::Kind::lognormal, 10, 5};
  double sums[4] = {};
  constexpr int kN = 20000;
  for (int i = 0; i < kN; ++i) {
    const double u = uniform.sample(rng);
    ASSERT_GE(u, 40);
    ASSERT_LE(u, 60);
    const double n = normal.sample(rng);
    ASSERT_GE(n, 30);  // clamped to [0.3, 1.7] x mean
    ASSERT_LE(n, 170);
    const double x = exponential.sample(rng);
    ASSERT_GE(x, 0);
    const double l = lognormal.sample(rng);
    ASSERT_GT(l, 0);
    sums[0] += u, sums[1] += n, sums[2] += x, sums[3] += l;
  }
  EXPECT_NEAR(sums[0] / kN, 50, 0.5);
  EXPECT_NEAR(sums[1] / kN, 100, 2);
  EXPECT_NEAR(sums[2] / kN, 10, 0.5);
  EXPECT_NEAR(sums[3] / kN, 10, 0.5);
  EXPECT_EQ(Distribution::fixed(5).sample(rng), 5);
}

}  // namespace
}  // namespace llmbench
