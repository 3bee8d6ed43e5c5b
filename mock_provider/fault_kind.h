#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace llmbench::mock {

// Injected failures, by seeded probability (MockConfig::faults) or forced per request with
// the `x-mock-fault: KIND` header. Names are the user-facing spelling in flags and headers.
enum class FaultKind : std::uint8_t {
  http_429,      // "429": rate-limit error with retry-after, before any byte of the body
  http_500,      // "500": server_error
  http_503,      // "503": server_error, overloaded
  stream_error,  // "stream_error": a 200 stream that sends an error event halfway through
  drop,          // "drop": the connection is closed halfway through, without [DONE]
  stall,         // "stall": no bytes at all until the client gives up (or stall_timeout)
  trickle,       // "trickle": tokens at MockConfig::trickle_itl instead of the configured ITL
};

inline constexpr std::size_t kFaultKindCount = 7;

constexpr std::string_view fault_kind_name(FaultKind kind) noexcept {
  switch (kind) {
    case FaultKind::http_429: return "429";
    case FaultKind::http_500: return "500";
    case FaultKind::http_503: return "503";
    case FaultKind::stream_error: return "stream_error";
    case FaultKind::drop: return "drop";
    case FaultKind::stall: return "stall";
    case FaultKind::trickle: return "trickle";
  }
  return "unknown";
}

constexpr std::optional<FaultKind> fault_kind_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kFaultKindCount; ++i) {
    const auto kind = static_cast<FaultKind>(i);
    if (fault_kind_name(kind) == name) return kind;
  }
  return std::nullopt;
}

}  // namespace llmbench::mock
