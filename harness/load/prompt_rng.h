#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>

namespace llmbench::load {

// The PRNG prompt generators draw from: one stream per key (the seed and the request index,
// or a trace block's ids), so the same key gives the same prompt in every mode and shard.
// SplitMix64 over the mixed key: seeding costs a few multiplications. The std::mt19937_64
// seeded from a std::seed_seq it replaced cost about a fifth of the client's CPU per request
// (seeding 312 words of state, then one full twist for the first draw): see
// docs/performance.md. A UniformRandomBitGenerator, so std:: distributions take it.
class PromptRng {
 public:
  using result_type = std::uint64_t;

  PromptRng(std::initializer_list<std::uint64_t> key) {
    for (const std::uint64_t k : key) state_ = mix(state_ ^ mix(k + kGolden));
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    state_ += kGolden;
    return mix(state_);
  }

 private:
  static constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
  static constexpr std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_ = 0x632BE59BD9B4E019ULL;
};

}  // namespace llmbench::load
