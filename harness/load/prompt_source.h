#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/token_estimate.h"
#include "common/tokenizer/tokenizer.h"
#include "harness/client/chat_request.h"
#include "harness/load/dataset_selection.h"
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
  // How many prompts a file source cycles through (request i gets prompt i mod this); nullopt
  // for a generator, whose every index gives a new prompt (`llmbench dataset`).
  virtual std::optional<std::uint64_t> cycle_length() const { return std::nullopt; }
  // Multi-turn sessions (harness/load/session.h): the new message(s) of turn `turn` (0-based)
  // of session `session`, which the driver appends to the history. Turn 0 is
  // request_for(session), so one-turn sessions send what plain requests send; a later turn is
  // another index, a function of both (the same in every mode and sharding).
  virtual harness::ChatRequest turn_for(std::uint64_t session, std::uint32_t turn) const {
    return request_for(turn == 0 ? session : session ^ ((std::uint64_t{turn} * 0x9e3779b97f4a7c15ULL) | (1ULL << 63)));
  }
};
using PromptSourcePtr = std::unique_ptr<PromptSource>;

// Synthetic prompts: words from a fixed vocabulary, about one token each, with a length drawn
// per index from `prompt_tokens` (seeded: the same seed and index give the same prompt).
// With a tokenizer (prompts.tokenizer), the words are random tokens of that tokenizer and each
// prompt encodes to exactly the drawn length (harness/load/exact_length_prompt.h); the system
// prompt is counted with it too.
struct SyntheticPromptOptions {
  LengthDistribution prompt_tokens;
  std::uint64_t seed = 1;
  std::string system_prompt;  // empty: no system message
  tokenizer::TokenizerPtr tokenizer;
  // Shared prefixes (prefix-cache workloads): `prefix_share` of the requests start with one of
  // `prefixes` documents of `prefix_tokens` tokens (picked uniformly, seeded), then a blank
  // line, then their own text of the drawn length. 0 tokens: none.
  std::uint32_t prefix_tokens = 0;
  std::uint32_t prefixes = 1;
  double prefix_share = 1.0;
};
PromptSourcePtr make_synthetic_prompts(const SyntheticPromptOptions& options);

// A JSONL file, one request per line, used round-robin by index:
//   {"prompt": "text"}                                      → one user message
//   {"messages": [{"role": "user", "content": "text"}, ...]}
// A line may also carry its own request fields, which override the scenario's: max_tokens (alias
// output_tokens), min_tokens, ignore_eos, temperature, top_p, seed, extra_body (an object).
// Blank lines are skipped. Throws llmbench::InputError "file:line: field: problem" for an
// unreadable file, bad JSON, missing/ill-typed fields, or a file with no prompts (none left
// after the filters). With a tokenizer, each prompt's tokens are counted with it instead of
// estimated. `selection` filters by prompt length and by the line's max_tokens (a line without
// one passes max_output_tokens), then samples, as for a ShareGPT dataset (dataset_selection.h);
// the file is read a line at a time and only the lines within the filters are kept.
PromptSourcePtr load_jsonl_prompts(const std::filesystem::path& path, tokenizer::TokenizerPtr tokenizer = nullptr,
                                   const DatasetSelection& selection = {}, DatasetSummary* summary = nullptr);

// Rough token estimate (whitespace-separated words) for servers that report no usage; shared
// with the client's output-token estimate (common/token_estimate.h).
using llmbench::estimate_tokens;

}  // namespace llmbench::load
