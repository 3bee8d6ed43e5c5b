#include "harness/load/length_distribution.h"

#include <algorithm>
#include <cmath>

#include "common/config/invalid.h"

namespace llmbench::load {

std::uint32_t LengthDistribution::sample(PromptRng& rng) const {
  const double a = shape.a, b = shape.b;
  double value = a;
  switch (shape.kind) {
    case Distribution::Kind::fixed:
      break;
    case Distribution::Kind::uniform:
      return std::clamp(std::uniform_int_distribution<std::uint32_t>(static_cast<std::uint32_t>(a),
                                                                     static_cast<std::uint32_t>(b))(rng),
                        min, max);
    case Distribution::Kind::normal:
      value = std::normal_distribution<double>(a, b)(rng);
      break;
    case Distribution::Kind::lognormal: {
      // Parameterised by the mean and stddev of the lengths themselves, not of their log.
      const double sigma2 = std::log1p(b * b / (a * a));
      value = std::lognormal_distribution<double>(std::log(a) - sigma2 / 2, std::sqrt(sigma2))(rng);
      break;
    }
    case Distribution::Kind::exponential:
      value = std::exponential_distribution<double>(1.0 / a)(rng);
      break;
  }
  return static_cast<std::uint32_t>(std::clamp(std::round(value), static_cast<double>(min), static_cast<double>(max)));
}

void validate_length_distribution(const LengthDistribution& d) {
  if (d.min == 0) throw config::Invalid("min", "must be at least 1 token");
  if (d.min > d.max) throw config::Invalid("min", "must not exceed max");
  if (d.shape.kind == Distribution::Kind::uniform && (d.shape.a < 1 || d.shape.b > 4294967295.0)) {
    throw config::Invalid("distribution", "uniform bounds must be whole token counts of at least 1");
  }
  if (d.shape.kind != Distribution::Kind::uniform && !(d.shape.a >= 1)) {
    throw config::Invalid("mean", "must be at least 1 token");
  }
  if (d.shape.b < 0 || !std::isfinite(d.shape.b)) throw config::Invalid("stddev", "must not be negative");
}

}  // namespace llmbench::load
