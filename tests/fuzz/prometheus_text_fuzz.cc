// Prometheus text parser: never crashes; an error names a line of the input; what parses
// re-serialises (name, labels with escapes, value, timestamp) to text that parses to the same.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "harness/metrics/prometheus_text.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace prom = llmbench::metrics::prometheus;
using llmbench::fuzz::fuzz_check;

std::string value_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);  // shortest round trip
}

bool same(const prom::Sample& a, const prom::Sample& b) {
  const bool values = (std::isnan(a.value) && std::isnan(b.value)) || a.value == b.value;
  return a.name == b.name && a.labels == b.labels && values && a.timestamp_ms == b.timestamp_ms;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = llmbench::fuzz::as_text(data, size);
  prom::Exposition parsed;
  try {
    parsed = prom::parse(text);
  } catch (const prom::ParseError& e) {
    const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    fuzz_check(e.line() >= 1 && e.line() <= lines, "an error names a line outside the input");
    return 0;
  }
  std::string again;
  for (const prom::Sample& s : parsed.samples) {
    again += s.name + prom::labels_text(s.labels) + " " + value_text(s.value);
    if (s.timestamp_ms) again += " " + std::to_string(*s.timestamp_ms);
    again += '\n';
  }
  prom::Exposition reparsed;
  try {
    reparsed = prom::parse(again);
  } catch (const prom::ParseError&) {
    fuzz_check(false, "re-serialised samples do not parse");
  }
  fuzz_check(reparsed.samples.size() == parsed.samples.size(), "re-serialised samples differ in number");
  for (std::size_t i = 0; i < parsed.samples.size(); ++i) {
    fuzz_check(same(parsed.samples[i], reparsed.samples[i]), "a re-serialised sample differs");
  }
  return 0;
}
