// Hot-path cost of the metrics layer (Google Benchmark; prints figures, asserts nothing):
//   build/release/bench/metrics_bench
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "harness/metrics/latency_histogram.h"
#include "harness/metrics/metrics_recorder.h"

namespace {

using llmbench::metrics::LatencyHistogram;

std::vector<std::int64_t> latencies(std::size_t n) {
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> dist(std::log(50e6), 1.0);
  std::vector<std::int64_t> v(n);
  for (auto& x : v) x = static_cast<std::int64_t>(dist(rng));
  return v;
}

void BM_HistogramRecord(benchmark::State& state) {
  const auto values = latencies(4096);
  LatencyHistogram h;
  std::size_t i = 0;
  for (auto _ : state) {
    h.record(values[i++ & 4095]);
  }
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramRecord);

void BM_HistogramPercentile(benchmark::State& state) {
  LatencyHistogram h;
  for (auto v : latencies(100'000)) h.record(v);
  for (auto _ : state) benchmark::DoNotOptimize(h.percentile(99));
}
BENCHMARK(BM_HistogramPercentile);

void BM_HistogramMerge(benchmark::State& state) {
  LatencyHistogram a, b;
  for (auto v : latencies(10'000)) b.record(v);
  for (auto _ : state) a.merge(b);
  state.SetItemsProcessed(state.iterations());
  state.counters["bins"] = static_cast<double>(b.bin_count());
}
BENCHMARK(BM_HistogramMerge);

// One streamed request of 64 chunks: the per-request cost a worker pays in record().
void BM_RecorderRecord64Tokens(benchmark::State& state) {
  llmbench::harness::RequestRecord r;
  r.intended_start_ns = 1'000'000;
  r.start_ns = 1'100'000;
  r.first_token_ns = 51'000'000;
  for (int k = 0; k < 64; ++k)
    r.token_ns.push_back(r.first_token_ns + k * 5'000'000LL + (k * 7919) % 100'000);
  r.end_ns = r.token_ns.back() + 100'000;
  r.output_tokens = 64;
  llmbench::metrics::MetricsRecorder recorder;
  for (auto _ : state) recorder.record(r);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecorderRecord64Tokens);

}  // namespace

BENCHMARK_MAIN();
