#pragma once

#include <optional>

#include "harness/result/run_report.h"
#include "reports/table.h"

// The target's own metrics scraped during each step (report.json `server_metrics`), summed up
// in one row per step for the console and Markdown: the vLLM gauges' peaks and means and the
// counters' increase over the step.
namespace llmbench::reports {

// Columns: step, scrapes, running max, waiting max, KV cache mean and max (%), prompt and
// generation tokens and preemptions during the step (last - first scrape); "-" where the
// server did not expose the name. Empty when no step has server metrics.
std::optional<SummaryTable> server_metrics_table(const result::ScenarioResult& scenario);

}  // namespace llmbench::reports
