#pragma once

#include <optional>
#include <string>

#include "harness/metrics/slo.h"
#include "harness/result/run_report.h"
#include "reports/table.h"

// Tables the console and Markdown show under a scenario's summary only when they say something
// the summary does not: corrected latency, goodput and efficiency (docs/quickstart.md, "Reading a report").
namespace llmbench::reports {

// Corrected latency (from the intended send time, free of coordinated omission) differs
// "materially" from the measured one when its p50 or p99, of e2e or of TTFT, is more than 5 %
// away from the uncorrected value. Closed loops send when the user is free, so the two agree;
// open loops whose requests start late (pacer lag, concurrency cap) do not.
inline constexpr double kMaterialDifference = 0.05;

bool corrected_differs(const result::StepResult& step);

// step | e2e p50 | corrected p50 | e2e p99 | corrected p99 | TTFT corrected p50/p99 | queue wait p99:
// one row per step where corrected_differs; nullopt when no step does.
std::optional<SummaryTable> corrected_latency_table(const result::ScenarioResult& scenario);

// "TTFT <= 60 ms, e2e <= 500 ms"; "" when no objective is set.
std::string slo_text(const metrics::Slo& slo);

// step | SLO | good | requests | SLO attainment % | goodput req/s | req/s: one row per step with
// an SLO; nullopt when no step has one. Attainment is good / all requests (failed ones count
// as missed), as metrics::RequestCounts::good.
std::optional<SummaryTable> goodput_table(const result::ScenarioResult& scenario);

// step | throughput / ideal | TTFT overhead p50 ms | TTFT overhead p99 ms: the noise-robust
// ratios of StepResult::efficiency(), one row per step that knows them; nullopt when none does
// (the target's latency was not known).
std::optional<SummaryTable> efficiency_table(const result::ScenarioResult& scenario);

}  // namespace llmbench::reports
