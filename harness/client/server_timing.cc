#include "harness/client/server_timing.h"

#include <charconv>
#include <cmath>

namespace llmbench::harness {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Splits off the text up to `separator` (outside a quoted string) and returns it.
std::string_view next_part(std::string_view& rest, char separator) {
  bool quoted = false;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '"') quoted = !quoted;
    if (!quoted && rest[i] == separator) {
      const std::string_view part = rest.substr(0, i);
      rest.remove_prefix(i + 1);
      return part;
    }
  }
  const std::string_view part = rest;
  rest = {};
  return part;
}

}  // namespace

void parse_server_timing(std::string_view value, std::int64_t* queue_ns, std::int64_t* service_ns) {
  constexpr double kMaxMs = 24.0 * 3600 * 1000;
  while (!value.empty()) {
    std::string_view metric = next_part(value, ',');
    const std::string_view name = trim(next_part(metric, ';'));
    std::int64_t* target = iequals(name, "queue") ? queue_ns : iequals(name, "service") ? service_ns : nullptr;
    if (target == nullptr) continue;
    while (!metric.empty()) {
      std::string_view param = next_part(metric, ';');
      const std::string_view key = trim(next_part(param, '='));
      if (!iequals(key, "dur")) continue;
      const std::string_view text = trim(param);
      double ms = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
      if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(ms) && ms >= 0 && ms <= kMaxMs) {
        *target = static_cast<std::int64_t>(std::llround(ms * 1e6));
      }
    }
  }
}

}  // namespace llmbench::harness
