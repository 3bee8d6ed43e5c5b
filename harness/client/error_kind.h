#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace llmbench::harness {

// Why a request failed. Every failure is counted under exactly one kind (as wrk counts
// connect/read/write/status/timeout), so error totals always add up to failed requests.
enum class ErrorKind : std::uint8_t {
  none = 0,      // success
  connect,       // TCP/TLS connect failed or was refused
  timeout,       // connect, first-token or total timeout expired
  http_4xx,      // 4xx other than 429
  http_429,      // rate limited (after retries were exhausted)
  http_5xx,      // 5xx (after retries were exhausted)
  stream_error,  // the server sent an error object inside a 200 stream
  truncated,     // the stream ended without its terminator ([DONE] / done:true) or the body was cut
  parse,         // bytes that are not the API's wire format (bad JSON, bad SSE)
  cancelled,     // the run was stopped (Ctrl-C, duration end) while the request was in flight
};

inline constexpr std::size_t kErrorKindCount = 10;

// Stable snake_case names used in reports, CSV columns and scenario files.
constexpr std::string_view error_kind_name(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::none:
      return "none";
    case ErrorKind::connect:
      return "connect";
    case ErrorKind::timeout:
      return "timeout";
    case ErrorKind::http_4xx:
      return "http_4xx";
    case ErrorKind::http_429:
      return "http_429";
    case ErrorKind::http_5xx:
      return "http_5xx";
    case ErrorKind::stream_error:
      return "stream_error";
    case ErrorKind::truncated:
      return "truncated";
    case ErrorKind::parse:
      return "parse";
    case ErrorKind::cancelled:
      return "cancelled";
  }
  return "unknown";
}

constexpr std::optional<ErrorKind> error_kind_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kErrorKindCount; ++i) {
    const auto kind = static_cast<ErrorKind>(i);
    if (error_kind_name(kind) == name) return kind;
  }
  return std::nullopt;
}

// Maps an HTTP status that is not 2xx to its error kind.
constexpr ErrorKind error_kind_for_status(int status) noexcept {
  if (status == 429) return ErrorKind::http_429;
  if (status >= 500) return ErrorKind::http_5xx;
  return ErrorKind::http_4xx;
}

}  // namespace llmbench::harness
