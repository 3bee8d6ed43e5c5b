#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/enum_names.h"

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

// Stable snake_case names used in reports, CSV columns and scenario files.
constexpr auto enum_names(ErrorKind) {
  using enum ErrorKind;
  return std::to_array<EnumName<ErrorKind>>(
      {{none, "none"}, {connect, "connect"}, {timeout, "timeout"}, {http_4xx, "http_4xx"},
       {http_429, "http_429"}, {http_5xx, "http_5xx"}, {stream_error, "stream_error"},
       {truncated, "truncated"}, {parse, "parse"}, {cancelled, "cancelled"}});
}
inline constexpr std::size_t kErrorKindCount = enum_names(ErrorKind{}).size();
static_assert(static_cast<std::size_t>(ErrorKind::cancelled) + 1 == kErrorKindCount, "table in enum order");
constexpr std::string_view error_kind_name(ErrorKind kind) noexcept { return to_name(kind); }
constexpr std::optional<ErrorKind> error_kind_from_name(std::string_view name) noexcept {
  return from_name<ErrorKind>(name);
}

// Maps an HTTP status that is not 2xx to its error kind.
constexpr ErrorKind error_kind_for_status(int status) noexcept {
  if (status == 429) return ErrorKind::http_429;
  if (status >= 500) return ErrorKind::http_5xx;
  return ErrorKind::http_4xx;
}

}  // namespace llmbench::harness
