#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "harness/result/run_report.h"

// The per-step summary table shared by the console, Markdown and HTML formatters, so all three
// show the same columns with the same rounding.
namespace llmbench::reports {

struct SummaryTable {
  std::vector<std::string> header;
  std::vector<bool> numeric;  // right-aligned columns
  std::vector<std::vector<std::string>> rows;
};

// One row per step of `scenario`.
SummaryTable summary_table(const result::ScenarioResult& scenario);

// Display rounding: 3 significant figures at least, no exponent for ordinary magnitudes.
std::string format_number(double value);
std::string format_optional(const std::optional<double>& value);

// The step's position on its sweep, e.g. "concurrency=64"; "-" for an unswept step.
std::string step_label(const result::StepResult& step);
// A table row's step name: step_label(), or "step N" (1-based `index`) for an unswept step.
std::string step_row_name(const result::StepResult& step, std::size_t index);

// "connect:2 http_429:5", or "" when nothing failed.
std::string error_summary(const metrics::RequestCounts& counts);

}  // namespace llmbench::reports
