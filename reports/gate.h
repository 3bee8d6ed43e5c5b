#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/metrics/threshold_expression.h"
#include "harness/result/run_report.h"

namespace llmbench::reports {

// "p99_ttft_ms < 200", "error_rate < 0.1%" (absolute; % divides by 100), "throughput >= -5%",
// "p99_e2e <= +10%" (an explicit sign makes it relative to the baseline; relative needs %).
// The grammar is harness/metrics/threshold_expression.h, shared with the scenario file reader.
struct Threshold : metrics::ThresholdExpression {
  std::string scenario;  // only this scenario's points; empty: every scenario
  // Where the threshold came from, shown next to every check: "--threshold", "scenario file
  // scenarios/ci-gate.toml", "baseline comparison with base.json (default thresholds)", ...
  std::string origin;
};

// Throws llmbench::InputError naming `where` (e.g. "--threshold") on a malformed expression or
// an unknown metric.
Threshold parse_threshold(const std::string& text, const std::string& where);

// Used when a baseline is given and no relative threshold is: throughput >= -5%, p99_ttft_ms <= +10%,
// p99_e2e_ms <= +10%, error_rate <= +0% is not useful (0 base), so error_rate < 1% absolute.
std::vector<Threshold> default_thresholds();

// The thresholds `llmbench gate` checks, and why (docs/ci.md):
//  - `flags` (--threshold) when given, else the ones stored in the report's config
//    (thresholds_from_config);
//  - with a baseline and no relative threshold among those, the default baseline comparison is
//    added as well: a baseline is never silently ignored.
// Each threshold's `origin` says which set it belongs to; `notes` says what was left out and why.
// Throws InputError when there is nothing to check.
struct ThresholdSelection {
  std::vector<Threshold> thresholds;
  std::vector<std::string> notes;
};
ThresholdSelection select_thresholds(const std::vector<Threshold>& flags, const result::RunReport& current,
                                     const std::string& current_name, const result::RunReport* baseline,
                                     const std::string& baseline_name);

struct GateOptions {
  std::vector<Threshold> thresholds;
  double alpha = 0.05;  // a relative failure with repetitions must also be significant (U test)
};

struct GateCheck {
  std::string threshold;           // the expression
  std::string origin;              // Threshold::origin
  std::string point;               // scenario and sweep position
  std::optional<double> actual;    // the current value (median over repetitions)
  std::optional<double> baseline;  // relative thresholds only
  std::optional<double> change;    // relative thresholds only
  std::optional<double> p_value;   // when both sides have repetitions
  // Both sides have repetitions, but too few for any p-value below alpha: the check was judged
  // on the threshold alone. The repetitions per side the test would need.
  std::optional<std::size_t> repetitions_needed;
  bool passed = false;
  std::string message;  // why, in one line
};

struct GateResult {
  std::vector<GateCheck> checks;
  std::vector<std::string> notes;  // shown above the checks in every format
  bool passed() const;
  std::size_t failures() const;
};

// Checks every threshold at every measured point of `current`. Relative thresholds need a
// baseline (InputError otherwise); a point missing from the baseline fails its relative checks.
// With repetitions on both sides, a relative failure must also be significant (p < alpha); when
// the repetition counts cannot reach alpha at all, the threshold alone decides (docs/ci.md).
GateResult run_gate(const result::RunReport& current, const result::RunReport* baseline,
                    const GateOptions& options);

// Thresholds written in the suite file, as the runner stores them in report.json's config:
// config.scenarios[i].thresholds, scoped to scenario config.scenarios[i].name (a suite's
// [defaults] thresholds are copied into every scenario). Strings in the syntax of parse_threshold.
std::vector<Threshold> thresholds_from_config(const result::RunReport& report, const std::string& source);

std::string format_gate_text(const GateResult& result);
std::string format_gate_markdown(const GateResult& result);
std::string format_gate_junit(const GateResult& result);

}  // namespace llmbench::reports
