#include "reports/mann_whitney.h"

#include <gtest/gtest.h>

namespace llmbench::reports {
namespace {

TEST(MannWhitneyTest, ExactPValueOfCompletelySeparatedSmallSamples) {
  // U = 0: only 1 of C(6,3) = 20 orderings is this extreme in each direction.
  const auto r = mann_whitney_u({1, 2, 3}, {4, 5, 6});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->exact);
  EXPECT_EQ(r->u, 0.0);
  EXPECT_DOUBLE_EQ(r->p_value, 2.0 / 20.0);
  const auto eight = mann_whitney_u({1, 2, 3, 4, 5, 6, 7, 8}, {9, 10, 11, 12, 13, 14, 15, 16});
  ASSERT_TRUE(eight);
  EXPECT_DOUBLE_EQ(eight->p_value, 2.0 / 12870.0);  // C(16, 8) = 12870
}

TEST(MannWhitneyTest, SymmetricAndOneForInterleavedSamples) {
  const auto ab = mann_whitney_u({1, 4, 5, 8}, {2, 3, 6, 7});
  const auto ba = mann_whitney_u({2, 3, 6, 7}, {1, 4, 5, 8});
  ASSERT_TRUE(ab && ba);
  EXPECT_DOUBLE_EQ(ab->p_value, ba->p_value);
  EXPECT_EQ(ab->u + ba->u, 16.0);
  EXPECT_DOUBLE_EQ(ab->p_value, 1.0);  // U = 8 is the centre of the distribution
}

TEST(MannWhitneyTest, NormalApproximationForLargeOrTiedSamples) {
  std::vector<double> low, high, mixed_a, mixed_b;
  for (int i = 0; i < 20; ++i) {
    low.push_back(i);
    high.push_back(i + 100.5);
    (i % 2 ? mixed_a : mixed_b).push_back(i);
  }
  const auto separated = mann_whitney_u(low, high);
  ASSERT_TRUE(separated);
  EXPECT_FALSE(separated->exact);
  EXPECT_LT(separated->p_value, 1e-6);
  const auto mixed = mann_whitney_u(mixed_a, mixed_b);
  ASSERT_TRUE(mixed);
  EXPECT_GT(mixed->p_value, 0.5);
  const auto tied = mann_whitney_u({5, 5, 5}, {5, 5, 5});
  ASSERT_TRUE(tied);
  EXPECT_EQ(tied->p_value, 1.0);
}

TEST(MannWhitneyTest, NeedsTwoValuesOnEachSide) {
  EXPECT_FALSE(mann_whitney_u({1}, {2, 3}));
  EXPECT_FALSE(mann_whitney_u({1, 2}, {}));
}

}  // namespace
}  // namespace llmbench::reports
