#pragma once

#include <optional>

#include "harness/result/run_report.h"
#include "reports/table.h"

// Multi-turn sessions (report.json `sessions`, docs/metrics.md "Multi-turn sessions") for the
// console and Markdown: the session totals, one row per step, and the per-turn figures, one row
// per step and turn index (the history grows with the turn, and so do prompt tokens and TTFT).
namespace llmbench::reports {

// Columns: step, sessions, completed, failed, cut, mean turns, duration p50 and p99 (ms).
// Empty when no step ran sessions.
std::optional<SummaryTable> session_totals_table(const result::ScenarioResult& scenario);

// Columns: step, turn, requests, failed, mean prompt tokens, TTFT p50 and p99 (ms; "-" without
// streaming), e2e p50 (ms). Empty when no step ran sessions.
std::optional<SummaryTable> session_turns_table(const result::ScenarioResult& scenario);

}  // namespace llmbench::reports
