#pragma once

#include <chrono>
#include <cstdint>

#include "harness/client/endpoint.h"
#include "harness/client/request_record.h"

namespace llmbench::load {

// How long a closed-loop user waits after a request before it sends its next one, so that a
// server that turns requests away is not hammered by a spin loop and the error rate measures
// the server (docs/metrics.md). After a failure: the server's retry-after-ms / retry-after hint
// (at most policy.max_retry_after), else, when retries are configured and the failure is of a
// retryable kind, the policy's backoff for `consecutive_failures` (1 = the first) with
// `jitter_unit` in [0, 1). Zero after a success, and for failures without hint or policy.
std::chrono::nanoseconds failure_pause(const harness::RetryPolicy& policy, const harness::RequestRecord& record,
                                       std::uint32_t consecutive_failures, double jitter_unit);

// Per user: counts consecutive failures and draws the jitter.
class FailurePacer {
 public:
  explicit FailurePacer(std::uint32_t user) : state_(0x9e3779b97f4a7c15ULL ^ (user + 1)) {}
  // The pause after `record` (see failure_pause).
  std::chrono::nanoseconds after(const harness::RetryPolicy& policy, const harness::RequestRecord& record);

 private:
  std::uint64_t state_;  // splitmix64
  std::uint32_t consecutive_failures_ = 0;
};

}  // namespace llmbench::load
