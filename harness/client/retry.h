#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "harness/client/endpoint.h"
#include "harness/client/error_kind.h"

namespace llmbench::harness {

// The server's hint from `retry-after-ms` (milliseconds, preferred, as the OpenAI SDKs do) or
// `retry-after` (delay-seconds; an HTTP date is not honoured). Empty views mean "absent".
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view retry_after_ms,
                                                           std::string_view retry_after);

// Whether a failed attempt may be retried under `policy`. Only failures before any response
// body are retryable (429, 5xx, connect), as in the OpenAI SDKs: a stream that failed midway
// is never re-sent, and neither are timeouts, 4xx, parse errors or cancellations.
bool is_retryable(const RetryPolicy& policy, ErrorKind kind) noexcept;

// The delay before retry number `retry` (1 = the first retry): the server's hint when present
// and <= max_retry_after, else min(max_backoff, initial_backoff * 2^(retry-1)) scaled by a
// jitter factor in [0.75, 1] taken from `jitter_unit` in [0, 1).
std::chrono::nanoseconds retry_delay(const RetryPolicy& policy, std::uint32_t retry,
                                     std::optional<std::chrono::milliseconds> server_hint,
                                     double jitter_unit) noexcept;

}  // namespace llmbench::harness
