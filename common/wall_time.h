#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Wall-clock instants as Unix nanoseconds and RFC 3339 text: for coordinating shards
// (`--start-at`) and recording when they started. Never used in a latency (common/clock.h).
namespace llmbench {

// Now on the system (wall) clock, Unix nanoseconds.
std::int64_t wall_now_ns() noexcept;

// "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.25+02:00", "2026-01-02 03:04:05.123456789z": date,
// 'T' (or 't' or a space), time, an optional fraction of up to 9 digits, and 'Z' or an offset.
// nullopt for anything else (including out-of-range fields).
std::optional<std::int64_t> parse_rfc3339_ns(std::string_view text);

// UTC with nanoseconds, e.g. "2026-01-02T03:04:05.123456789Z"; parse_rfc3339_ns reads it back.
std::string format_rfc3339_ns(std::int64_t unix_ns);

}  // namespace llmbench
