#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/client/endpoint.h"

namespace llmbench::harness {

// What one streamed chunk (an OpenAI SSE data payload or an Ollama NDJSON line) or one whole
// non-streaming response says. String views point into the decoder's buffer and are valid
// until its next decode call.
struct DecodedChunk {
  std::string_view content;        // content delta (stream) or whole message (non-stream)
  // The reasoning ("thinking") text before the answer: OpenAI-style `reasoning_content` (vLLM,
  // DeepSeek) or `reasoning` (OpenRouter, newer vLLM) beside `content`; Ollama `message.thinking`.
  std::string_view reasoning;
  std::string_view finish_reason;  // OpenAI finish_reason / Ollama done_reason
  bool has_usage = false;          // usage object / Ollama eval counts present
  std::uint32_t prompt_tokens = 0;
  std::uint32_t completion_tokens = 0;  // all generated tokens (OpenAI: reasoning included)
  // usage.completion_tokens_details.reasoning_tokens, when the server reports it.
  std::optional<std::uint32_t> reasoning_tokens;
  bool done = false;               // Ollama "done": true (the stream's terminator)
  // The object carries a completion: OpenAI choices[0] with a "delta" (chunk) / "message"
  // (whole response) object or a "text" string (the /completions shape); Ollama a "message"
  // object or a "response" string. A 2xx JSON object without one ({"status":"ok"},
  // {"choices":[]}) is no reply; a usage-only chunk has none either.
  bool has_completion = false;
  // Prompt tokens reported apart from the output count (Anthropic's message_start); the
  // transfer keeps them for the usage that a later event (message_delta) completes.
  std::optional<std::uint32_t> input_tokens;
  bool is_error = false;           // an "error" member: mid-stream failure or error body
  std::string_view error_message;  // error.message (OpenAI) or the error string (Ollama)
};

// Decodes chunks with Boost.JSON, reusing one parser and a monotonic buffer on the hot path
// (no allocation per chunk once warmed up). Not thread-safe; one per transfer or per client.
class ChunkDecoder {
 public:
  ChunkDecoder();
  ChunkDecoder(const ChunkDecoder&) = delete;
  ChunkDecoder& operator=(const ChunkDecoder&) = delete;

  // A streamed chunk. nullopt: not JSON, or not an object.
  std::optional<DecodedChunk> decode_chunk(ApiFlavor flavor, std::string_view json);
  // A whole non-streaming response body (or an error body of any status).
  std::optional<DecodedChunk> decode_response(ApiFlavor flavor, std::string_view json);

 private:
  const boost::json::object* parse_object(std::string_view json);

  unsigned char initial_buffer_[4096];
  std::optional<boost::json::monotonic_resource> resource_;  // rebuilt per parse
  boost::json::parser parser_;
  std::optional<boost::json::value> value_;  // the last parse, in resource_; reset first
};

}  // namespace llmbench::harness
