#include "mock_provider/rate_limiter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace llmbench::mock {

namespace {
// OpenAI's reset format: "1s", "6m0s", "12ms".
std::string format_reset(double seconds) {
  if (seconds <= 0) return "0s";
  if (seconds < 1) return fmt::format("{}ms", static_cast<long long>(std::ceil(seconds * 1000)));
  const long long whole = static_cast<long long>(std::ceil(seconds));
  if (whole < 60) return fmt::format("{}s", whole);
  return fmt::format("{}m{}s", whole / 60, whole % 60);
}
}  // namespace

RateLimiter::RateLimiter(std::uint64_t requests_per_minute, std::uint64_t tokens_per_minute)
    : rpm_(requests_per_minute),
      tpm_(tokens_per_minute),
      requests_(static_cast<double>(requests_per_minute)),
      tokens_(static_cast<double>(tokens_per_minute)) {}

void RateLimiter::refill(std::int64_t now_ns) {
  if (!started_) {
    started_ = true;
    last_ns_ = now_ns;
    return;
  }
  const double minutes = static_cast<double>(std::max<std::int64_t>(0, now_ns - last_ns_)) / 60e9;
  last_ns_ = std::max(last_ns_, now_ns);
  requests_ = std::min(static_cast<double>(rpm_), requests_ + minutes * static_cast<double>(rpm_));
  tokens_ = std::min(static_cast<double>(tpm_), tokens_ + minutes * static_cast<double>(tpm_));
}

RateLimiter::Decision RateLimiter::acquire(std::uint64_t tokens, std::int64_t now_ns) {
  Decision d;
  if (!enabled()) return d;
  const std::lock_guard lock(mutex_);
  refill(now_ns);
  const bool requests_ok = rpm_ == 0 || requests_ >= 1.0;
  // A request bigger than the whole bucket could never pass: it waits for a full bucket.
  const double token_cost = std::min(static_cast<double>(tokens), static_cast<double>(tpm_));
  const bool tokens_ok = tpm_ == 0 || tokens_ >= token_cost;
  if (requests_ok && tokens_ok) {
    if (rpm_ != 0) requests_ -= 1.0;
    if (tpm_ != 0) tokens_ -= token_cost;
  } else {
    d.allowed = false;
    d.by_tokens = requests_ok;
    if (!requests_ok) {
      d.retry_after_seconds = (1.0 - requests_) * 60.0 / static_cast<double>(rpm_);
      d.used = rpm_ - static_cast<std::uint64_t>(std::max(0.0, requests_));
    } else {
      d.retry_after_seconds = (token_cost - tokens_) * 60.0 / static_cast<double>(tpm_);
      d.used = tpm_ - static_cast<std::uint64_t>(std::max(0.0, tokens_));
    }
  }
  if (rpm_ != 0) {
    d.headers.emplace_back("x-ratelimit-limit-requests", std::to_string(rpm_));
    d.headers.emplace_back("x-ratelimit-remaining-requests",
                           std::to_string(static_cast<std::uint64_t>(std::max(0.0, requests_))));
    d.headers.emplace_back("x-ratelimit-reset-requests",
                           format_reset((static_cast<double>(rpm_) - requests_) * 60.0 / static_cast<double>(rpm_)));
  }
  append_token_headers(d.headers);
  return d;
}

std::vector<std::pair<std::string, std::string>> RateLimiter::refusal_headers(double retry_after_seconds,
                                                                              std::int64_t now_ns) {
  std::vector<std::pair<std::string, std::string>> headers;
  const std::lock_guard lock(mutex_);
  if (enabled()) refill(now_ns);
  headers.emplace_back("x-ratelimit-limit-requests", std::to_string(rpm_ != 0 ? rpm_ : 60));
  headers.emplace_back("x-ratelimit-remaining-requests", "0");
  headers.emplace_back("x-ratelimit-reset-requests", format_reset(retry_after_seconds));
  append_token_headers(headers);
  return headers;
}

void RateLimiter::append_token_headers(std::vector<std::pair<std::string, std::string>>& headers) const {
  if (tpm_ == 0) return;
  headers.emplace_back("x-ratelimit-limit-tokens", std::to_string(tpm_));
  headers.emplace_back("x-ratelimit-remaining-tokens",
                       std::to_string(static_cast<std::uint64_t>(std::max(0.0, tokens_))));
  headers.emplace_back("x-ratelimit-reset-tokens",
                       format_reset((static_cast<double>(tpm_) - tokens_) * 60.0 / static_cast<double>(tpm_)));
}

}  // namespace llmbench::mock
