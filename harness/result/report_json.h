#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "harness/result/run_report.h"

namespace llmbench::result {

// report.json, documented in docs/report-schema.md. Percentile summaries are written for
// readers (jq, dashboards); the histograms are the source of truth when reading back. Written
// and read by Boost.JSON conversions (tag_invoke: value_from / value_to) per result type.
boost::json::value to_json(const RunReport& report);

// Pretty-printed JSON text with a trailing newline.
std::string to_json_text(const RunReport& report);

// Throws llmbench::InputError naming `source_name` and the field for corrupt, truncated or
// wrong-schema_version input.
RunReport report_from_json(std::string_view text, const std::string& source_name);

// Reads and parses a report file; a missing or unreadable file is an InputError too.
RunReport load_report_file(const std::string& path);

}  // namespace llmbench::result
