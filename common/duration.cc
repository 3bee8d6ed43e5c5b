#include "common/duration.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <charconv>

namespace llmbench {

namespace {
struct Unit {
  std::string_view suffix;
  double ns;
};
// Longest suffixes first so "ms" is not read as "m" followed by garbage.
constexpr Unit kUnits[] = {
    {"ns", 1.0}, {"us", 1e3}, {"\xC2\xB5s", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9},
};
}  // namespace

std::chrono::nanoseconds parse_duration(std::string_view text) {
  auto fail = [&](std::string_view why) -> std::invalid_argument {
    return std::invalid_argument(
        fmt::format("invalid duration '{}': {} (expected a number with a unit, e.g. 50ms, 1.5s, 2m)",
                    text, why));
  };
  if (text.empty()) throw fail("empty");
  std::size_t number_end = 0;
  while (number_end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[number_end])) || text[number_end] == '.')) {
    ++number_end;
  }
  if (number_end == 0) throw fail("no number");
  const std::string_view number = text.substr(0, number_end);
  std::string_view suffix = text.substr(number_end);
  while (!suffix.empty() && suffix.front() == ' ') suffix.remove_prefix(1);
  if (suffix.empty()) throw fail("missing unit");

  double value = 0;
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || ptr != number.data() + number.size()) throw fail("bad number");

  for (const Unit& unit : kUnits) {
    if (suffix == unit.suffix) {
      const double ns = value * unit.ns;
      if (!std::isfinite(ns) || ns > 9.2e18) throw fail("too large");
      return std::chrono::nanoseconds(static_cast<long long>(std::llround(ns)));
    }
  }
  throw fail(fmt::format("unknown unit '{}'", suffix));
}

std::string format_duration(std::chrono::nanoseconds d) {
  const long long ns = d.count();
  struct Scale {
    long long ns;
    const char* unit;
  };
  constexpr Scale kScales[] = {{3600'000'000'000LL, "h"}, {60'000'000'000LL, "m"}, {1'000'000'000LL, "s"},
                               {1'000'000LL, "ms"},       {1'000LL, "us"}};
  for (const Scale& s : kScales) {
    if (ns != 0 && std::llabs(ns) >= s.ns) {
      if (ns % s.ns == 0) return fmt::format("{}{}", ns / s.ns, s.unit);
      return fmt::format("{:g}{}", static_cast<double>(ns) / static_cast<double>(s.ns), s.unit);
    }
  }
  return fmt::format("{}ns", ns);
}

}  // namespace llmbench
