#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/distribution.h"
#include "mock_provider/fault_kind.h"

namespace llmbench::mock {

// Everything the mock provider does, in one value. Flags (`llmbench mock`), a TOML file
// (mock_config_file.h) and a scenario's [target.mock] table all fill this struct.
// Durations are nanoseconds; duration distributions are in nanoseconds too.
struct MockConfig {
  // --- Listening
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;  // 0: any free port (MockServer::port() tells which)
  // httplib engine: worker threads, one per open connection (keep-alive included); 0 = 256,
  // or decode_slots + max_waiting (at least 64, at most 8192) when slots are limited.
  // Ignored by asio.
  std::uint32_t threads = 0;
  // asio engine: event-loop threads, each serving its share of the connections (accepted
  // round-robin). 1 keeps every stream on one core; 0 = one per core. Ignored by httplib.
  std::uint32_t event_loops = 1;

  // --- Reproducibility: one PRNG stream per request from (seed, request sequence or the
  // request's own `seed` field).
  std::uint64_t seed = 0;

  // --- Latency model. TTFT = ttft + prefill_per_prompt_token x prompt tokens, then one
  // fresh inter-token latency per further token. Both scale with the load slowdown.
  Distribution ttft = Distribution::fixed(50e6);
  Distribution itl = Distribution::fixed(10e6);
  Distribution output_tokens = Distribution::fixed(32);
  std::chrono::nanoseconds prefill_per_prompt_token{0};
  // --- Reasoning phase (chat and Ollama chat): this many reasoning tokens stream before the
  // answer's, at the same ITL (0 = off; the draw happens only when on, so seeded replies
  // without reasoning keep their bytes). OpenAI-style replies carry them in `reasoning_field`,
  // Ollama in `thinking`; usage counts them in completion_tokens and its details.
  enum class ReasoningField : std::uint8_t { reasoning_content, reasoning };
  Distribution reasoning_tokens = Distribution::fixed(0);
  ReasoningField reasoning_field = ReasoningField::reasoning_content;

  // --- Capacity: decode_slots requests decode at once (0 = unlimited); up to max_waiting
  // more wait in FIFO order; beyond that the mock answers 429.
  std::uint32_t decode_slots = 0;
  std::uint32_t max_waiting = 1000;
  // llm-d's time-factor-under-load: latencies x (1 + (f-1)(running-1)/(slots-1)).
  // 1.0 = off; needs decode_slots >= 2.
  double load_slowdown = 1.0;
  // Prefix cache (vLLM's automatic prefix caching): blocks of prefix_block_tokens prompt tokens
  // kept, least recently used out; a request's cached leading blocks skip prefill. 0 = off.
  std::uint64_t prefix_cache_blocks = 0;
  std::uint32_t prefix_block_tokens = 16;

  // --- Rate limits per minute, token bucket refilled continuously; 0 = unlimited.
  // A request costs 1 request and (prompt tokens + planned output tokens) tokens.
  std::uint64_t rate_limit_rpm = 0;
  std::uint64_t rate_limit_tpm = 0;

  // --- Faults: probability per request for each kind (sum <= 1), drawn from the request's
  // PRNG stream. Order does not matter; one kind at most per request.
  std::vector<std::pair<FaultKind, double>> faults;
  std::chrono::nanoseconds trickle_itl{std::chrono::milliseconds(500)};
  // A stalled request is closed after this even if the client never gives up.
  std::chrono::nanoseconds stall_timeout{std::chrono::seconds(300)};

  // --- API surface
  std::vector<std::string> models = {"mock-model"};  // listed by /v1/models
  bool reject_unknown_models = false;  // true: a model not in `models` gets 404 model_not_found
  std::optional<std::string> api_key;  // set: requests need "Authorization: Bearer KEY" (401)
  std::size_t max_body_bytes = 4 * 1024 * 1024;  // larger request bodies get 413
  std::uint32_t max_output_tokens = 1'000'000;    // upper bound for any plan (and the header)
  // How long an idle keep-alive connection (or one slow to send its request) is kept.
  std::chrono::nanoseconds idle_timeout{std::chrono::seconds(60)};

  // TTFT, ITL and output length fixed; everything else default.
  static MockConfig fixed_latency(std::chrono::nanoseconds ttft, std::chrono::nanoseconds itl,
                                  std::uint32_t output_tokens) {
    MockConfig config;
    config.ttft = Distribution::fixed(static_cast<double>(ttft.count()));
    config.itl = Distribution::fixed(static_cast<double>(itl.count()));
    config.output_tokens = Distribution::fixed(output_tokens);
    return config;
  }
};

// Checks cross-field rules (load_slowdown needs slots, fault probabilities sum <= 1, ...).
// Throws config::Invalid (a std::invalid_argument) naming the key.
void validate(const MockConfig& config);

}  // namespace llmbench::mock
