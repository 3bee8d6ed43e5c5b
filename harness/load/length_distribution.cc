#include "harness/load/length_distribution.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace llmbench::load {

std::uint32_t LengthDistribution::sample(std::mt19937_64& rng) const {
  double value = mean;
  switch (kind) {
    case Kind::fixed:
      break;
    case Kind::uniform:
      return std::uniform_int_distribution<std::uint32_t>(min, max)(rng);
    case Kind::normal:
      value = std::normal_distribution<double>(mean, stddev)(rng);
      break;
    case Kind::lognormal: {
      // Parameterised by the mean and stddev of the lengths themselves, not of their log.
      const double variance = stddev * stddev;
      const double sigma2 = std::log1p(variance / (mean * mean));
      const double mu = std::log(mean) - sigma2 / 2;
      value = std::lognormal_distribution<double>(mu, std::sqrt(sigma2))(rng);
      break;
    }
    case Kind::exponential:
      value = std::exponential_distribution<double>(1.0 / mean)(rng);
      break;
  }
  const double clamped = std::clamp(std::round(value), static_cast<double>(min), static_cast<double>(max));
  return static_cast<std::uint32_t>(clamped);
}

LengthDistribution::Kind length_kind_from_name(std::string_view name) {
  if (const auto kind = from_name<LengthDistribution::Kind>(name)) return *kind;
  throw std::invalid_argument("unknown distribution '" + std::string(name) +
                              "' (expected fixed, uniform, normal, lognormal or exponential)");
}

void validate_length_distribution(const LengthDistribution& d) {
  if (d.min == 0) throw std::invalid_argument("min: must be at least 1 token");
  if (d.min > d.max) throw std::invalid_argument("min: must not exceed max");
  if (d.kind != LengthDistribution::Kind::uniform && !(d.mean >= 1)) {
    throw std::invalid_argument("mean: must be at least 1 token");
  }
  if (d.stddev < 0 || !std::isfinite(d.stddev)) throw std::invalid_argument("stddev: must not be negative");
}

}  // namespace llmbench::load
