#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "common/token_estimate.h"
#include "harness/client/chat_request.h"
#include "harness/load/length_distribution.h"

namespace llmbench::load {

// Produces the request for each slot. A pure function of the slot index, so what request i
// gets does not depend on concurrency, mode or which worker asks. Thread-safe.
class PromptSource {
 public:
  virtual ~PromptSource() = default;
  virtual harness::ChatRequest request_for(std::uint64_t index) const = 0;
  // For the report: "synthetic" or the JSONL path, and how many distinct prompts exist.
  virtual std::string description() const = 0;
};
using PromptSourcePtr = std::unique_ptr<PromptSource>;

// Synthetic prompts: words from a fixed vocabulary, about one token each, with a length drawn
// per index from `prompt_tokens` (seeded: the same seed and index give the same prompt).
struct SyntheticPromptOptions {
  LengthDistribution prompt_tokens;
  std::uint64_t seed = 1;
  std::string system_prompt;  // empty: no system message
};
PromptSourcePtr make_synthetic_prompts(const SyntheticPromptOptions& options);

// A JSONL file, one request per line, used round-robin by index:
//   {"prompt": "text"}                                      → one user message
//   {"messages": [{"role": "user", "content": "text"}, ...]}
// A line may also carry its own request fields, which override the scenario's: max_tokens (alias
// output_tokens), min_tokens, ignore_eos, temperature, top_p, seed, extra_body (an object).
// Blank lines are skipped. Throws llmbench::InputError "file:line: field: problem" for an
// unreadable file, bad JSON, missing/ill-typed fields, or a file with no prompts.
PromptSourcePtr load_jsonl_prompts(const std::filesystem::path& path);

// Rough token estimate (whitespace-separated words) for servers that report no usage; shared
// with the client's output-token estimate (common/token_estimate.h).
using llmbench::estimate_tokens;

}  // namespace llmbench::load
