#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace llmbench::load {

// An approximate latency histogram that any number of workers record into without a lock
// (one relaxed atomic increment), for the live progress line only: buckets 2% wide from
// 1 µs to ~3 h. The report's percentiles come from the exact per-worker histograms.
class LiveHistogram {
 public:
  void record(std::int64_t ns) {
    buckets_[bucket_of(ns)].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
  }

  // Only while nobody records (between steps).
  void reset() {
    for (auto& b : buckets_) b.store(0, std::memory_order_relaxed);
    count_.store(0, std::memory_order_relaxed);
  }

  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

  // Nearest-rank percentile in ns (the bucket's upper edge: never understated by more than
  // the bucket width); 0 when empty. Samples recorded meanwhile may or may not be seen.
  double percentile(double q) const {
    std::uint64_t total = 0;
    std::array<std::uint64_t, kBuckets> counts{};
    for (std::size_t i = 0; i < kBuckets; ++i)
      total += counts[i] = buckets_[i].load(std::memory_order_relaxed);
    if (total == 0) return 0;
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q / 100.0 * total)));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      seen += counts[i];
      if (seen >= rank) return kLowestNs * std::pow(kGrowth, static_cast<double>(i + 1));
    }
    return kLowestNs * std::pow(kGrowth, static_cast<double>(kBuckets));
  }

 private:
  static constexpr double kLowestNs = 1e3;
  static constexpr double kGrowth = 1.02;
  static constexpr std::size_t kBuckets = 1200;  // 1.02^1200 * 1 µs ~ 2.3e10 µs

  static std::size_t bucket_of(std::int64_t ns) {
    if (static_cast<double>(ns) <= kLowestNs) return 0;
    const double index = std::floor(std::log(static_cast<double>(ns) / kLowestNs) / std::log(kGrowth));
    return std::min<std::size_t>(kBuckets - 1, static_cast<std::size_t>(index));
  }

  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
  std::atomic<std::uint64_t> count_{0};
};

}  // namespace llmbench::load
