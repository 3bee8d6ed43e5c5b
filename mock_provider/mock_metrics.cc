#include "mock_provider/mock_metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace llmbench::mock {

namespace {
// vLLM's bucket boundaries (seconds).
constexpr double kTtftBuckets[] = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
                                   0.75,  1.0,   2.5,  5.0,  7.5,  10.0, 20.0, 40.0, 80.0};
constexpr double kItlBuckets[] = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4,
                                  0.5,  0.75,  1.0,  2.5,   5.0, 7.5,  10.0, 20.0, 40.0};
constexpr double kE2eBuckets[] = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0};
}  // namespace

LatencyHistogram::LatencyHistogram(std::span<const double> upper_bounds_seconds) {
  bucket_count_ = std::min(upper_bounds_seconds.size(), kMaxBuckets);
  std::copy_n(upper_bounds_seconds.begin(), bucket_count_, bounds_.begin());
}

void LatencyHistogram::observe_ns(std::int64_t ns) {
  ns = std::max<std::int64_t>(ns, 0);
  const double seconds = static_cast<double>(ns) / 1e9;
  const double* begin = bounds_.data();
  const std::size_t index =
      static_cast<std::size_t>(std::lower_bound(begin, begin + bucket_count_, seconds) - begin);
  counts_[index].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void LatencyHistogram::render(std::string& out, const std::string& name, const std::string& labels) const {
  out += fmt::format("# TYPE {} histogram\n", name);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bucket_count_; ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    out += fmt::format("{}_bucket{{{},le=\"{}\"}} {}\n", name, labels, bounds_[i], cumulative);
  }
  cumulative += counts_[bucket_count_].load(std::memory_order_relaxed);
  out += fmt::format("{}_bucket{{{},le=\"+Inf\"}} {}\n", name, labels, cumulative);
  out += fmt::format("{}_sum{{{}}} {}\n", name, labels,
                     static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9);
  out += fmt::format("{}_count{{{}}} {}\n", name, labels, count_.load(std::memory_order_relaxed));
}

MockMetrics::MockMetrics() : ttft(kTtftBuckets), itl(kItlBuckets), e2e(kE2eBuckets), queue_time(kE2eBuckets) {}

std::string MockMetrics::render(const std::string& model, std::uint32_t running, std::uint32_t waiting,
                                double kv_usage) const {
  const std::string labels = fmt::format("model_name=\"{}\"", model);
  std::string out;
  out += "# HELP vllm:num_requests_running Number of requests in decode slots.\n";
  out += fmt::format("# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{{{}}} {}\n", labels, running);
  out += "# HELP vllm:num_requests_waiting Number of requests waiting for a decode slot.\n";
  out += fmt::format("# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{{{}}} {}\n", labels, waiting);
  auto counter = [&](const char* name, std::uint64_t value, const std::string& extra = {}) {
    out += fmt::format("# TYPE {} counter\n{}{{{}{}}} {}\n", name, name, labels, extra, value);
  };
  // Both names: vLLM's V0 gpu_cache_usage_perc and V1's kv_cache_usage_perc (a fraction, 0-1).
  for (const char* name : {"vllm:gpu_cache_usage_perc", "vllm:kv_cache_usage_perc"}) {
    out += fmt::format("# HELP {} KV-cache usage (1 means 100 percent): running / decode slots.\n", name);
    out += fmt::format("# TYPE {} gauge\n{}{{{}}} {}\n", name, name, labels, kv_usage);
  }
  counter("vllm:num_preemptions_total", 0);  // the mock's slots never preempt a running request
  counter("vllm:prompt_tokens_total", prompt_tokens.load());
  counter("vllm:generation_tokens_total", generation_tokens.load());
  counter("vllm:prefix_cache_queries_total", prefix_cache_queries.load());
  counter("vllm:prefix_cache_hits_total", prefix_cache_hits.load());
  out += "# TYPE vllm:request_success_total counter\n";
  out += fmt::format("vllm:request_success_total{{{},finished_reason=\"stop\"}} {}\n", labels, success_stop.load());
  out += fmt::format("vllm:request_success_total{{{},finished_reason=\"length\"}} {}\n", labels, success_length.load());
  out += fmt::format("vllm:request_success_total{{{},finished_reason=\"abort\"}} {}\n", labels, aborted.load());
  counter("llmbench_mock:rejected_requests_total", rejected.load());
  counter("llmbench_mock:error_responses_total", errors.load());
  ttft.render(out, "vllm:time_to_first_token_seconds", labels);
  itl.render(out, "vllm:inter_token_latency_seconds", labels);
  e2e.render(out, "vllm:e2e_request_latency_seconds", labels);
  queue_time.render(out, "vllm:request_queue_time_seconds", labels);
  return out;
}

}  // namespace llmbench::mock
