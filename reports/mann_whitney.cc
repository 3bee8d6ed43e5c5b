#include "reports/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace llmbench::reports {

namespace {

// Number of orderings of n1 + n2 distinct values whose U statistic equals u, for all u:
// f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u).
std::vector<double> u_counts(int n1, int n2) {
  const int max_u = n1 * n2;
  std::vector<std::vector<std::vector<double>>> f(
      static_cast<std::size_t>(n1 + 1),
      std::vector<std::vector<double>>(static_cast<std::size_t>(n2 + 1),
                                       std::vector<double>(static_cast<std::size_t>(max_u + 1), 0.0)));
  for (int i = 0; i <= n1; ++i) {
    for (int j = 0; j <= n2; ++j) {
      auto& cell = f[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
      if (i == 0 || j == 0) {
        cell[0] = 1;
        continue;
      }
      for (int u = 0; u <= i * j; ++u) {
        double count =
            f[static_cast<std::size_t>(i)][static_cast<std::size_t>(j - 1)][static_cast<std::size_t>(u)];
        if (u >= j)
          count += f[static_cast<std::size_t>(i - 1)][static_cast<std::size_t>(j)]
                    [static_cast<std::size_t>(u - j)];
        cell[static_cast<std::size_t>(u)] = count;
      }
    }
  }
  return f[static_cast<std::size_t>(n1)][static_cast<std::size_t>(n2)];
}

}  // namespace

std::optional<MannWhitneyResult> mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() < 2 || b.size() < 2) return std::nullopt;
  const std::size_t n1 = a.size(), n2 = b.size(), n = n1 + n2;
  std::vector<std::pair<double, int>> all;
  for (double v : a) all.emplace_back(v, 0);
  for (double v : b) all.emplace_back(v, 1);
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.first < y.first; });

  // Average ranks for ties; the tie term feeds the variance correction.
  double rank_sum_a = 0, tie_term = 0;
  bool ties = false;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && all[j + 1].first == all[i].first) ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j + 1)) / 2.0;
    const double t = static_cast<double>(j - i + 1);
    if (t > 1) {
      ties = true;
      tie_term += t * t * t - t;
    }
    for (std::size_t k = i; k <= j; ++k) {
      if (all[k].second == 0) rank_sum_a += rank;
    }
    i = j + 1;
  }
  const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2), dn = static_cast<double>(n);
  MannWhitneyResult r;
  r.u = rank_sum_a - dn1 * (dn1 + 1) / 2;

  if (n1 <= 8 && n2 <= 8 && !ties) {
    const std::vector<double> counts = u_counts(static_cast<int>(n1), static_cast<int>(n2));
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    const auto u = static_cast<std::size_t>(std::llround(r.u));
    double below = 0, above = 0;  // P(U <= u), P(U >= u)
    for (std::size_t k = 0; k < counts.size(); ++k) {
      if (k <= u) below += counts[k];
      if (k >= u) above += counts[k];
    }
    r.p_value = std::min(1.0, 2 * std::min(below, above) / total);
    r.exact = true;
    return r;
  }
  const double mean = dn1 * dn2 / 2;
  const double variance = dn1 * dn2 / 12 * ((dn + 1) - tie_term / (dn * (dn - 1)));
  if (!(variance > 0)) {
    r.p_value = 1;  // every value equal: no evidence of a difference
    return r;
  }
  const double z = std::max(0.0, std::fabs(r.u - mean) - 0.5) / std::sqrt(variance);
  r.p_value = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return r;
}

double mann_whitney_min_p_value(std::size_t n1, std::size_t n2) {
  if (n1 < 2 || n2 < 2) return 1;
  std::vector<double> a(n1), b(n2);
  std::iota(a.begin(), a.end(), 0.0);
  std::iota(b.begin(), b.end(), static_cast<double>(n1));
  return mann_whitney_u(a, b)->p_value;
}

std::optional<std::size_t> mann_whitney_repetitions_needed(double alpha) {
  for (std::size_t n = 2; n <= 1000; ++n) {
    if (mann_whitney_min_p_value(n, n) < alpha) return n;
  }
  return std::nullopt;
}

}  // namespace llmbench::reports
