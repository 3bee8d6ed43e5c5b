#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/result/run_report.h"

namespace llmbench::reports {

// "p99_ttft_ms < 200", "error_rate < 0.1%" (absolute; % divides by 100), "throughput >= -5%",
// "p99_e2e <= +10%" (an explicit sign makes it relative to the baseline; relative needs %).
struct Threshold {
  enum class Op { less, less_equal, greater, greater_equal };
  std::string text;    // as written, for messages
  std::string metric;  // canonical catalog name
  Op op = Op::less;
  double value = 0;  // absolute value, or relative change as a fraction (-0.05)
  bool relative = false;
  std::string scenario;  // only this scenario's points; empty: every scenario
};

// Throws llmbench::InputError naming `where` (e.g. "--threshold") on a malformed expression or
// an unknown metric.
Threshold parse_threshold(const std::string& text, const std::string& where);

// Used when a baseline is given and no threshold is: throughput >= -5%, p99_ttft_ms <= +10%,
// p99_e2e_ms <= +10%, error_rate <= +0% is not useful (0 base), so error_rate < 1% absolute.
std::vector<Threshold> default_thresholds();

struct GateOptions {
  std::vector<Threshold> thresholds;
  double alpha = 0.05;  // a relative failure with repetitions must also be significant (U test)
};

struct GateCheck {
  std::string threshold;           // the expression
  std::string point;               // scenario and sweep position
  std::optional<double> actual;    // the current value (median over repetitions)
  std::optional<double> baseline;  // relative thresholds only
  std::optional<double> change;    // relative thresholds only
  std::optional<double> p_value;   // when both sides have repetitions
  bool passed = false;
  std::string message;  // why, in one line
};

struct GateResult {
  std::vector<GateCheck> checks;
  bool passed() const;
  std::size_t failures() const;
};

// Checks every threshold at every measured point of `current`. Relative thresholds need a
// baseline (InputError otherwise); a point missing from the baseline fails its relative checks.
GateResult run_gate(const result::RunReport& current, const result::RunReport* baseline,
                    const GateOptions& options);

// Thresholds written in the suite file, as the runner stores them in report.json's config:
// config.scenarios[i].thresholds (scoped to scenario config.scenarios[i].name) and
// config.gate.thresholds (every scenario). Strings in the syntax of parse_threshold.
std::vector<Threshold> thresholds_from_config(const result::RunReport& report, const std::string& source);

std::string format_gate_text(const GateResult& result);
std::string format_gate_markdown(const GateResult& result);
std::string format_gate_junit(const GateResult& result);

}  // namespace llmbench::reports
