#pragma once

#include <boost/json/error.hpp>
#include <boost/json/value.hpp>
#include <string_view>

namespace llmbench::metrics {

// Parses JSON like boost::json::parse, but converts every floating-point number with
// std::from_chars, which is correctly rounded. Boost 1.81's own parser may be off by one
// ulp, and histogram statistics must round-trip exactly so merged runs equal one run.
boost::json::value parse_json_exact(std::string_view text, boost::json::error_code& ec);

}  // namespace llmbench::metrics
