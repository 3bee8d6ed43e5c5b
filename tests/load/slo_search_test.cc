#include "harness/load/slo_search.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace llmbench::load {
namespace {

// Runs a search against a model of the server: attainment(value).
SloSearch::Outcome search_with(SearchSpec spec, const std::function<double(double)>& attainment) {
  SloSearch search(std::move(spec));
  int guard = 0;
  while (const auto value = search.next()) {
    search.record(*value, attainment(*value));
    if (++guard > 100) ADD_FAILURE() << "the search does not end";
  }
  return search.outcome();
}

SearchSpec concurrency(double max = 0) {
  SearchSpec s;
  s.enabled = true;
  s.parameter = "concurrency";
  s.max = max;
  return s;
}

TEST(SloSearch, FindsTheExactCapacityOfAStepFunction) {
  for (const double capacity : {1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 12.0, 33.0, 100.0, 500.0}) {
    const auto out = search_with(concurrency(), [&](double c) { return c <= capacity ? 1.0 : 0.5; });
    ASSERT_TRUE(out.answer) << capacity;
    // Whole users: the bracket narrows to one user, or to 10% of the answer for large ones.
    EXPECT_LE(*out.answer, capacity);
    ASSERT_TRUE(out.upper);
    EXPECT_GT(*out.upper, capacity);
    EXPECT_LE(*out.upper - *out.answer, std::max(1.0, std::floor(0.1 * *out.answer))) << capacity;
    EXPECT_TRUE(out.converged);
    EXPECT_LE(out.probes.size(), 16u);
  }
}

TEST(SloSearch, ExactForSmallCapacitiesWithinPrecisionForLargeOnes) {
  const auto small = search_with(concurrency(), [](double c) { return c <= 4 ? 0.99 : 0.2; });
  EXPECT_EQ(*small.answer, 4);
  EXPECT_EQ(*small.upper, 5);
  // 1, 2, 4 pass; 8 fails; then 6 and 5 fail.
  ASSERT_EQ(small.probes.size(), 6u);
  EXPECT_EQ(small.probes[3].value, 8);
  EXPECT_FALSE(small.probes[3].met);
}

TEST(SloSearch, RateSearchNarrowsToThePrecision) {
  SearchSpec s;
  s.enabled = true;
  s.parameter = "rate";
  s.min = 0.5;
  s.max = 1000;
  s.precision = 0.05;
  s.max_probes = 40;
  const double capacity = 37.3;
  const auto out = search_with(s, [&](double r) { return r <= capacity ? 1.0 : 0.0; });
  ASSERT_TRUE(out.answer && out.upper);
  EXPECT_LE(*out.answer, capacity);
  EXPECT_GT(*out.upper, capacity);
  EXPECT_LE(*out.upper - *out.answer, 0.05 * *out.answer);
  EXPECT_TRUE(out.converged);
}

TEST(SloSearch, TheTargetIsAShareOfRequests) {
  SearchSpec s = concurrency();
  s.attainment = 0.9;
  // Attainment falls linearly: 1.0 at 1 user, 0.9 at 11 users.
  const auto out = search_with(s, [](double c) { return 1.0 - (c - 1) / 100; });
  EXPECT_EQ(*out.answer, 11);
  EXPECT_EQ(*out.upper, 12);
}

TEST(SloSearch, NothingMeetsTheTarget) {
  const auto out = search_with(concurrency(), [](double) { return 0.0; });
  EXPECT_FALSE(out.answer);
  EXPECT_EQ(*out.upper, 1);
  EXPECT_EQ(out.probes.size(), 1u);
  EXPECT_TRUE(out.converged);
}

TEST(SloSearch, TheCeilingMeetsTheTarget) {
  const auto out = search_with(concurrency(20), [](double) { return 1.0; });
  EXPECT_EQ(*out.answer, 20);
  EXPECT_FALSE(out.upper);
  EXPECT_TRUE(out.converged);
  // 1 2 4 8 16 20
  EXPECT_EQ(out.probes.size(), 6u);
}

TEST(SloSearch, StopsAtMaxProbesWithTheBracketSoFar) {
  SearchSpec s = concurrency(100000);
  s.max_probes = 5;
  const auto out = search_with(s, [](double c) { return c <= 1000 ? 1.0 : 0.0; });
  EXPECT_EQ(out.probes.size(), 5u);
  EXPECT_EQ(*out.answer, 16);
  EXPECT_FALSE(out.upper);
  EXPECT_FALSE(out.converged);
}

TEST(SloSearch, ANoisyProbeNeverWidensTheBracket) {
  SloSearch search(concurrency());
  search.record(1, 1);
  search.record(2, 1);
  search.record(4, 1);
  search.record(8, 0);  // bracket [4, 8)
  search.record(6, 0);  // [4, 6)
  search.record(5, 1);  // [5, 6)
  search.record(3, 0);  // contradicts 4 and 5 passing: the lowest failure wins, [2, 3)
  const auto out = search.outcome();
  EXPECT_EQ(*out.answer, 2);
  EXPECT_EQ(*out.upper, 3);
  EXPECT_FALSE(search.next());
}

}  // namespace
}  // namespace llmbench::load
