#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/result/run_report.h"

// Why requests failed, per step and error kind: the table the console, Markdown and HTML
// formatters show under a scenario's results (only for steps with failures).
namespace llmbench::reports {

struct ErrorRow {
  std::string step;  // step_label(), or "step N" for an unswept step
  std::string kind;  // "http_4xx"
  std::uint64_t count = 0;
  std::string statuses;  // "401 x4, 404 x2", or "" when no response had a status
  std::string messages;  // "\"Incorrect API key provided.\" x4; \"The model ...\" x2", or ""
};

// One row per (step, kind) with failures, in step then ErrorKind order.
std::vector<ErrorRow> error_rows(const result::ScenarioResult& scenario);

// "http_4xx x6 (HTTP 401 x6): \"Incorrect API key provided.\" x6"
std::string error_row_text(const ErrorRow& row);

}  // namespace llmbench::reports
