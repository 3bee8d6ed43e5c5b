#include "harness/client/retry.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace llmbench::harness {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// A non-negative decimal number of `unit`s, the whole text; nullopt otherwise.
std::optional<double> parse_non_negative(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value < 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view retry_after_ms,
                                                           std::string_view retry_after) {
  constexpr double kMaxMs = 24.0 * 3600 * 1000;  // anything longer is nonsense; clamp
  if (const auto ms = parse_non_negative(retry_after_ms)) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(*ms, kMaxMs)));
  }
  if (const auto seconds = parse_non_negative(retry_after)) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(*seconds * 1000.0, kMaxMs)));
  }
  return std::nullopt;
}

bool is_retryable(const RetryPolicy& policy, ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::http_429:
      return policy.retry_on_429;
    case ErrorKind::http_5xx:
      return policy.retry_on_5xx;
    case ErrorKind::connect:
      return policy.retry_on_connect;
    default:
      return false;
  }
}

std::chrono::nanoseconds retry_delay(const RetryPolicy& policy, std::uint32_t retry,
                                     std::optional<std::chrono::milliseconds> server_hint,
                                     double jitter_unit) noexcept {
  if (server_hint && *server_hint <= policy.max_retry_after) return *server_hint;
  const std::uint32_t doublings = std::min<std::uint32_t>(retry > 0 ? retry - 1 : 0, 30);
  const double base_ms = std::min(
      static_cast<double>(policy.initial_backoff.count()) * std::ldexp(1.0, static_cast<int>(doublings)),
      static_cast<double>(policy.max_backoff.count()));
  const double jitter = 1.0 - 0.25 * std::clamp(jitter_unit, 0.0, 1.0);
  return std::chrono::nanoseconds(static_cast<std::int64_t>(base_ms * jitter * 1e6));
}

}  // namespace llmbench::harness
