#pragma once

#include <cstdint>
#include <random>

#include "harness/load/prompt_rng.h"

#include "common/distribution.h"

namespace llmbench::load {

// Token counts (prompt lengths): a Distribution of counts, sampled from a caller's PRNG,
// rounded and clamped to [min, max]. uniform(LO,HI) draws whole numbers in [LO, HI].
struct LengthDistribution {
  Distribution shape = Distribution::fixed(128);
  std::uint32_t min = 1;
  std::uint32_t max = 1u << 20;

  std::uint32_t sample(PromptRng& rng) const;
};

// Throws config::Invalid naming the key ("min", "mean", ...) for impossible parameters.
void validate_length_distribution(const LengthDistribution& d);

}  // namespace llmbench::load
