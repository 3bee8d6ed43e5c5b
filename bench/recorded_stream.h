#pragma once

// Wire bytes for the parser benchmarks, recorded from the mock's own provider core rather
// than written by hand, so they are exactly what the harness receives from `llmbench mock`.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mock_provider/mock_config.h"
#include "mock_provider/provider.h"

namespace llmbench::bench {

// A streaming chat request as an engine hands it to the mock's core: OpenAI with
// include_usage (`ollama` false) or Ollama /api/chat. The body is a literal, so the view lives on.
inline mock::IncomingRequest streaming_request(bool ollama) {
  mock::IncomingRequest request;
  request.method = "POST";
  request.target = ollama ? "/api/chat" : "/v1/chat/completions";
  request.body =
      ollama ? R"({"model":"mock-model","messages":[{"role":"user","content":"benchmark"}],"stream":true})"
             : R"({"model":"mock-model","messages":[{"role":"user","content":"benchmark"}],"stream":true,)"
               R"("stream_options":{"include_usage":true}})";
  return request;
}

// The body of one streamed response: OpenAI SSE (`ollama` false) or Ollama NDJSON, with
// `output_tokens` content chunks, as the body pieces concatenated (no chunked framing:
// the parsers see de-chunked bytes, as libcurl hands them over).
inline std::string record_stream_body(bool ollama, std::uint32_t output_tokens) {
  using namespace std::chrono_literals;
  mock::Provider provider(mock::MockConfig::fixed_latency(0ms, 0ms, output_tokens));
  const mock::IncomingRequest request = streaming_request(ollama);
  auto exchange = provider.handle(request, 0);
  exchange->begin(0);
  std::string stream;
  for (;;) {
    const mock::BodyPiece piece = exchange->next_piece();
    stream += piece.bytes;
    if (piece.then != mock::BodyPiece::Then::more) break;
  }
  return stream;
}

// The SSE data payloads of an OpenAI stream, without the final "[DONE]": what ChunkDecoder sees.
inline std::vector<std::string> sse_payloads(std::string_view stream) {
  std::vector<std::string> payloads;
  constexpr std::string_view kPrefix = "data: ";
  std::size_t pos = 0;
  while ((pos = stream.find(kPrefix, pos)) != std::string_view::npos) {
    pos += kPrefix.size();
    const std::size_t end = stream.find('\n', pos);
    std::string_view payload = stream.substr(pos, end - pos);
    if (!payload.empty() && payload.back() == '\r') payload.remove_suffix(1);
    if (payload != "[DONE]") payloads.emplace_back(payload);
    pos = end;
  }
  return payloads;
}

// The lines of an NDJSON stream.
inline std::vector<std::string> ndjson_lines(std::string_view stream) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < stream.size()) {
    std::size_t end = stream.find('\n', pos);
    if (end == std::string_view::npos) end = stream.size();
    if (end > pos) lines.emplace_back(stream.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

}  // namespace llmbench::bench
