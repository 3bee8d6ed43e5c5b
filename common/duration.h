#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace llmbench {

// Parses a human duration: a non-negative decimal number followed by a unit
// (ns, us, µs, ms, s, m, h), e.g. "50ms", "1.5s", "2m". A bare number is rejected
// because "50" is ambiguous; callers that want a default unit append it.
// Throws std::invalid_argument with a message naming the text and what was expected.
std::chrono::nanoseconds parse_duration(std::string_view text);

// Renders the shortest exact-ish form with a unit: 50ms, 1.5s, 250us.
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace llmbench
