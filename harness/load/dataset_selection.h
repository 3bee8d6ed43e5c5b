#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace llmbench::load {

// Which records of a prompt file a run uses (prompts.sample, replacement, min_prompt_tokens,
// max_prompt_tokens, max_output_tokens), applied in this order: the length filters (0 = none),
// then `sample` records drawn with a seeded PRNG, with or without replacement (without: at most
// all; no sample: every record in file order). One implementation for every file source
// (ShareGPT datasets and JSONL prompt files), so the same keys mean the same selection.
struct DatasetSelection {
  std::uint32_t min_prompt_tokens = 0;
  std::uint32_t max_prompt_tokens = 0;
  std::uint32_t max_output_tokens = 0;
  std::optional<std::uint64_t> sample;
  bool replacement = false;
  std::uint64_t seed = 1;
  bool later_turns = false;  // keep each conversation's later turns (a scenario runs sessions)
  // Anything besides "every record, in file order".
  bool active() const { return min_prompt_tokens > 0 || max_prompt_tokens > 0 || max_output_tokens > 0 || sample.has_value(); }
  friend bool operator==(const DatasetSelection&, const DatasetSelection&) = default;
};

struct DatasetSummary {
  std::uint64_t records = 0;   // conversations (or prompt lines) read
  std::uint64_t usable = 0;    // with a prompt (and, for conversations, a reply)
  std::uint64_t filtered = 0;  // usable and within the length filters
  std::uint64_t selected = 0;  // what the run cycles through
};

// The length filters. An output length of 0 (a prompt line without max_tokens: unknown) passes
// max_output_tokens.
bool within_length_filters(std::uint32_t prompt_tokens, std::uint32_t output_tokens, const DatasetSelection& selection);

// The positions in `count` filtered records that the run uses, in the order it uses them: all in
// order without `sample`; else `sample` positions drawn with `seed`, repeating with replacement,
// else a seeded shuffle's first `sample` (a uniform sample without replacement, in random order).
std::vector<std::size_t> sample_positions(std::size_t count, const DatasetSelection& selection);

// `kept` reduced to the sampled records (moved when each is used once).
template <typename T>
std::vector<T> select_records(std::vector<T> kept, const DatasetSelection& selection) {
  if (!selection.sample) return kept;
  std::vector<T> selected;
  const std::vector<std::size_t> positions = sample_positions(kept.size(), selection);
  selected.reserve(positions.size());
  for (const std::size_t i : positions) {
    if (selection.replacement) {
      selected.push_back(kept[i]);
    } else {
      selected.push_back(std::move(kept[i]));
    }
  }
  return selected;
}

}  // namespace llmbench::load
