#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/tokenizer/tokenizer.h"

namespace llmbench::harness {

enum class ApiFlavor : std::uint8_t {
  openai_chat,  // POST {base}/v1/chat/completions, SSE when streaming
  ollama_chat,  // POST {base}/api/chat, NDJSON when streaming
  openai_completions,  // POST {base}/v1/completions (legacy: prompt, choices[].text), SSE
  anthropic_messages,  // POST {base}/v1/messages, SSE with named events (harness/client/anthropic_wire.h)
  openai_responses,    // POST {base}/v1/responses, SSE with named events (harness/client/responses_wire.h)
};

struct Timeouts {
  std::chrono::milliseconds connect{10'000};
  std::chrono::milliseconds first_token{60'000};  // from start to first content token
  std::chrono::milliseconds total{600'000};       // whole request, per attempt
};

// Exponential backoff with jitter (full jitter in [0.75, 1] of the delay, as the OpenAI SDKs do);
// a retry-after-ms / retry-after header, when present and <= max_retry_after, replaces the delay.
struct RetryPolicy {
  std::uint32_t max_retries = 0;  // 0: no retries (benchmarks usually want failures visible)
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{8'000};
  std::chrono::milliseconds max_retry_after{60'000};
  bool retry_on_429 = true;
  bool retry_on_5xx = true;
  bool retry_on_connect = true;
};

// Where and how to send requests. The API key itself is never stored here: only the name of
// the environment variable that holds it, read when the client is built, so a report that
// serialises an Endpoint cannot leak it.
struct Endpoint {
  std::string base_url = "http://127.0.0.1:8000";  // without the /v1 suffix
  std::string model = "mock-model";
  ApiFlavor flavor = ApiFlavor::openai_chat;
  std::string api_key_env;  // e.g. "OPENAI_API_KEY"; empty: no Authorization header
  std::vector<std::pair<std::string, std::string>> headers;  // sent with every request
  bool include_usage = true;                                 // stream_options.include_usage on OpenAI streams
  bool verify_tls = true;  // peer certificate and host name, as curl does by default
  std::string ca_file;     // PEM bundle that replaces the system CA store; empty: system store
  Timeouts timeouts;
  RetryPolicy retry;
  // The model's tokenizer (prompts.tokenizer): a reply without usage is counted with it,
  // exactly for its text, instead of estimated from its words. Null: the estimate.
  tokenizer::TokenizerPtr tokenizer;
};

}  // namespace llmbench::harness
