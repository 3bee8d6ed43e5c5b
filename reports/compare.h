#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/result/run_report.h"

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
};

// Throws llmbench::InputError on an unknown metric name.
std::vector<ComparisonRow> compare_reports(const result::RunReport& base, const result::RunReport& current,
                                           const CompareOptions& options);

std::string format_comparison_text(const std::vector<ComparisonRow>& rows, bool color);
std::string format_comparison_markdown(const std::vector<ComparisonRow>& rows);

}  // namespace llmbench::reports
