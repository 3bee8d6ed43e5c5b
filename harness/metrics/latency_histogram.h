#pragma once

#include <boost/histogram.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace llmbench::metrics {

// The span a histogram resolves with bounded relative error. Values below `lowest` or above
// `highest` are still counted (underflow/overflow) and still enter count/min/max/mean/stddev.
struct HistogramRange {
  double lowest = 1e3;    // 1 µs in ns
  double highest = 1e13;  // ~2.8 h in ns

  static HistogramRange latency_ns() { return {1e3, 1e13}; }
  // Token counts per request (1 .. 1e9 tokens).
  static HistogramRange token_count() { return {1.0, 1e9}; }
  // Rates such as per-request output tokens/s (0.001 .. 1e9 per second).
  static HistogramRange rate_per_s() { return {1e-3, 1e9}; }

  friend bool operator==(const HistogramRange&, const HistogramRange&) = default;
};

// A log-bucketed histogram (Boost.Histogram, log-transformed regular axis) whose percentiles
// are within kMaxRelativeError of the exact nearest-rank percentile of the recorded samples,
// plus exact count/min/max and a mergeable mean/variance (Chan et al.'s parallel update).
// One per worker: not thread-safe, no locks. Merge per-worker histograms afterwards.
// Despite the name it holds any positive quantity; the range says which (latency by default).
class LatencyHistogram {
 public:
  static constexpr double kMaxRelativeError = 0.001;

  explicit LatencyHistogram(HistogramRange range = HistogramRange::latency_ns());

  void record(std::int64_t ns) { record_value(static_cast<double>(ns)); }
  void record_value(double value);

  // Adds `other`'s samples. Throws std::invalid_argument when the ranges differ.
  void merge(const LatencyHistogram& other);

  // Nearest-rank percentile, q in [0, 100]: the value of rank max(1, ceil(q/100 * count)).
  // q = 0 gives min and q = 100 gives max exactly; ranks that fall in underflow give min,
  // in overflow give max. Returns 0 on an empty histogram.
  double percentile(double q) const;

  std::uint64_t count() const noexcept { return count_; }
  double min() const noexcept { return count_ ? min_ : 0.0; }
  double max() const noexcept { return count_ ? max_ : 0.0; }
  double mean() const noexcept { return mean_; }
  double stddev() const noexcept;  // population standard deviation
  std::uint64_t underflow() const;
  std::uint64_t overflow() const;
  const HistogramRange& range() const noexcept { return range_; }
  std::size_t bin_count() const noexcept;
  bool empty() const noexcept { return count_ == 0; }

  // Points (value, fraction of samples <= value) for plotting a CDF: one per non-empty bin.
  std::vector<std::pair<double, double>> cdf() const;

  // Sparse JSON: only non-empty bins, as [index, count] pairs; doubles round-trip exactly.
  boost::json::value to_json() const;
  // Throws llmbench::InputError naming `where` and the field on malformed input.
  static LatencyHistogram from_json(const boost::json::value& json, const std::string& where);

  // Exact equality of bins, count, min and max; mean and stddev within a relative 1e-9
  // (floating-point sums depend on the order samples were merged).
  friend bool operator==(const LatencyHistogram& a, const LatencyHistogram& b);

 private:
  using Axis = boost::histogram::axis::regular<double, boost::histogram::axis::transform::log>;
  using Histogram =
      boost::histogram::histogram<std::tuple<Axis>, boost::histogram::dense_storage<std::uint64_t>>;

  double bin_representative(int index) const;

  HistogramRange range_;
  Histogram histogram_;
  std::uint64_t count_ = 0;
  double min_ = 0;
  double max_ = 0;
  double mean_ = 0;
  double m2_ = 0;  // sum of squared deviations from the mean
};

}  // namespace llmbench::metrics
