#pragma once

#include <optional>
#include <vector>

namespace llmbench::reports {

struct MannWhitneyResult {
  double u = 0;        // U statistic of the first sample (as scipy.stats.mannwhitneyu returns)
  double p_value = 1;  // two-sided
  bool exact = false;  // exact distribution (small samples without ties) or normal approximation
};

// Two-sided Mann–Whitney U test, as Google Benchmark's compare.py runs over repetitions:
// exact when both samples have at most 8 values and no ties, else the normal approximation
// with tie and continuity corrections (scipy's method="auto"). nullopt when either sample
// has fewer than 2 values.
std::optional<MannWhitneyResult> mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace llmbench::reports
