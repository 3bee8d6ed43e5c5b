#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace llmbench::mock {

// Requests- and tokens-per-minute limits as OpenAI applies them: token buckets holding one
// minute's allowance, refilled continuously. Every answer carries x-ratelimit-* headers.
class RateLimiter {
 public:
  RateLimiter(std::uint64_t requests_per_minute, std::uint64_t tokens_per_minute);

  struct Decision {
    bool allowed = true;
    bool by_tokens = false;          // which limit refused (for the message and error type)
    double retry_after_seconds = 0;  // when refused: until the request would fit
    std::uint64_t used = 0;          // refused limit: capacity in use
    std::vector<std::pair<std::string, std::string>> headers;
  };

  bool enabled() const { return rpm_ != 0 || tpm_ != 0; }
  // Takes 1 request and `tokens` tokens if both fit, else takes nothing.
  Decision acquire(std::uint64_t tokens, std::int64_t now_ns);

  // The x-ratelimit-* headers of a refusal decided elsewhere (a fault 429), without taking
  // anything: requests shown exhausted until `retry_after_seconds` (limit: rpm, or 60 when no
  // rpm is set -- the rate at which one request frees up per second), tokens as they stand.
  std::vector<std::pair<std::string, std::string>> refusal_headers(double retry_after_seconds, std::int64_t now_ns);

  std::uint64_t rpm() const { return rpm_; }
  std::uint64_t tpm() const { return tpm_; }

 private:
  void refill(std::int64_t now_ns);
  void append_token_headers(std::vector<std::pair<std::string, std::string>>& headers) const;  // under mutex_

  const std::uint64_t rpm_;
  const std::uint64_t tpm_;
  std::mutex mutex_;
  double requests_;
  double tokens_;
  std::int64_t last_ns_ = 0;
  bool started_ = false;
};

}  // namespace llmbench::mock
