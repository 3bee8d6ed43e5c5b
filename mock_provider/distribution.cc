#include "mock_provider/distribution.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "common/duration.h"

namespace llmbench::mock {

double Distribution::sample(RequestRng& rng) const {
  switch (kind) {
    case Kind::fixed: return a;
    case Kind::uniform: return a + (b - a) * rng.next_unit();
    case Kind::normal: {
      // Clamped like llm-d's simulator so a jittered latency is never absurd or negative.
      const double value = a + b * rng.next_normal();
      return std::clamp(value, 0.3 * a, 1.7 * a);
    }
    case Kind::lognormal: {
      if (a <= 0) return 0;
      const double sigma2 = std::log1p((b * b) / (a * a));
      const double mu = std::log(a) - sigma2 / 2;
      return std::exp(mu + std::sqrt(sigma2) * rng.next_normal());
    }
    case Kind::exponential: return -a * std::log1p(-rng.next_unit());
  }
  return a;
}

double Distribution::mean() const {
  switch (kind) {
    case Kind::uniform: return (a + b) / 2;
    default: return a;  // the clamp of `normal` is symmetric, so its mean stays a
  }
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

double parse_count(std::string_view text) {
  text = trim(text);
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value) ||
      value < 0) {
    throw std::invalid_argument(fmt::format("'{}' is not a non-negative number", text));
  }
  return value;
}

double parse_nanos(std::string_view text) {
  return static_cast<double>(llmbench::parse_duration(trim(text)).count());
}

template <typename ParseValue>
Distribution parse_distribution(std::string_view text, ParseValue parse_value, std::string_view example) {
  const std::string_view spec = trim(text);
  auto fail = [&](const std::string& why) {
    return std::invalid_argument(fmt::format(
        "invalid distribution '{}': {} (expected e.g. {}, uniform(LO,HI), normal(MEAN,SD), "
        "lognormal(MEAN,SD), exponential(MEAN))",
        text, why, example));
  };
  const auto open = spec.find('(');
  try {
    if (open == std::string_view::npos) return Distribution::fixed(parse_value(spec));
    if (spec.back() != ')') throw fail("missing ')'");
    const std::string_view name = trim(spec.substr(0, open));
    const std::string_view inside = spec.substr(open + 1, spec.size() - open - 2);
    std::vector<double> args;
    std::size_t start = 0;
    while (true) {
      const auto comma = inside.find(',', start);
      args.push_back(parse_value(inside.substr(start, comma == std::string_view::npos ? comma : comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    auto want = [&](std::size_t n) {
      if (args.size() != n) throw fail(fmt::format("{} takes {} argument{}", name, n, n == 1 ? "" : "s"));
    };
    if (name == "fixed") {
      want(1);
      return Distribution::fixed(args[0]);
    }
    if (name == "uniform") {
      want(2);
      if (args[1] < args[0]) throw fail("uniform needs LO <= HI");
      return Distribution{Distribution::Kind::uniform, args[0], args[1]};
    }
    if (name == "normal" || name == "lognormal") {
      want(2);
      return Distribution{name == "normal" ? Distribution::Kind::normal : Distribution::Kind::lognormal, args[0],
                          args[1]};
    }
    if (name == "exponential") {
      want(1);
      return Distribution{Distribution::Kind::exponential, args[0], 0};
    }
    throw fail(fmt::format("unknown distribution '{}'", name));
  } catch (const std::invalid_argument& e) {
    if (std::string_view(e.what()).starts_with("invalid distribution")) throw;
    throw fail(e.what());
  }
}

template <typename FormatValue>
std::string format_distribution(const Distribution& d, FormatValue format_value) {
  switch (d.kind) {
    case Distribution::Kind::fixed: return format_value(d.a);
    case Distribution::Kind::uniform: return fmt::format("uniform({},{})", format_value(d.a), format_value(d.b));
    case Distribution::Kind::normal: return fmt::format("normal({},{})", format_value(d.a), format_value(d.b));
    case Distribution::Kind::lognormal:
      return fmt::format("lognormal({},{})", format_value(d.a), format_value(d.b));
    case Distribution::Kind::exponential: return fmt::format("exponential({})", format_value(d.a));
  }
  return format_value(d.a);
}

}  // namespace

Distribution parse_duration_distribution(std::string_view text) {
  return parse_distribution(text, parse_nanos, "50ms");
}

Distribution parse_count_distribution(std::string_view text) {
  return parse_distribution(text, parse_count, "32");
}

std::string format_duration_distribution(const Distribution& d) {
  return format_distribution(d, [](double ns) {
    return llmbench::format_duration(std::chrono::nanoseconds(static_cast<long long>(std::llround(ns))));
  });
}

std::string format_count_distribution(const Distribution& d) {
  return format_distribution(d, [](double v) { return fmt::format("{:g}", v); });
}

}  // namespace llmbench::mock
