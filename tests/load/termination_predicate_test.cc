#include "harness/load/termination_predicate.h"

#include <gtest/gtest.h>

#include "common/interrupt.h"

namespace llmbench::load {
namespace {

class TerminationChainTest : public ::testing::Test {
 protected:
  void SetUp() override { reset_interrupt_for_testing(); }
  void TearDown() override { reset_interrupt_for_testing(); }
};

TEST_F(TerminationChainTest, EmptyChainProceeds) {
  TerminationChain chain;
  EXPECT_EQ(chain.evaluate({}).status, TerminationStatus::proceed);
}

TEST_F(TerminationChainTest, EachPredicateFiresAtItsThreshold) {
  TerminationChain chain;
  chain.add(make_interrupt_predicate())
      .add(make_max_errors_predicate(3))
      .add(make_duration_predicate(1000))
      .add(make_request_count_predicate(10));
  EXPECT_EQ(chain.evaluate({999, 9, 0, 2}).status, TerminationStatus::proceed);

  auto v = chain.evaluate({999, 10, 0, 0});
  EXPECT_EQ(v.status, TerminationStatus::terminate);
  EXPECT_EQ(v.reason, StopReason::requests);

  v = chain.evaluate({1000, 0, 0, 0});
  EXPECT_EQ(v.status, TerminationStatus::terminate);
  EXPECT_EQ(v.reason, StopReason::duration);

  v = chain.evaluate({0, 0, 0, 3});
  EXPECT_EQ(v.status, TerminationStatus::fail);
  EXPECT_EQ(v.reason, StopReason::max_errors);
}

TEST_F(TerminationChainTest, FirstNonProceedWinsInChainOrder) {
  TerminationChain chain;
  chain.add(make_interrupt_predicate())
      .add(make_max_errors_predicate(1))
      .add(make_request_count_predicate(1));
  // Both max-errors and request count fire: the failure comes first in the chain.
  EXPECT_EQ(chain.evaluate({0, 5, 5, 5}).reason, StopReason::max_errors);
  request_interrupt();
  const auto v = chain.evaluate({0, 5, 5, 5});
  EXPECT_EQ(v.status, TerminationStatus::terminate);
  EXPECT_EQ(v.reason, StopReason::interrupted);
}

TEST_F(TerminationChainTest, ReasonNamesAreStable) {
  EXPECT_EQ(llmbench::to_name(StopReason::max_errors), "max_errors");
  EXPECT_EQ(llmbench::to_name(StopReason::interrupted), "interrupted");
  EXPECT_EQ(llmbench::to_name(StopReason::requests), "requests");
  EXPECT_EQ(llmbench::to_name(StopReason::duration), "duration");
}

}  // namespace
}  // namespace llmbench::load
