// Scenario benchmarks (Google Benchmark; prints figures, asserts nothing): every execution
// model × operation (sync/threaded/coroutine × invoke/stream/batch) in a closed loop of C
// concurrent requests against the mock in a forked child process, so the CPU counters are
// the harness's alone.
//   build/release/bench/scenario_bench [--benchmark_filter=coroutine]
// Mock: TTFT 50 ms, ITL 10 ms, 32 tokens, so one request ideally takes L = 360 ms and C
// requests in flight give C / L requests per second. After one untimed warm-up round of C
// requests, each of 2 iterations sends 4 × C requests (sync: 4, one at a time). 127.0.0.1
// only. Exits 1 when any request failed.
//
// Counters (per benchmark run, all iterations together):
//   req_per_s, tok_per_s     completed requests and output tokens per wall second
//   efficiency               req_per_s / (C / L): 1.0 is the ideal closed loop
//   cpu_us_per_req/_per_tok  harness process CPU (getrusage user+sys) / requests or tokens
//   ttft_err_p50/p99_ms      measured TTFT minus the mock's planned TTFT (a non-streamed
//                            response's first token is its whole body, planned at L)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bench/coroutine_lanes.h"
#include "bench/forked_mock.h"
#include "common/clock.h"
#include "harness/client/client.h"
#include "harness/client/execution_model.h"
#include "harness/client/operation.h"

namespace {

using namespace llmbench;
using namespace llmbench::harness;
using namespace std::chrono_literals;

constexpr auto kTtft = 50ms;
constexpr auto kItl = 10ms;
constexpr std::uint32_t kOutputTokens = 32;
constexpr double kIdealLatencyS = 0.050 + (kOutputTokens - 1) * 0.010;
constexpr std::size_t kRoundsPerIteration = 4;
constexpr std::size_t kCoroutineLoops = 2;

std::string g_base_url;                // set by main once the forked mock listens
std::atomic<std::size_t> g_failed{0};  // over every benchmark: main's exit status

std::int64_t cpu_ns() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto us = [](const timeval& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000 + static_cast<std::int64_t>(t.tv_usec);
  };
  return (us(usage.ru_utime) + us(usage.ru_stime)) * 1'000;
}

double percentile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank =
      static_cast<std::size_t>(std::max(1.0, std::ceil(q / 100.0 * static_cast<double>(values.size()))));
  return values[std::min(values.size(), rank) - 1];
}

// Results of every request of one benchmark run; add() may be called from any thread.
class Tally {
 public:
  explicit Tally(bool streamed)
      : planned_ttft_ns_(streamed ? std::chrono::nanoseconds(kTtft).count()
                                  : static_cast<std::int64_t>(kIdealLatencyS * 1e9)) {}

  void add(const InvokeResult& result) {
    std::lock_guard lock(mutex_);
    if (!result.ok()) {
      if (failed_++ == 0)
        first_error_ = std::string(error_kind_name(result.record.error)) + ": " + result.record.error_message;
      return;
    }
    ++ok_;
    tokens_ += result.record.output_tokens;
    ttft_error_ms_.push_back(
        static_cast<double>(result.record.first_token_ns - result.record.start_ns - planned_ttft_ns_) / 1e6);
  }
  void add_all(const std::vector<InvokeResult>& results) {
    for (const auto& r : results) add(r);
  }

  std::size_t ok() const { return ok_; }
  std::size_t failed() const { return failed_; }
  std::size_t tokens() const { return tokens_; }
  const std::string& first_error() const { return first_error_; }
  std::vector<double>& ttft_error_ms() { return ttft_error_ms_; }

 private:
  std::int64_t planned_ttft_ns_;
  std::mutex mutex_;
  std::size_t ok_ = 0, failed_ = 0, tokens_ = 0;
  std::string first_error_;
  std::vector<double> ttft_error_ms_;
};

Endpoint bench_endpoint() {
  Endpoint endpoint;
  endpoint.base_url = g_base_url;
  endpoint.timeouts.total = 60s;
  return endpoint;
}

ChatRequest bench_request() {
  ChatRequest request;
  request.messages = {{"user", "benchmark"}};
  return request;
}

// One closed-loop round of `requests` requests through the model's own API.
class ScenarioRunner {
 public:
  ScenarioRunner(ExecutionModel model, Operation op, std::size_t concurrency)
      : op_(op), concurrency_(concurrency), request_(bench_request()) {
    client_ = make_client(model, bench_endpoint(), model == ExecutionModel::coroutine ? kCoroutineLoops : concurrency);
  }

