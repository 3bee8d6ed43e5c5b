#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string>

namespace llmbench::mock {

// A Prometheus histogram with fixed buckets, updated lock-free from any engine thread.
class LatencyHistogram {
 public:
  static constexpr std::size_t kMaxBuckets = 24;
  explicit LatencyHistogram(std::span<const double> upper_bounds_seconds);
  void observe_ns(std::int64_t ns);
  // Appends the _bucket/_sum/_count lines for `name` with `labels` ("model_name=\"m\"").
  void render(std::string& out, const std::string& name, const std::string& labels) const;

 private:
  std::array<double, kMaxBuckets> bounds_{};
  std::size_t bucket_count_ = 0;
  std::array<std::atomic<std::uint64_t>, kMaxBuckets + 1> counts_{};  // last: +Inf only
  std::atomic<std::uint64_t> sum_ns_{0};
  std::atomic<std::uint64_t> count_{0};
};

// What /metrics exposes, under vLLM's metric names so Prometheus dashboards for vLLM work.
// Times are the mock's planned times (arrival to scheduled first token, etc.).
struct MockMetrics {
  MockMetrics();
  LatencyHistogram ttft;
  LatencyHistogram itl;
  LatencyHistogram e2e;
  LatencyHistogram queue_time;
  std::atomic<std::uint64_t> prompt_tokens{0};
  // Prefix cache, in prompt tokens as vLLM counts them: looked up, and found cached.
  std::atomic<std::uint64_t> prefix_cache_queries{0};
  std::atomic<std::uint64_t> prefix_cache_hits{0};
  std::atomic<std::uint64_t> generation_tokens{0};
  std::atomic<std::uint64_t> success_stop{0};
  std::atomic<std::uint64_t> success_length{0};
  std::atomic<std::uint64_t> aborted{0};    // faults that cut a response
  std::atomic<std::uint64_t> rejected{0};   // 429 (queue full, rate limit, fault)
  std::atomic<std::uint64_t> errors{0};     // other error responses

  // `kv_usage`: the fraction of the KV cache in use, 0-1; the mock's is its slot model's
  // running / decode_slots (0 with unlimited slots).
  std::string render(const std::string& model, std::uint32_t running, std::uint32_t waiting,
                     double kv_usage = 0) const;
};

}  // namespace llmbench::mock
