#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace llmbench {

// Every random quantity of llmbench, in one type and one syntax: the mock's latencies and
// output lengths, and synthetic prompt lengths. A duration in nanoseconds or a token count.
// Textual forms: "50ms" (fixed), "uniform(40ms,60ms)", "normal(50ms,5ms)", "lognormal(50ms,10ms)"
// (mean, standard deviation), "exponential(50ms)" (mean). Counts use bare numbers: "32",
// "uniform(16,64)". Each layer draws with its own generator (the mock's per-request stream,
// the prompt source's load::PromptRng), so adding this type changed no draw.
struct Distribution {
  enum class Kind : std::uint8_t { fixed, uniform, normal, lognormal, exponential };

  Kind kind = Kind::fixed;
  double a = 0;  // fixed: value; uniform: low; normal/lognormal: mean; exponential: mean
  double b = 0;  // uniform: high; normal/lognormal: standard deviation

  static Distribution fixed(double value) { return Distribution{Kind::fixed, value, 0}; }

  // With `rng.next_unit()` in [0, 1) and `rng.next_normal()` (the mock's RequestRng). Never
  // negative: normal is clamped to [0.3, 1.7] x mean, as llm-d's simulator does. A fixed
  // distribution draws nothing from `rng`.
  template <typename Rng>
  double sample(Rng& rng) const {
    switch (kind) {
      case Kind::fixed: return a;
      case Kind::uniform: return a + (b - a) * rng.next_unit();
      case Kind::normal: return std::clamp(a + b * rng.next_normal(), 0.3 * a, 1.7 * a);
      case Kind::lognormal: {
        if (a <= 0) return 0;
        const double sigma2 = std::log1p((b * b) / (a * a));
        return std::exp(std::log(a) - sigma2 / 2 + std::sqrt(sigma2) * rng.next_normal());
      }
      case Kind::exponential: return -a * std::log1p(-rng.next_unit());
    }
    return a;
  }
  double mean() const { return kind == Kind::uniform ? (a + b) / 2 : a; }  // normal's clamp is symmetric
  bool is_fixed() const { return kind == Kind::fixed; }

  friend bool operator==(const Distribution&, const Distribution&) = default;
};

// "fixed", "uniform", ...; the reverse throws std::invalid_argument listing the names.
std::string_view distribution_kind_name(Distribution::Kind kind) noexcept;
Distribution::Kind distribution_kind_from_name(std::string_view name);

// What is impossible about `d` ("values must not be negative", ...), or nothing.
std::optional<std::string> distribution_problem(const Distribution& d);

// Both throw std::invalid_argument naming the text and the expected form.
Distribution parse_duration_distribution(std::string_view text);
Distribution parse_count_distribution(std::string_view text);

// Inverse of the parsers: "50ms", "uniform(40ms,60ms)", "32".
std::string format_duration_distribution(const Distribution& d);
std::string format_count_distribution(const Distribution& d);

}  // namespace llmbench
