#pragma once

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <string>
#include <string_view>

#include "harness/result/run_report.h"

namespace llmbench::result {

// Boost.JSON conversions, one pair per result type, used for writing and reading alike
// (value_from / value_to). Reading errors are InputErrors naming json_fields::ReadPath::current().
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const Environment& e);
Environment tag_invoke(boost::json::value_to_tag<Environment>, const boost::json::value& jv);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const StepResult& step);
StepResult tag_invoke(boost::json::value_to_tag<StepResult>, const boost::json::value& jv);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const ScenarioResult& scenario);
ScenarioResult tag_invoke(boost::json::value_to_tag<ScenarioResult>, const boost::json::value& jv);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const RunReport& report);
RunReport tag_invoke(boost::json::value_to_tag<RunReport>, const boost::json::value& jv);

// report.json, documented in docs/report-schema.md. Percentile summaries are written for
// readers (jq, dashboards); the histograms are the source of truth when reading back.
boost::json::value to_json(const RunReport& report);

// Pretty-printed JSON text with a trailing newline.
std::string to_json_text(const RunReport& report);

// Throws llmbench::InputError naming `source_name` and the field for corrupt, truncated or
// wrong-schema_version input.
RunReport report_from_json(std::string_view text, const std::string& source_name);

// Reads and parses a report file; a missing or unreadable file is an InputError too.
RunReport load_report_file(const std::string& path);

}  // namespace llmbench::result
