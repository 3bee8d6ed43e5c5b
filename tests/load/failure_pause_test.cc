// failure_pause: what a closed-loop user waits after a failed request (issue 12 item 11).
#include "harness/load/failure_pause.h"

#include <gtest/gtest.h>

namespace llmbench::load {
namespace {

using namespace std::chrono_literals;

harness::RequestRecord failed(harness::ErrorKind kind, std::int64_t retry_after_ms = -1) {
  harness::RequestRecord r;
  r.error = kind;
  r.retry_after_ms = retry_after_ms;
  return r;
}

TEST(FailurePause, HonoursTheServersRetryAfterEvenWithoutRetries) {
  const harness::RetryPolicy none;  // max_retries 0
  EXPECT_EQ(failure_pause(none, failed(harness::ErrorKind::http_429, 1000), 1, 0.5), 1000ms);
  harness::RetryPolicy capped;
  capped.max_retry_after = 250ms;
  EXPECT_EQ(failure_pause(capped, failed(harness::ErrorKind::http_429, 1000), 1, 0.5), 250ms);
}

TEST(FailurePause, BacksOffOnlyWhenRetriesAreConfigured) {
  const harness::RetryPolicy none;
  EXPECT_EQ(failure_pause(none, failed(harness::ErrorKind::http_429), 3, 0.0), 0ns);
  harness::RetryPolicy retries;
  retries.max_retries = 2;
  retries.initial_backoff = 100ms;
  retries.max_backoff = 1s;
  EXPECT_EQ(failure_pause(retries, failed(harness::ErrorKind::http_429), 1, 0.0), 100ms);
  EXPECT_EQ(failure_pause(retries, failed(harness::ErrorKind::http_5xx), 3, 0.0), 400ms);
  // Not retryable kinds (a 4xx, a timeout) and successes never pause.
  EXPECT_EQ(failure_pause(retries, failed(harness::ErrorKind::http_4xx), 1, 0.0), 0ns);
  EXPECT_EQ(failure_pause(retries, harness::RequestRecord{}, 1, 0.0), 0ns);
}

TEST(FailurePacer, CountsConsecutiveFailuresAndResetsOnSuccess) {
  harness::RetryPolicy retries;
  retries.max_retries = 1;
  retries.initial_backoff = 100ms;
  retries.max_backoff = 10s;
  FailurePacer pacer(0);
  const auto first = pacer.after(retries, failed(harness::ErrorKind::http_429));
  const auto second = pacer.after(retries, failed(harness::ErrorKind::http_429));
  EXPECT_GE(first, 75ms);
  EXPECT_LE(first, 100ms);
  EXPECT_GE(second, 150ms);  // doubled
  EXPECT_EQ(pacer.after(retries, harness::RequestRecord{}), 0ns);
  EXPECT_LE(pacer.after(retries, failed(harness::ErrorKind::http_429)), 100ms);  // back to the first
}

}  // namespace
}  // namespace llmbench::load
