#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace llmbench::mock {

enum class ApiKind : std::uint8_t {
  chat_completions,  // POST /v1/chat/completions
  completions,       // POST /v1/completions (legacy)
  ollama_chat,       // POST /api/chat
  ollama_generate,   // POST /api/generate
  anthropic_messages,  // POST /v1/messages (Anthropic Messages API; mock_provider/anthropic_wire.h)
  responses,           // POST /v1/responses (OpenAI Responses API; mock_provider/responses_wire.h)
};

constexpr bool is_ollama(ApiKind api) { return api == ApiKind::ollama_chat || api == ApiKind::ollama_generate; }

// The fields of a generation request that change what the mock sends; others are ignored.
struct GenerationRequest {
  ApiKind api = ApiKind::chat_completions;
  std::string model;
  bool stream = false;
  bool include_usage = false;                // stream_options.include_usage
  std::optional<std::uint32_t> max_tokens;   // max_completion_tokens / max_tokens / num_predict / max_output_tokens
  std::uint32_t choices = 1;                 // n (x number of prompts for legacy completions)
  std::optional<std::uint64_t> seed;         // the request's own seed
  // vLLM's output-length extensions (OpenAI routes): at least min_tokens tokens; ignore_eos
  // generates until max_tokens (or the mock's max_output_tokens), finish_reason "length".
  std::optional<std::uint32_t> min_tokens;
  bool ignore_eos = false;
  std::uint32_t prompt_tokens = 0;           // estimated: about 4 characters per token
  // With the prefix cache on (mock_provider/prefix_cache.h): the prompt's block hashes, and
  // how many of its tokens were cached when it was admitted (they skip prefill).
  std::vector<std::uint64_t> prefix_blocks;
  std::uint32_t cached_tokens = 0;
};

// A 400 answer: `message` in OpenAI's words (with param and code), `ollama_message` in
// Ollama's (lower case, no final period, e.g. "model is required") for the /api/ routes.
struct RequestProblem {
  std::string message;
  std::optional<std::string> param;
  std::optional<std::string> code;
  std::string ollama_message;
};

// Parses and checks a JSON body. Never throws. With prefix_block_tokens > 0 (the prefix cache
// is on) it also names the prompt's blocks (GenerationRequest::prefix_blocks) from the texts it
// reads anyway.
std::variant<GenerationRequest, RequestProblem> parse_generation_request(ApiKind api, std::string_view body,
                                                                        std::uint32_t prefix_block_tokens = 0);

// Prompt tokens estimated from text length (no tokenizer): ceil(chars / 4).
std::uint32_t estimate_tokens(std::size_t characters);

}  // namespace llmbench::mock
