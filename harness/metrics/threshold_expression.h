#pragma once

#include <string>
#include <string_view>

namespace llmbench::metrics {

// A pass/fail condition on one metric of a step, as written in a scenario file's
// `thresholds = [...]` or given to `llmbench gate --threshold`:
//   "p99_ttft_ms < 200", "error_rate < 0.1%"  absolute; a % divides by 100
//   "throughput >= -5%", "p99_e2e <= +10%"    an explicit sign makes it relative to a baseline
//                                              (relative needs %)
// It lives in the harness so a suite file is checked when it is read, before anything runs;
// `llmbench gate` (reports/gate.h) judges reports with the same parser.
struct ThresholdExpression {
  enum class Op { less, less_equal, greater, greater_equal };
  std::string text;    // as written, for messages
  std::string metric;  // canonical name (metric_names.h)
  Op op = Op::less;
  double value = 0;  // absolute value, or relative change as a fraction (-0.05)
  bool relative = false;
};

// Throws std::invalid_argument whose what() says what is wrong (without naming where: the
// caller knows the file and line, or the flag).
ThresholdExpression parse_threshold_expression(std::string_view text);

}  // namespace llmbench::metrics
