#include "harness/load/failure_pause.h"

#include <algorithm>

#include "harness/client/retry.h"

namespace llmbench::load {

std::chrono::nanoseconds failure_pause(const harness::RetryPolicy& policy, const harness::RequestRecord& record,
                                       std::uint32_t consecutive_failures, double jitter_unit) {
  if (record.ok() || record.error == harness::ErrorKind::cancelled) return std::chrono::nanoseconds{0};
  if (record.retry_after_ms >= 0) {
    return std::min<std::chrono::nanoseconds>(std::chrono::milliseconds(record.retry_after_ms),
                                              policy.max_retry_after);
  }
  if (policy.max_retries > 0 && harness::is_retryable(policy, record.error)) {
    return harness::retry_delay(policy, std::max<std::uint32_t>(1, consecutive_failures), std::nullopt,
                                jitter_unit);
  }
  return std::chrono::nanoseconds{0};
}

std::chrono::nanoseconds FailurePacer::after(const harness::RetryPolicy& policy,
                                             const harness::RequestRecord& record) {
  if (record.ok()) {
    consecutive_failures_ = 0;
    return std::chrono::nanoseconds{0};
  }
  ++consecutive_failures_;
  // splitmix64: a few cycles, no shared state between users.
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  const double unit = static_cast<double>(z >> 11) * 0x1.0p-53;
  return failure_pause(policy, record, consecutive_failures_, unit);
}

}  // namespace llmbench::load
