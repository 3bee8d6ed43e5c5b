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

// The smallest two-sided p-value the test can return for samples of n1 and n2 values: that of
// complete separation (every value of one sample below every value of the other). With 3 and 3
// repetitions it is 2/20 = 0.10, so no result can be significant at alpha 0.05. 1 when either
// sample has fewer than 2 values (no test).
double mann_whitney_min_p_value(std::size_t n1, std::size_t n2);

// The fewest repetitions per side (n and n) whose smallest p-value is below alpha: 4 for 0.05,
// 5 for 0.01. nullopt when none up to 1000 is (alpha 0).
std::optional<std::size_t> mann_whitney_repetitions_needed(double alpha);

}  // namespace llmbench::reports
