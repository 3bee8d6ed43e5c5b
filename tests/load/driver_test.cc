// End-to-end: the drivers against the embedded mock over loopback, in every mode.
#include "harness/load/driver.h"

#include <gtest/gtest.h>

#include <memory>

#include "common/interrupt.h"
#include "harness/load/schedule.h"
#include "mock_provider/mock_config_file.h"
#include "mock_provider/mock_server.h"
#include "tests/load/hooked_prompts.h"

namespace llmbench::load {
namespace {

using namespace std::chrono_literals;
constexpr double kMs = 1e6;
using testing::HookedPrompts;

std::unique_ptr<mock::MockServer> start_mock(std::chrono::nanoseconds ttft, std::chrono::nanoseconds itl,
                                             std::uint32_t tokens) {
  mock::MockConfig config = mock::MockConfig::fixed_latency(ttft, itl, tokens);
  config.port = 0;
  auto server = std::make_unique<mock::MockServer>(config);
  server->start();
  return server;
}

DriverConfig config_for(const mock::MockServer& server, harness::ExecutionModel mode, Operation op,
                        const PromptSource& prompts) {
  DriverConfig config;
  config.mode = mode;
  config.operation = op;
  config.endpoint.base_url = server.base_url();
  config.endpoint.timeouts.total = 20s;
  config.event_loops = 2;
  config.batch_size = 4;
  config.prompts = &prompts;
  return config;
}

struct ModeOp {
  harness::ExecutionModel mode;
  Operation op;
};

class FixedLatencyTest : public ::testing::TestWithParam<ModeOp> {
 protected:
  void SetUp() override { reset_interrupt_for_testing(); }
};

// Mock: TTFT 50 ms, then 7 more tokens 5 ms apart → e2e 85 ms. Measured values must land
// between the configured value and it plus 100 ms (loopback and harness overhead).
TEST_P(FixedLatencyTest, MeasuredLatencyMatchesTheConfiguredMock) {
  const auto server = start_mock(50ms, 5ms, 8);
  const HookedPrompts prompts(nullptr);
  const DriverConfig config = config_for(*server, GetParam().mode, GetParam().op, prompts);
  LoadPlan plan;
  plan.concurrency = GetParam().mode == harness::ExecutionModel::sync ? 1 : 4;
  plan.requests = GetParam().op == Operation::batch ? 3 : 12;  // batch: 3 calls of 4
  plan.warmup_requests = 1;
  Schedule schedule(plan, steady_time_source());
  const StepOutcome outcome = run_step(config, schedule, nullptr);

  const auto& counts = outcome.recorder.counts();
  EXPECT_EQ(counts.total, 12u);  // warm-up excluded
  EXPECT_EQ(counts.ok, 12u);
  EXPECT_EQ(schedule.stop_reason(), StopReason::requests);
  const auto& d = outcome.recorder.distributions();
  EXPECT_GE(d.e2e.percentile(50), 85 * kMs);
  EXPECT_LE(d.e2e.percentile(50), 185 * kMs);
  EXPECT_LE(d.e2e.percentile(100), 400 * kMs);
  if (GetParam().op == Operation::stream) {
    EXPECT_GE(d.ttft.percentile(50), 50 * kMs);
    EXPECT_LE(d.ttft.percentile(50), 150 * kMs);
    // Per-token gaps: the mock sends on an absolute schedule, so a token delayed by a busy
    // machine is followed by a shorter gap; bounds are generous and TPOT (per request) is the
    // steadier figure: (e2e - ttft) / 7 gaps of 5 ms.
    EXPECT_GT(d.itl.percentile(50), 0);
    EXPECT_LE(d.itl.percentile(50), 55 * kMs);
    EXPECT_GE(d.tpot.percentile(50), 2.5 * kMs);
    EXPECT_LE(d.tpot.percentile(50), 55 * kMs);
    EXPECT_EQ(d.output_tokens.percentile(50), 8);
  }
  EXPECT_GT(outcome.window_s(), 0.0);
  EXPECT_EQ(outcome.sends, 12u);
}

std::string mode_op_name(const ::testing::TestParamInfo<ModeOp>& param_info) {
  return std::string(harness::execution_model_name(param_info.param.mode)) + "_" +
         std::string(operation_name(param_info.param.op));
}

INSTANTIATE_TEST_SUITE_P(EveryModeAndOperation, FixedLatencyTest,
                         ::testing::Values(ModeOp{harness::ExecutionModel::sync, Operation::invoke},
                                           ModeOp{harness::ExecutionModel::sync, Operation::stream},
                                           ModeOp{harness::ExecutionModel::sync, Operation::batch},
                                           ModeOp{harness::ExecutionModel::threaded, Operation::invoke},
                                           ModeOp{harness::ExecutionModel::threaded, Operation::stream},
                                           ModeOp{harness::ExecutionModel::threaded, Operation::batch},
                                           ModeOp{harness::ExecutionModel::coroutine, Operation::invoke},
                                           ModeOp{harness::ExecutionModel::coroutine, Operation::stream},
                                           ModeOp{harness::ExecutionModel::coroutine, Operation::batch}),
                         mode_op_name);

// Closed loop at concurrency C against a fixed latency L completes near C / L.
TEST(ClosedLoop, ThroughputIsNearConcurrencyOverLatency) {
  reset_interrupt_for_testing();
  const auto server = start_mock(40ms, 5ms, 5);  // L = 60 ms
  const HookedPrompts prompts(nullptr);
  DriverConfig config = config_for(*server, harness::ExecutionModel::coroutine, Operation::stream, prompts);
  config.slo.ttft_ms = 30;  // below the mock's 40 ms: no request is good
  LoadPlan plan;
  plan.concurrency = 8;
  plan.requests = 80;
  Schedule schedule(plan, steady_time_source());
  const StepOutcome outcome = run_step(config, schedule, nullptr);
  const double rps = static_cast<double>(outcome.recorder.counts().ok) / outcome.window_s();
  EXPECT_LE(rps, 8 / 0.060 * 1.05);               // cannot beat C / L
  EXPECT_GE(rps, 8 / 0.060 * 0.5);                // generous: a loaded CI machine
  EXPECT_EQ(outcome.recorder.slo(), config.slo);  // the workers' SLO survives the merge
  EXPECT_EQ(outcome.recorder.counts().good, 0u);
}

TEST(OpenLoop, UncappedCoroutineDeliversTheScheduledArrivals) {
  reset_interrupt_for_testing();
  const auto server = start_mock(5ms, 1ms, 4);
  const HookedPrompts prompts(nullptr);
  const DriverConfig config =
      config_for(*server, harness::ExecutionModel::coroutine, Operation::stream, prompts);
  LoadPlan plan;
  plan.model = LoadModel::open_loop;
  plan.rate = 100;
  plan.concurrency = 0;
  plan.duration = 1s;
  Schedule schedule(plan, steady_time_source());
  const StepOutcome outcome = run_step(config, schedule, nullptr);
  EXPECT_EQ(outcome.sends, 99u);  // arrivals at 10, 20, ..., 990 ms
  EXPECT_EQ(outcome.recorder.counts().ok, 99u);
  EXPECT_NEAR(outcome.delivered_rate(), 100, 10);
  EXPECT_EQ(outcome.schedule_lag.count(), 99u);
  EXPECT_LT(outcome.schedule_lag.percentile(50), 20 * kMs);
}

// wrw2's stalled server: one request takes 1 s while a capped open loop keeps its schedule.
// Latency from the intended start (corrected) grows for every request queued behind the
// stall; latency from the actual send (uncorrected) stays at the mock's few milliseconds.
TEST(OpenLoop, StalledServerShowsInCorrectedButNotUncorrectedLatency) {
  reset_interrupt_for_testing();
  const auto server = start_mock(5ms, 1ms, 4);
  const HookedPrompts prompts([](std::uint64_t index, harness::ChatRequest& request) {
    if (index == 10) request.headers.emplace_back("x-mock-ttft-ms", "1000");
  });
  const DriverConfig config =
      config_for(*server, harness::ExecutionModel::coroutine, Operation::invoke, prompts);
  LoadPlan plan;
  plan.model = LoadModel::open_loop;
  plan.rate = 50;
  plan.concurrency = 1;  // one user: the stall blocks the schedule
  plan.requests = 60;
  Schedule schedule(plan, steady_time_source());
  const StepOutcome outcome = run_step(config, schedule, nullptr);
  const auto& d = outcome.recorder.distributions();
  ASSERT_EQ(outcome.recorder.counts().ok, 60u);
  EXPECT_LT(d.e2e.percentile(75), 100 * kMs);
  EXPECT_GT(d.e2e_corrected.percentile(75), 300 * kMs);
  EXPECT_GT(d.queue_wait.percentile(75), 300 * kMs);
  EXPECT_GT(outcome.schedule_lag.percentile(75), 300 * kMs);
  EXPECT_GE(d.e2e.max(), 1000 * kMs);  // the stalled request itself
}

TEST(MaxErrors, StopsTheStepAsFailed) {
  reset_interrupt_for_testing();
  mock::MockConfig mock_config = mock::MockConfig::fixed_latency(1ms, 1ms, 2);
  mock_config.port = 0;
  mock::add_fault_spec(mock_config, "500=1");
  mock::MockServer server(mock_config);
  server.start();
  const HookedPrompts prompts(nullptr);
  const DriverConfig config =
      config_for(server, harness::ExecutionModel::threaded, Operation::invoke, prompts);
  LoadPlan plan;
  plan.concurrency = 2;
  plan.requests = 1000;
  plan.max_errors = 5;
  Schedule schedule(plan, steady_time_source());
  const StepOutcome outcome = run_step(config, schedule, nullptr);
  EXPECT_EQ(schedule.stop_reason(), StopReason::max_errors);
  EXPECT_GE(outcome.recorder.counts().errors(harness::ErrorKind::http_5xx), 5u);
  EXPECT_LE(outcome.recorder.counts().total, 7u);  // at most one more per user in flight
  EXPECT_EQ(outcome.recorder.counts().ok, 0u);
}

TEST(DriverConfigCheck, RejectsImpossibleCombinations) {
  const HookedPrompts prompts(nullptr);
  DriverConfig config;
  config.prompts = &prompts;
  config.mode = harness::ExecutionModel::sync;
  LoadPlan plan;
  plan.requests = 1;
  plan.concurrency = 2;
  try {
    check_driver_config(config, plan);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("sync mode runs requests one after another"), std::string::npos);
  }
  config.mode = harness::ExecutionModel::threaded;
  plan.model = LoadModel::open_loop;
  plan.rate = 5;
  plan.concurrency = 0;
  EXPECT_THROW(check_driver_config(config, plan), std::invalid_argument);
  config.operation = Operation::batch;
  plan.concurrency = 2;
  EXPECT_THROW(check_driver_config(config, plan), std::invalid_argument);
}

}  // namespace
}  // namespace llmbench::load
