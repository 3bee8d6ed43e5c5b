#include "common/distribution.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "common/duration.h"

namespace llmbench {

namespace {

constexpr std::string_view kKindNames[] = {"fixed", "uniform", "normal", "lognormal", "exponential"};

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
    const Distribution::Kind kind = distribution_kind_from_name(name);
    const bool one = kind == Distribution::Kind::fixed || kind == Distribution::Kind::exponential;
    want(one ? 1 : 2);
    if (kind == Distribution::Kind::uniform && args[1] < args[0]) throw fail("uniform needs LO <= HI");
    return Distribution{kind, args[0], one ? 0 : args[1]};
  } catch (const std::invalid_argument& e) {
    if (std::string_view(e.what()).starts_with("invalid distribution")) throw;
    throw fail(e.what());
  }
}

template <typename FormatValue>
std::string format_distribution(const Distribution& d, FormatValue format_value) {
  const std::string_view name = distribution_kind_name(d.kind);
  if (d.kind == Distribution::Kind::fixed) return format_value(d.a);
  if (d.kind == Distribution::Kind::exponential) return fmt::format("{}({})", name, format_value(d.a));
  return fmt::format("{}({},{})", name, format_value(d.a), format_value(d.b));
}

}  // namespace

std::string_view distribution_kind_name(Distribution::Kind kind) noexcept {
  return kKindNames[static_cast<std::size_t>(kind)];
}

Distribution::Kind distribution_kind_from_name(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kKindNames); ++i) {
    if (kKindNames[i] == name) return static_cast<Distribution::Kind>(i);
  }
  throw std::invalid_argument(fmt::format("unknown distribution '{}' (expected {})", name, fmt::join(kKindNames, ", ")));
}

std::optional<std::string> distribution_problem(const Distribution& d) {
  if (d.a < 0 || d.b < 0) return "values must not be negative";
  if ((d.kind == Distribution::Kind::lognormal || d.kind == Distribution::Kind::exponential) && d.a <= 0) {
    return "the mean must be positive";
  }
  return std::nullopt;
}

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

}  // namespace llmbench
