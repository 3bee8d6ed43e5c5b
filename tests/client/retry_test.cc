#include "harness/client/retry.h"

#include <gtest/gtest.h>

namespace llmbench::harness {
namespace {

using std::chrono::milliseconds;

TEST(ParseRetryAfter, MillisecondsHeaderWinsOverSeconds) {
  EXPECT_EQ(parse_retry_after("250", "3"), milliseconds(250));
  EXPECT_EQ(parse_retry_after("", "3"), milliseconds(3000));
  EXPECT_EQ(parse_retry_after("", "1.5"), milliseconds(1500));
  EXPECT_EQ(parse_retry_after(" 40 ", ""), milliseconds(40));
}

TEST(ParseRetryAfter, GarbageDatesAndNegativesAreIgnored) {
  EXPECT_FALSE(parse_retry_after("", ""));
  EXPECT_FALSE(parse_retry_after("soon", "Wed, 21 Oct 2015 07:28:00 GMT"));
  EXPECT_FALSE(parse_retry_after("-5", "-1"));
  EXPECT_EQ(parse_retry_after("abc", "2"), milliseconds(2000));  // falls through to retry-after
}

TEST(RetryDelay, ExponentialWithJitterWithinThreeQuartersToOne) {
  RetryPolicy policy;
  policy.initial_backoff = milliseconds(100);
  policy.max_backoff = milliseconds(1000);
  for (std::uint32_t retry = 1; retry <= 6; ++retry) {
    const double full_ms = std::min(100.0 * (1u << (retry - 1)), 1000.0);
    const double slow =
        std::chrono::duration<double, std::milli>(retry_delay(policy, retry, std::nullopt, 0.0)).count();
    const double fast =
        std::chrono::duration<double, std::milli>(retry_delay(policy, retry, std::nullopt, 0.999999)).count();
    EXPECT_NEAR(slow, full_ms, 1e-6) << retry;
    EXPECT_NEAR(fast, full_ms * 0.75, 1e-3) << retry;
  }
}

TEST(RetryDelay, ServerHintReplacesBackoffUnlessTooLong) {
  RetryPolicy policy;
  policy.max_retry_after = milliseconds(5000);
  EXPECT_EQ(retry_delay(policy, 1, milliseconds(1234), 0.5), milliseconds(1234));
  const auto fallback = retry_delay(policy, 1, milliseconds(60000), 0.0);
  EXPECT_EQ(fallback, policy.initial_backoff);
}

TEST(IsRetryable, OnlyFailuresBeforeAnyBodyAndOnlyWhenEnabled) {
  RetryPolicy policy;
  EXPECT_TRUE(is_retryable(policy, ErrorKind::http_429));
  EXPECT_TRUE(is_retryable(policy, ErrorKind::http_5xx));
  EXPECT_TRUE(is_retryable(policy, ErrorKind::connect));
  for (ErrorKind kind : {ErrorKind::none, ErrorKind::timeout, ErrorKind::http_4xx, ErrorKind::stream_error,
                         ErrorKind::truncated, ErrorKind::parse, ErrorKind::cancelled}) {
    EXPECT_FALSE(is_retryable(policy, kind)) << error_kind_name(kind);
  }
  policy.retry_on_429 = false;
  EXPECT_FALSE(is_retryable(policy, ErrorKind::http_429));
}

}  // namespace
}  // namespace llmbench::harness
