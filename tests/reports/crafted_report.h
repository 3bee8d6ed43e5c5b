#pragma once

// A deterministic, hand-shaped RunReport for gold-file, compare, gate and merge tests.
// Only std::mt19937_64's raw output is used (its sequence is fixed by the standard, unlike
// std's distributions), so the report is the same on every platform.
#include <boost/json.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "harness/metrics/metrics_recorder.h"
#include "harness/result/run_report.h"

namespace llmbench::testing {

constexpr std::int64_t kMs = 1'000'000;

struct StepShape {
  double concurrency = 1;
  std::int64_t ttft_ms = 50;
  std::int64_t itl_ms = 5;
  int requests = 200;
  int fail_every = 0;  // every n-th request fails (http_429); 0: none
  std::uint64_t seed = 1;
  double latency_scale = 1.0;  // multiplies every latency (a "slower build")
};

inline std::vector<harness::RequestRecord> crafted_records(const StepShape& shape) {
  std::mt19937_64 rng(shape.seed);
  auto jitter = [&](std::int64_t max_ns) {
    return static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(max_ns));
  };
  std::vector<harness::RequestRecord> records;
  std::int64_t clock = 1'000'000 * kMs;
  for (int i = 0; i < shape.requests; ++i) {
    harness::RequestRecord r;
    r.index = static_cast<std::uint64_t>(i);
    r.intended_start_ns = clock;
    r.start_ns = clock + jitter(kMs / 2);
    clock += 10 * kMs;
    if (shape.fail_every > 0 && i % shape.fail_every == shape.fail_every - 1) {
      r.end_ns = r.start_ns + 2 * kMs;
      r.http_status = 429;
      r.error = harness::ErrorKind::http_429;
      r.error_message = "HTTP 429: Rate limit reached for requests";
      r.retries = 1;
      records.push_back(r);
      continue;
    }
    const auto scaled = [&](std::int64_t ns) {
      return static_cast<std::int64_t>(static_cast<double>(ns) * shape.latency_scale);
    };
    r.first_token_ns = r.start_ns + scaled(shape.ttft_ms * kMs + jitter(20 * kMs));
    const auto tokens = static_cast<std::uint32_t>(16 + rng() % 49);
    std::int64_t t = r.first_token_ns;
    for (std::uint32_t k = 0; k < tokens; ++k) {
      if (k > 0) t += scaled(shape.itl_ms * kMs + jitter(2 * kMs));
      r.token_ns.push_back(t);
    }
    r.end_ns = t + kMs / 10;
    r.output_tokens = tokens;
    r.prompt_tokens = 128;
    r.usage_reported = true;
    r.http_status = 200;
    r.finish_reason = "stop";
    records.push_back(r);
  }
  return records;
}

inline metrics::StepMetrics crafted_metrics(const StepShape& shape, const metrics::Slo& slo = {}) {
  metrics::MetricsRecorder recorder(slo);
  const std::vector<harness::RequestRecord> records = crafted_records(shape);
  for (const auto& r : records) recorder.record(r);
  // The window a closed loop of C users needs for these requests at their mean latency.
  const double duration =
      static_cast<double>(shape.requests) / shape.concurrency * recorder.distributions().e2e.mean() / 1e9;
  metrics::StepMetrics m =
      recorder.summarize({.duration_s = duration, .concurrency = shape.concurrency, .target_rate_rps = {}});
  for (const auto& r : records) m.time_series.record(r, records.front().intended_start_ns);
  return m;
}

inline result::StepResult crafted_step(const StepShape& shape, int repetition = 0,
                                       const metrics::Slo& slo = {}) {
  result::StepResult step;
  step.sweep_parameter = "concurrency";
  step.sweep_value = shape.concurrency;
  step.repetition = repetition;
  step.started_at = "2026-01-02T03:04:05Z";
  step.stop_reason = result::StopReason::requests;
  step.metrics = crafted_metrics(shape, slo);
  std::mt19937_64 rng(shape.seed * 31 + 7);
  for (int i = 0; i < 50; ++i) step.schedule_lag.record(static_cast<std::int64_t>(20'000 + rng() % 200'000));
  return step;
}

