#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/result/run_report.h"
#include "reports/table.h"

namespace llmbench::reports {

struct CompareOptions {
  double alpha = 0.05;            // significance level of the U test
  double noise_threshold = 0.02;  // relative changes smaller than this are "same"
  std::vector<std::string> metrics = {"requests_per_s", "output_tokens_per_s", "error_rate",
                                      "p50_ttft_ms",    "p99_ttft_ms",         "p50_itl_ms",
                                      "p50_tpot_ms",    "p50_e2e_ms",          "p99_e2e_ms"};
};

// One metric of one measured point, old against new. Values are medians over repetitions.
struct ComparisonRow {
  std::string point;  // scenario and sweep position
  std::string metric;
  std::optional<double> base;
  std::optional<double> current;
  std::optional<double> change;   // relative; nullopt when a side is missing
  std::optional<double> p_value;  // when both sides have >= 2 repetitions
  std::size_t base_repetitions = 0;
  std::size_t current_repetitions = 0;
  // better | worse | same | noise (changed beyond the threshold but not significant) | missing | new
  std::string verdict;
  // Both sides have repetitions, but too few for any p-value below alpha: the verdict rests on
  // the change alone (never "noise"). The repetitions per side the test would need.
  std::optional<std::size_t> repetitions_needed;
};

// Throws llmbench::InputError on an unknown metric name.
std::vector<ComparisonRow> compare_reports(const result::RunReport& base, const result::RunReport& current,
                                           const CompareOptions& options);

// When the two reports measured different workloads (result::config_hash of their configs
// differs): a warning naming both hashes and the differing configuration keys; nullopt when equal.
std::optional<std::string> workload_mismatch(const result::RunReport& base, const std::string& base_name,
                                             const result::RunReport& current,
                                             const std::string& current_name);

// The rows as the text and Markdown show them: point, metric, base, current, change, p-value,
// reps, verdict (with the repetitions a significance test would need).
SummaryTable comparison_table(const std::vector<ComparisonRow>& rows);

std::string format_comparison_text(const std::vector<ComparisonRow>& rows, bool color);
std::string format_comparison_markdown(const std::vector<ComparisonRow>& rows);

}  // namespace llmbench::reports
