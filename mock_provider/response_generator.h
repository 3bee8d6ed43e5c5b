#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mock_provider/fault_kind.h"
#include "mock_provider/provider.h"
#include "mock_provider/request_parser.h"
#include "mock_provider/request_rng.h"
#include "mock_provider/responses_wire.h"

namespace llmbench::mock {

class ProviderState;

// Everything decided about a request before its body starts.
struct ResponsePlan {
  GenerationRequest request;
  std::uint64_t sequence = 0;               // ids: chatcmpl-mock<sequence>
  std::uint32_t output_tokens = 1;          // per choice, after max_tokens
  std::uint32_t reasoning_tokens = 0;       // per choice, streamed before the answer's tokens
  bool stopped_by_max_tokens = false;       // finish_reason "length"
  std::optional<FaultKind> fault;           // only stream_error, drop, trickle reach the generator
  std::optional<std::int64_t> ttft_ns;      // x-mock-ttft-ms override (before prefill and slowdown)
  std::optional<std::int64_t> itl_ns;       // x-mock-itl-ms override
  std::int64_t arrival_ns = 0;
  std::int64_t created_unix_s = 0;
};

// Produces the timed body of one generation response, lazily: each token's delay and text
// are drawn from the request's PRNG stream when its piece is asked for, so a 100k-token
// plan costs no memory and the load slowdown reads the running count at each step.
// The draw order (TTFT, then per step: ITL, then one word per choice) is the same for the
// streamed and the non-streamed form, so both carry the same content.
class ResponseGenerator {
 public:
  ResponseGenerator(ResponsePlan plan, RequestRng rng, std::shared_ptr<ProviderState> state);
  ~ResponseGenerator();

  void begin(std::int64_t now_ns);
  std::int64_t arrival_ns() const { return plan_.arrival_ns; }
  // Fills `piece` (whose bytes are empty) with the next piece.
  void next_piece(BodyPiece& piece);

 private:
  std::int64_t next_delay_ns();
  void draw_words();
  void next_stream_piece(BodyPiece& piece);
  void whole_body(BodyPiece& piece);
  void append_stream_tokens(std::string& out);
  void append_stream_end(std::string& out);
  void append_stream_error(std::string& out);
  void append_ollama_final(std::string& out, std::string_view text) const;
  void append_anthropic_tokens(std::string& out);
  void append_responses_tokens(std::string& out);
  responses::ResponseIds responses_ids() const;
  responses::Outcome responses_outcome() const;
  std::string non_stream_body() const;
  void record_finish(std::int64_t end_ns);
  std::uint32_t tokens_before_cut() const;
  std::uint32_t total_steps() const { return plan_.reasoning_tokens + plan_.output_tokens; }
  bool reasoning_step() const { return step_ < plan_.reasoning_tokens; }
  const char* reasoning_key() const;

  ResponsePlan plan_;
  RequestRng rng_;
  std::shared_ptr<ProviderState> state_;
  std::string quoted_model_;  // JSON-escaped, with quotes
  std::string chunk_prefix_;  // OpenAI: `data: {"id":...,"choices":[` ; Ollama: `{"model":...,`

  std::int64_t start_ns_ = 0;
  std::int64_t due_ns_ = 0;
  std::int64_t first_token_ns_ = 0;
  std::uint32_t step_ = 0;          // tokens per choice produced so far
  std::vector<const char*> words_;  // this step's word per choice
  std::vector<std::string> texts_;  // non-streaming: the whole text per choice
  std::vector<std::string> reasoning_texts_;  // non-streaming: the reasoning text per choice
                                              // (and a streamed Responses reply, whose end repeats it)
  std::optional<responses::StreamWriter> responses_;  // a streamed Responses reply's event numbering
  bool done_ = false;
};

}  // namespace llmbench::mock
