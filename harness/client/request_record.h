#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/client/error_kind.h"

namespace llmbench::harness {

// What the harness knows about one logical request (including its retries), as measured
// by the client. All times are steady-clock nanoseconds (common/clock.h); 0 means "did
// not happen" (e.g. first_token_ns of a request that failed before any token).
//
// Latencies are derived from these stamps by the metrics layer, never stored twice:
//   queue wait      = start_ns - intended_start_ns      (client-side wait for a free slot)
//   ttft            = first_token_ns - start_ns         (uncorrected)
//   ttft corrected  = first_token_ns - intended_start_ns (coordinated-omission corrected)
//   e2e             = end_ns - start_ns, e2e corrected = end_ns - intended_start_ns
//   ttfo            = first_output_ns - start_ns        (time to first output = answer token)
//   itl             = gaps between consecutive token_ns (reasoning and answer chunks alike)
struct RequestRecord {
  std::uint64_t index = 0;             // position in the batch or schedule
  std::int64_t intended_start_ns = 0;  // when the load model wanted it sent (== start_ns in closed loop)
  std::int64_t start_ns = 0;           // when the client started the first attempt
  std::int64_t headers_ns = 0;         // response headers of the final attempt received
  std::int64_t first_token_ns = 0;     // first non-empty delta of any kind (reasoning or answer)
                                       // received (an empty completion: when it was complete,
                                       // see transfer.cc)
  // First non-empty answer (content) delta; == first_token_ns without reasoning. 0 when a reply
  // had reasoning but no answer.
  std::int64_t first_output_ns = 0;
  std::int64_t end_ns = 0;             // response complete, or the failure detected
  // Arrival of every token-bearing chunk (SSE event / NDJSON line; reasoning or answer) of the
  // final attempt.
  // A non-streaming response has one entry (== first_token_ns == end of body).
  std::vector<std::int64_t> token_ns;

  std::uint32_t prompt_tokens = 0;  // from usage, else the request source's estimate
  // From usage when usage_reported; else estimated: a stream's content chunks counted, a whole
  // reply's text by common/token_estimate.h (StepMetrics counts such requests).
  std::uint32_t output_tokens = 0;
  bool usage_reported = false;  // the server sent a usage object / Ollama eval_count
  // No usage, but the output counted with the configured tokenizer (Endpoint::tokenizer):
  // exact for the text received, not an estimate.
  bool tokens_counted = false;
  // The part of output_tokens spent reasoning: usage.completion_tokens_details.reasoning_tokens
  // when reported, else the reasoning chunks counted (a whole reply: its reasoning text estimated).
  std::uint32_t reasoning_tokens = 0;
  int http_status = 0;              // status of the final attempt; 0 if no response
  ErrorKind error = ErrorKind::none;
  std::string error_message;       // short, never contains API keys or request bodies
  std::uint16_t retries = 0;       // attempts beyond the first
  bool connection_reused = false;  // the final attempt reused a kept-alive connection
  std::string finish_reason;       // "stop", "length", ... as the server said
  // The final attempt's Server-Timing header ("queue;dur=81.2, service;dur=40"), when the
  // server sent one: its own queue and service times, in ns; -1 when absent.
  std::int64_t server_queue_ns = -1;
  std::int64_t server_service_ns = -1;
  // The final attempt's retry-after-ms / retry-after hint, in ms; -1 when absent.
  std::int64_t retry_after_ms = -1;
  std::uint16_t rejected_attempts = 0;  // attempts answered 429 (retried or final)
  // Output length control (docs/metrics.md "Requested vs received output length"): the
  // request's max_tokens (0: none; received = output_tokens), and whether a successful reply
  // stopped before the length it insisted on (ignore_eos: max_tokens; else min_tokens).
  std::uint32_t requested_output_tokens = 0;
  bool stopped_early = false;

  bool ok() const noexcept { return error == ErrorKind::none; }
};

}  // namespace llmbench::harness
