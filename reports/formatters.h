#pragma once

#include <string>

#include "harness/result/run_report.h"

// Pure functions of one RunReport: same report in, same bytes out (gold-file tested).
namespace llmbench::reports {

struct ConsoleOptions {
  bool color = false;  // ANSI colours; the CLI turns it on only when stdout is a terminal
};

// Aligned tables per scenario: one row per step.
std::string format_console(const result::RunReport& report, const ConsoleOptions& options = {});
// One row per scenario step, stable column names (docs/report-schema.md).
std::string format_csv(const result::RunReport& report);
// For a CI job summary or a pull-request comment.
std::string format_markdown(const result::RunReport& report);
// One self-contained page with inline SVG charts; no scripts, no network fetches.
std::string format_html(const result::RunReport& report);
// Google Benchmark's JSON output format, so compare.py and friends can read our runs.
std::string format_gbench_json(const result::RunReport& report);

}  // namespace llmbench::reports
