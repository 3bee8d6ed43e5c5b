#include "harness/load/dataset_selection.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace llmbench::load {

bool within_length_filters(std::uint32_t prompt_tokens, std::uint32_t output_tokens, const DatasetSelection& s) {
  return prompt_tokens >= s.min_prompt_tokens && (s.max_prompt_tokens == 0 || prompt_tokens <= s.max_prompt_tokens) &&
         (s.max_output_tokens == 0 || output_tokens <= s.max_output_tokens);
}

std::vector<std::size_t> sample_positions(std::size_t count, const DatasetSelection& selection) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  if (!selection.sample || count == 0) return order;
  std::mt19937_64 rng(selection.seed);
  if (selection.replacement) {
    std::uniform_int_distribution<std::size_t> pick(0, count - 1);
    std::vector<std::size_t> drawn;
    drawn.reserve(*selection.sample);
    for (std::uint64_t i = 0; i < *selection.sample; ++i) drawn.push_back(pick(rng));
    return drawn;
  }
  // A seeded shuffle's prefix: a uniform sample without replacement, in a random order.
  std::shuffle(order.begin(), order.end(), rng);
  order.resize(std::min<std::size_t>(order.size(), *selection.sample));
  return order;
}

}  // namespace llmbench::load
