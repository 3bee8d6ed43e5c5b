#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "common/enum_names.h"

namespace llmbench::load {

// A distribution of token counts (prompt lengths), sampled from a caller's PRNG and clamped
// to [min, max]. "fixed" returns mean.
struct LengthDistribution {
  enum class Kind : std::uint8_t { fixed, uniform, normal, lognormal, exponential };
  Kind kind = Kind::fixed;
  double mean = 128;
  double stddev = 0;             // normal, lognormal
  std::uint32_t min = 1;         // also the lower bound of uniform
  std::uint32_t max = 1u << 20;  // also the upper bound of uniform

  std::uint32_t sample(std::mt19937_64& rng) const;
};

constexpr auto enum_names(LengthDistribution::Kind) {
  using enum LengthDistribution::Kind;
  return std::to_array<EnumName<LengthDistribution::Kind>>(
      {{fixed, "fixed"}, {uniform, "uniform"}, {normal, "normal"}, {lognormal, "lognormal"},
       {exponential, "exponential"}});
}
constexpr std::string_view length_kind_name(LengthDistribution::Kind kind) noexcept { return to_name(kind); }
// Throws std::invalid_argument listing the accepted names.
LengthDistribution::Kind length_kind_from_name(std::string_view name);
// Throws std::invalid_argument naming the field for impossible parameters (min > max, ...).
void validate_length_distribution(const LengthDistribution& d);

}  // namespace llmbench::load