inline result::Environment crafted_environment() {
  result::Environment env;
  env.host = "bench-host";
  env.cpu_model = "Test CPU @ 3.00GHz";
  env.cpu_count = 2;
  env.os = "Linux";
  env.kernel = "6.1.0-test";
  env.build_flavor = "Release";
  env.tool_version = "0.1.0";
  env.compiler = "gcc 12.2.0";
  return env;
}

// Two swept closed-loop scenarios (sync vs coroutine) and one unswept with failures and an SLO.
// `scale` slows every latency (for compare/gate tests); `seed_offset` changes the noise.
inline result::RunReport crafted_report(double scale = 1.0, std::uint64_t seed_offset = 0,
                                        int repetitions = 1) {
  result::RunReport report;
  report.tool_version = "0.1.0";
  report.started_at = "2026-01-02T03:04:05Z";
  report.environment = crafted_environment();
  report.config =
      boost::json::object{{"suite", "crafted"}, {"target", boost::json::object{{"kind", "mock"}}}};
  const harness::ExecutionModel modes[] = {harness::ExecutionModel::sync, harness::ExecutionModel::coroutine};
  for (int m = 0; m < 2; ++m) {
    result::ScenarioResult s;
    s.name = "stream-" + std::string(to_name(modes[m]));
    s.mode = modes[m];
    s.operation = harness::Operation::stream;
    s.load_model = result::LoadPattern::closed;
    for (double c : {1.0, 4.0, 16.0}) {
      for (int rep = 0; rep < repetitions; ++rep) {
        StepShape shape;
        shape.concurrency = c;
        shape.ttft_ms = 50 + static_cast<std::int64_t>(c) * (m == 0 ? 4 : 1);
        shape.seed = static_cast<std::uint64_t>(c * 10 + m) + seed_offset * 1000 +
                     static_cast<std::uint64_t>(rep) * 101;
        shape.latency_scale = scale;
        shape.requests = 120;
        result::StepResult step = crafted_step(shape, rep);
        step.reference.ttft_ms = 50;
        step.reference.e2e_ms = 50 + 5 * 39.5;
        s.steps.push_back(std::move(step));
      }
    }
    report.scenarios.push_back(std::move(s));
  }
  result::ScenarioResult invoke;
  invoke.name = "invoke-threaded";
  invoke.mode = harness::ExecutionModel::threaded;
  invoke.operation = harness::Operation::invoke;
  invoke.load_model = result::LoadPattern::poisson;
  StepShape shape;
  shape.concurrency = 8;
  shape.fail_every = 25;
  shape.seed = 99 + seed_offset * 1000;
  shape.latency_scale = scale;
  for (int rep = 0; rep < repetitions; ++rep) {
    shape.seed += static_cast<std::uint64_t>(rep) * 101;
    result::StepResult step =
        crafted_step(shape, rep, metrics::Slo{.ttft_ms = 60, .tpot_ms = {}, .e2e_ms = 500});
    step.sweep_parameter = "";
    step.sweep_value = 0;
    step.metrics.timing.target_rate_rps = 20;
    step.metrics.throughput =
        metrics::compute_throughput(step.metrics.counts, step.metrics.timing, step.metrics.slo);
    invoke.steps.push_back(std::move(step));
  }
  report.scenarios.push_back(std::move(invoke));
  return report;
}

// One scenario, one point, one repetition per throughput value (1,000 requests each): input for
// the significance tests of compare and gate.
inline result::RunReport throughput_report(const std::vector<double>& requests_per_s) {
  result::RunReport report = crafted_report();
  result::ScenarioResult scenario = report.scenarios[0];
  scenario.steps.clear();
  int rep = 0;
  for (double rps : requests_per_s) {
    result::StepResult step = crafted_step({.concurrency = 4, .requests = 50, .seed = 5});
    step.repetition = rep++;
    step.metrics.counts.ok = step.metrics.counts.total = 1000;
    step.metrics.timing.duration_s = 1000 / rps;
    step.metrics.throughput =
        metrics::compute_throughput(step.metrics.counts, step.metrics.timing, step.metrics.slo);
    scenario.steps.push_back(step);
  }
  report.scenarios = {scenario};
  return report;
}

}  // namespace llmbench::testing
