#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "common/tokenizer/tokenizer.h"
#include "harness/load/arrival_process.h"
#include "harness/load/prompt_source.h"

namespace llmbench::load {

// A request trace in Mooncake's format (kvcache-ai/Mooncake's FAST'25 traces), one JSON object
// per line: `timestamp` (ms since the trace start), `input_length` and `output_length` (tokens),
// optional `hash_ids` (the ids of the prompt's 512-token blocks: equal ids, equal content, so
// a prefix cache sees the same sharing as in production). Replayed on the open-loop schedule:
// request k is sent at timestamp_k / speed, with a prompt of input_length tokens built from its
// blocks and max_tokens = output_length.
struct TraceEntry {
  std::int64_t timestamp_ms = 0;
  std::uint32_t input_length = 0;
  std::uint32_t output_length = 0;
  std::vector<std::uint64_t> hash_ids;
  std::uint64_t line = 0;
};
using Trace = std::shared_ptr<const std::vector<TraceEntry>>;

// Throws llmbench::InputError "file:line: field: problem" for a malformed line, timestamps
// that go backwards, or an empty trace.
Trace read_trace(const std::filesystem::path& path);

// The trace's arrivals at `speed` times real time (2 = twice as fast), as offsets from the
// step's start: the first request at its own timestamp (0 in Mooncake's traces).
ArrivalProcessPtr make_trace_arrivals(Trace trace, double speed);

// Mean arrival rate of the trace at `speed` (requests / span); the open loop's nominal rate.
double trace_rate(const std::vector<TraceEntry>& trace, double speed);

// Prompts for the trace's requests, by request index (wrapping past the end). Each hash id's
// block is the same text wherever it appears (seeded by the id); the last block is cut to what
// input_length leaves; without hash ids the prompt is one text of input_length tokens seeded by
// its index. With a tokenizer every block and prompt has its exact token count; without, a
// token is a word. `block_tokens`: 512 in Mooncake's traces.
PromptSourcePtr make_trace_prompts(Trace trace, tokenizer::TokenizerPtr tokenizer, std::uint64_t seed,
                                   std::uint32_t block_tokens = 512);

}  // namespace llmbench::load