  void run(std::size_t requests, Tally& tally) {
    if (op_ == Operation::batch) {
      const std::vector<ChatRequest> batch(requests, request_);
      BatchOptions options;
      options.max_concurrency = concurrency_;
      tally.add_all(client_->batch(batch, options));
      return;
    }
    auto add = [&](const InvokeResult& result) { tally.add(result); };
    bench::run_closed_loop(*client_, concurrency_, requests, request_, op_ == Operation::stream, add);
  }

 private:
  Operation op_;
  std::size_t concurrency_;
  ChatRequest request_;
  std::unique_ptr<Client> client_;
};

void BM_Scenario(benchmark::State& state, ExecutionModel model, Operation op) {
  // The sync model has no concurrency: one request at a time whatever C says.
  const std::size_t concurrency =
      model == ExecutionModel::sync ? 1 : static_cast<std::size_t>(state.range(0));
  const std::size_t requests_per_iteration = kRoundsPerIteration * concurrency;
  ScenarioRunner runner(model, op, concurrency);
  // One untimed round first: connections, threads and lazily bound symbols are set up, so
  // the counters are the steady state a long run sees. Its failures still count.
  Tally warm_up(op == Operation::stream);
  runner.run(concurrency, warm_up);
  g_failed += warm_up.failed();
  Tally tally(op == Operation::stream);
  std::int64_t wall_ns = 0;
  std::int64_t cpu_used_ns = 0;
  for (auto _ : state) {
    const std::int64_t cpu0 = cpu_ns();
    const std::int64_t t0 = steady_now_ns();
    runner.run(requests_per_iteration, tally);
    wall_ns += steady_now_ns() - t0;
    cpu_used_ns += cpu_ns() - cpu0;
  }
  const std::size_t requests = tally.ok() + tally.failed();
  if (tally.failed() > 0) {
    g_failed += tally.failed();
    const std::string message = std::to_string(tally.failed()) + " of " + std::to_string(requests) +
                                " requests failed, first: " + tally.first_error();
    state.SkipWithError(message.c_str());
    return;
  }
  const double seconds = static_cast<double>(wall_ns) / 1e9;
  const double req_per_s = static_cast<double>(tally.ok()) / seconds;
  state.SetItemsProcessed(static_cast<std::int64_t>(tally.ok()));
  state.counters["C"] = static_cast<double>(concurrency);
  state.counters["req_per_s"] = req_per_s;
  state.counters["tok_per_s"] = static_cast<double>(tally.tokens()) / seconds;
  state.counters["efficiency"] = req_per_s / (static_cast<double>(concurrency) / kIdealLatencyS);
  state.counters["cpu_util"] = static_cast<double>(cpu_used_ns) / static_cast<double>(wall_ns);
  state.counters["cpu_us_per_req"] = static_cast<double>(cpu_used_ns) / 1e3 / static_cast<double>(tally.ok());
  state.counters["cpu_us_per_tok"] =
      tally.tokens() == 0 ? 0.0
                          : static_cast<double>(cpu_used_ns) / 1e3 / static_cast<double>(tally.tokens());
  state.counters["ttft_err_p50_ms"] = percentile(tally.ttft_error_ms(), 50);
  state.counters["ttft_err_p99_ms"] = percentile(tally.ttft_error_ms(), 99);
}

void register_scenarios() {
  for (const auto model : {ExecutionModel::sync, ExecutionModel::threaded, ExecutionModel::coroutine}) {
    for (const auto op : {Operation::invoke, Operation::stream, Operation::batch}) {
      const std::string name =
          "scenario/" + std::string(execution_model_name(model)) + "/" + std::string(operation_name(op));
      auto* b = benchmark::RegisterBenchmark(name.c_str(), BM_Scenario, model, op);
      b->ArgName("C")->UseRealTime()->MeasureProcessCPUTime()->Iterations(2)->Unit(benchmark::kMillisecond);
      if (model == ExecutionModel::sync) {
        b->Arg(1);
      } else {
        b->Arg(1)->Arg(16)->Arg(256);
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists: the child must be a clean copy of this process.
  mock::raise_open_file_limit();
  std::optional<bench::ForkedMock> mock;
  try {
    mock.emplace(mock::MockConfig::fixed_latency(kTtft, kItl, kOutputTokens));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "scenario_bench: %s\n", e.what());
    return 1;
  }
  g_base_url = mock->base_url();

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  register_scenarios();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  mock.reset();
  if (g_failed > 0) {
    std::fprintf(stderr, "scenario_bench: %zu requests failed\n", g_failed.load());
    return 1;
  }
  return 0;
}
