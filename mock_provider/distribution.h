#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mock_provider/request_rng.h"

namespace llmbench::mock {

// A random quantity of the latency model: a duration in nanoseconds or a token count.
// Textual forms: "50ms" (fixed), "uniform(40ms,60ms)", "normal(50ms,5ms)" (clamped to
// [0.3, 1.7] x mean, as llm-d's simulator does), "lognormal(50ms,10ms)" (mean, standard
// deviation), "exponential(50ms)" (mean). Counts use bare numbers: "32", "uniform(16,64)".
struct Distribution {
  enum class Kind : std::uint8_t { fixed, uniform, normal, lognormal, exponential };

  Kind kind = Kind::fixed;
  double a = 0;  // fixed: value; uniform: low; normal/lognormal: mean; exponential: mean
  double b = 0;  // uniform: high; normal/lognormal: standard deviation

  static Distribution fixed(double value) { return Distribution{Kind::fixed, value, 0}; }

  // Never negative. A fixed distribution draws nothing from `rng`.
  double sample(RequestRng& rng) const;
  double mean() const;
  bool is_fixed() const { return kind == Kind::fixed; }

  friend bool operator==(const Distribution&, const Distribution&) = default;
};

// Both throw std::invalid_argument naming the text and the expected form.
Distribution parse_duration_distribution(std::string_view text);
Distribution parse_count_distribution(std::string_view text);

// Inverse of the parsers: "50ms", "uniform(40ms,60ms)", "32".
std::string format_duration_distribution(const Distribution& d);
std::string format_count_distribution(const Distribution& d);

}  // namespace llmbench::mock
