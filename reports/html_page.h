#pragma once

#include <string>

#include "harness/result/run_report.h"
#include "reports/table.h"

// The building blocks of llmbench's self-contained HTML pages (inline CSS and SVG, no scripts,
// no fetches), shared by the run report (format_html) and the comparison (compare --html).
namespace llmbench::reports::html {

// From <!DOCTYPE html> to the opening <body> and an <h1>`heading`</h1>, with the report
// stylesheet; the <title> is the heading plus `title_suffix` (e.g. the run's start time).
std::string page_start(const std::string& heading, const std::string& title_suffix = "");
// The closing note and </body></html>.
std::string page_end();

// The charts of a report: per swept parameter the throughput against its ideal, efficiency,
// latency fans, errors, goodput and in-flight; scenarios at one setting as bars; the CDFs.
// Scenarios are told apart by name, so a comparison draws several runs on the same charts by
// prefixing their scenario names.
std::string charts(const result::RunReport& report);

// A table with numeric columns right-aligned; `css_class` may be empty.
std::string table(const SummaryTable& t, const std::string& css_class);

}  // namespace llmbench::reports::html
