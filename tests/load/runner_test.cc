// The runner end to end: suite → a mock the test starts (as cli/run_command.cc does) → RunReport → report.json.
#include "harness/load/runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/exit_codes.h"
#include "common/input_error.h"
#include "common/interrupt.h"
#include "common/atomic_file.h"
#include "harness/result/report_json.h"
#include "mock_provider/mock_config_file.h"
#include "mock_provider/mock_server.h"
#include "tests/load/hooked_prompts.h"
#include "tests/support/sanitizers.h"

namespace llmbench::load {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reset_interrupt_for_testing();
    out_ =
        fs::temp_directory_path() /
        ("llmbench_runner_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
         "_" + std::to_string(::getpid()));
    fs::remove_all(out_);
  }
  void TearDown() override {
    reset_interrupt_for_testing();
    fs::remove_all(out_);
  }

  static SuiteSpec suite_with(std::vector<ScenarioSpec> scenarios) {
    SuiteSpec suite;
    suite.name = "test";
    suite.source = "runner_test";
    suite.scenarios = std::move(scenarios);
    return suite;
  }

  static ScenarioSpec scenario(std::string name, harness::ExecutionModel mode, Operation op) {
    ScenarioSpec s;
    s.name = std::move(name);
    s.mode = mode;
    s.operation = op;
    s.threads = 1;
    s.timeouts.total = 20s;
    return s;
  }

  RunOptions options() const { return {}; }

  // run_suite against mock_, then report.json into out_ as `llmbench run` writes it
  // (cli/run_command.cc). The latency reference is mock_'s when it is fixed, as the CLI's.
  RunOutcome run_suite(const SuiteSpec& suite, RunOptions o) const {
    mock::MockServer server(mock_);
    server.start();
    o.embedded = EmbeddedTarget{server.base_url(), {}, std::nullopt};
    if (mock_.ttft.is_fixed() && mock_.itl.is_fixed() && mock_.output_tokens.is_fixed()) {
      o.embedded->latency = KnownLatency{mock_.ttft.a, mock_.itl.a, mock_.output_tokens.a};
    }
    RunOutcome outcome = load::run_suite(suite, o);
    fs::create_directories(out_);
    write_file_atomically(out_ / "report.json", result::to_json_text(outcome.report));
    return outcome;
  }

  fs::path out_;
  mock::MockConfig mock_ = [] {
    mock::MockConfig config = mock::MockConfig::fixed_latency(10ms, 2ms, 4);
    config.port = 0;
    return config;
  }();
};

TEST_F(RunnerTest, SweepProducesOneStepPerValueAndWritesReportJson) {
  ScenarioSpec s = scenario("sweep", harness::ExecutionModel::coroutine, Operation::stream);
  s.plan.requests = 8;
  s.sweep_parameter = "concurrency";
  s.sweep_values = {1, 4};
  const RunOutcome outcome = run_suite(suite_with({s}), options());
  EXPECT_EQ(outcome.exit_code, kExitOk);
  ASSERT_EQ(outcome.report.scenarios.size(), 1u);
  const auto& steps = outcome.report.scenarios[0].steps;
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].sweep_parameter, "concurrency");
  EXPECT_EQ(steps[1].sweep_value, 4);
  EXPECT_EQ(steps[1].metrics.timing.concurrency, 4);
  EXPECT_EQ(steps[1].metrics.counts.ok, 8u);
  EXPECT_EQ(steps[0].stop_reason, result::StopReason::requests);
  // The mock's configured latency travels with the step for efficiency ratios.
  ASSERT_TRUE(steps[0].reference.ttft_ms.has_value());
  EXPECT_EQ(*steps[0].reference.ttft_ms, 10.0);
  EXPECT_EQ(*steps[0].reference.e2e_ms, 16.0);

  const auto loaded = result::load_report_file((out_ / "report.json").string());
  EXPECT_FALSE(loaded.interrupted);
  ASSERT_EQ(loaded.scenarios.size(), 1u);
  EXPECT_EQ(loaded.scenarios[0].steps.size(), 2u);
  EXPECT_EQ(loaded.scenarios[0].mode, harness::ExecutionModel::coroutine);
  EXPECT_EQ(loaded.scenarios[0].load_model, result::LoadPattern::closed);
}

TEST_F(RunnerTest, InterruptWritesAPartialReportMarkedInterrupted) {
  ScenarioSpec long_run = scenario("long", harness::ExecutionModel::threaded, Operation::invoke);
  long_run.plan.concurrency = 2;
  long_run.plan.duration = 600s;  // only the interrupt ends it
  ScenarioSpec never = scenario("never-runs", harness::ExecutionModel::sync, Operation::invoke);
  never.plan.requests = 5;
  // Ctrl-C arrives as request 30 is built: deterministic, no sleeping.
  const testing::HookedPrompts prompts([](std::uint64_t index, harness::ChatRequest&) {
    if (index == 30) request_interrupt();
  });
  RunOptions o = options();
  o.prompts = &prompts;
  const RunOutcome outcome = run_suite(suite_with({long_run, never}), o);
  EXPECT_EQ(outcome.exit_code, kExitInterrupted);
  EXPECT_TRUE(outcome.report.interrupted);
  ASSERT_EQ(outcome.report.scenarios.size(), 1u);
  const auto& step = outcome.report.scenarios[0].steps.at(0);
  EXPECT_TRUE(step.interrupted);
  EXPECT_EQ(step.stop_reason, result::StopReason::interrupted);
  EXPECT_GE(step.metrics.counts.ok, 25u);  // what was measured before the stop is kept
  EXPECT_EQ(step.metrics.counts.errors(harness::ErrorKind::cancelled), 0u);

  const auto loaded = result::load_report_file((out_ / "report.json").string());
  EXPECT_TRUE(loaded.interrupted);
  EXPECT_EQ(loaded.scenarios.size(), 1u);
}

TEST_F(RunnerTest, MaxErrorStopExitsOneAndStillReports) {
  ScenarioSpec s = scenario("failing", harness::ExecutionModel::coroutine, Operation::invoke);
  s.plan.concurrency = 2;
  s.plan.requests = 500;
  s.plan.max_errors = 3;
  SuiteSpec suite = suite_with({s});
  mock::add_fault_spec(mock_, "503=1");
  const RunOutcome outcome = run_suite(suite, options());
  EXPECT_EQ(outcome.exit_code, kExitRunFailed);
  EXPECT_EQ(outcome.report.scenarios.at(0).steps.at(0).stop_reason, result::StopReason::max_errors);
  EXPECT_TRUE(fs::exists(out_ / "report.json"));
}

// docs/cli.md: a step that issued requests and had no success fails the run (exit 1), the
// later scenarios still run and every report is written.
TEST_F(RunnerTest, StepWithoutAnySuccessExitsOneAndStillRunsTheRestAndReports) {
  ScenarioSpec failing = scenario("failing", harness::ExecutionModel::threaded, Operation::invoke);
  failing.plan.concurrency = 2;
  failing.plan.requests = 6;
  failing.headers.push_back({"x-mock-fault", "500"});
  ScenarioSpec fine = scenario("fine", harness::ExecutionModel::coroutine, Operation::invoke);
  fine.plan.requests = 2;
  const RunOutcome outcome = run_suite(suite_with({failing, fine}), options());
  EXPECT_EQ(outcome.exit_code, kExitRunFailed);
  ASSERT_TRUE(outcome.unsuccessful.has_value());
  EXPECT_EQ(outcome.unsuccessful->label, "failing [1/1]");
  EXPECT_EQ(outcome.unsuccessful->top_error_kind, "http_5xx");
  EXPECT_EQ(outcome.unsuccessful->top_error_count, 6u);
  ASSERT_EQ(outcome.report.scenarios.size(), 2u) << "a step without successes does not stop the suite";
  EXPECT_EQ(outcome.report.scenarios.at(1).steps.at(0).metrics.counts.ok, 2u);
  EXPECT_TRUE(fs::exists(out_ / "report.json"));
}

TEST_F(RunnerTest, SomeFailuresWithSomeSuccessesExitZero) {
  ScenarioSpec s = scenario("partly", harness::ExecutionModel::coroutine, Operation::invoke);
  s.plan.concurrency = 2;
  s.plan.requests = 40;
  SuiteSpec suite = suite_with({s});
  mock::add_fault_spec(mock_, "500=0.3");
  const RunOutcome outcome = run_suite(suite, options());
  const auto& counts = outcome.report.scenarios.at(0).steps.at(0).metrics.counts;
  ASSERT_GT(counts.ok, 0u);
  ASSERT_GT(counts.failed, 0u);
  EXPECT_EQ(outcome.exit_code, kExitOk);
  EXPECT_FALSE(outcome.unsuccessful.has_value());
}

TEST_F(RunnerTest, ImpossibleScenarioIsAnInputErrorBeforeAnythingRuns) {
  ScenarioSpec ok = scenario("ok", harness::ExecutionModel::coroutine, Operation::invoke);
  ok.plan.requests = 1;
  ScenarioSpec bad = scenario("bad", harness::ExecutionModel::sync, Operation::invoke);
  bad.plan.requests = 1;
  bad.plan.concurrency = 4;
  try {
    run_suite(suite_with({ok, bad}), options());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("scenario 'bad'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("sync mode runs requests one after another"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(out_ / "report.json"));
}

// The harness knows no mock: a mock target runs only against the mock its caller started.
TEST_F(RunnerTest, MockTargetWithoutTheCallersMockIsRefusedBeforeAnything) {
  ScenarioSpec s = scenario("alone", harness::ExecutionModel::sync, Operation::invoke);
  s.plan.requests = 1;
  EXPECT_THROW(load::run_suite(suite_with({s}), RunOptions{}), InputError);
}

TEST_F(RunnerTest, ApiKeyNeverReachesTheReport) {
  ::setenv("LLMBENCH_RUNNER_TEST_KEY", "sk-runner-secret", 1);
  ScenarioSpec s = scenario("keyed", harness::ExecutionModel::sync, Operation::invoke);
  s.plan.requests = 2;
  SuiteSpec suite = suite_with({s});
  mock_.api_key = "sk-runner-secret";
  suite.target.endpoint.api_key_env = "LLMBENCH_RUNNER_TEST_KEY";
  const RunOutcome outcome = run_suite(suite, options());
  EXPECT_EQ(outcome.report.scenarios.at(0).steps.at(0).metrics.counts.ok, 2u);  // the key was sent
  std::ifstream in(out_ / "report.json");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str().find("sk-runner-secret"), std::string::npos);
  EXPECT_NE(text.str().find("LLMBENCH_RUNNER_TEST_KEY"), std::string::npos);
}


// Issue 12 item 6: --op batch --concurrency 32 ran batch() calls of the default 8, so at most
// 8 requests were in flight. Now the batch size defaults to one that cannot cap the
// concurrency, the step reports the measured mean in flight, and report.json keeps it.
TEST_F(RunnerTest, BatchRunsTheConcurrencyInFlightAndReportsIt) {
  ScenarioSpec s = scenario("batch", harness::ExecutionModel::coroutine, Operation::batch);
  s.plan.concurrency = 16;
  s.plan.duration = 400ms;
  const RunOutcome outcome = run_suite(suite_with({s}), options());
  ASSERT_EQ(outcome.exit_code, kExitOk);
  const auto& m = outcome.report.scenarios.at(0).steps.at(0).metrics;
  ASSERT_TRUE(m.throughput.mean_in_flight.has_value());
  EXPECT_GT(*m.throughput.mean_in_flight, 10.0);
  EXPECT_LE(*m.throughput.mean_in_flight, 16.01);
  const auto loaded = result::load_report_file((out_ / "report.json").string());
  const auto& again = loaded.scenarios.at(0).steps.at(0).metrics;
  ASSERT_TRUE(again.throughput.mean_in_flight.has_value());
  EXPECT_DOUBLE_EQ(*again.throughput.mean_in_flight, *m.throughput.mean_in_flight);
  EXPECT_DOUBLE_EQ(again.throughput.requests_per_s, m.throughput.requests_per_s);

  ScenarioSpec capped = s;
  capped.batch_size = 8;  // explicit and below the concurrency: refused before anything runs
  EXPECT_THROW(run_suite(suite_with({capped}), options()), InputError);
}

// Issue 12 item 9: decode_slots=2 at concurrency 8 showed throughput_ratio 0.25 and 82 ms of
// "harness overhead" that was the mock's own queue. With Server-Timing the queue is the
// server's: the ratio and the overhead describe the harness only.
TEST_F(RunnerTest, ServerQueueIsNotHarnessOverhead) {
  ScenarioSpec s = scenario("slots", harness::ExecutionModel::coroutine, Operation::stream);
  s.plan.concurrency = 8;
  s.plan.requests = 48;
  SuiteSpec suite = suite_with({s});
  mock_.ttft = Distribution::fixed(40e6);
  mock_.decode_slots = 2;
  const RunOutcome outcome = run_suite(suite, options());
  ASSERT_EQ(outcome.exit_code, kExitOk);
  const auto& step = outcome.report.scenarios.at(0).steps.at(0);
  EXPECT_GT(step.metrics.distributions.server_queue.percentile(50), 50e6);  // the mock queued
  const result::Efficiency e = step.efficiency();
  ASSERT_TRUE(e.ttft_overhead_p50_ms.has_value());
  EXPECT_LT(*e.ttft_overhead_p50_ms, 30.0 * test_support::kTimingSlack);
  ASSERT_TRUE(e.throughput_ratio.has_value());
  EXPECT_GT(*e.throughput_ratio, 0.6 / test_support::kTimingSlack);
}

// Issue 12 item 11: at saturation, closed-loop users honour retry-after: scenarios/saturation
// at C=128 once made 39,700 failed requests in 1.5 s out of a spin loop.
TEST_F(RunnerTest, RejectedUsersWaitForRetryAfterAndRejectionsAreCountedApart) {
  ScenarioSpec s = scenario("saturated", harness::ExecutionModel::coroutine, Operation::stream);
  s.plan.concurrency = 32;
  s.plan.duration = 800ms;
  s.retry.max_retry_after = 300ms;  // the mock asks for 1 s; come back sooner than that
  SuiteSpec suite = suite_with({s});
  mock_.decode_slots = 4;
  mock_.max_waiting = 4;
  const RunOutcome outcome = run_suite(suite, options());
  const auto& c = outcome.report.scenarios.at(0).steps.at(0).metrics.counts;
  EXPECT_GT(c.ok, 0u);
  EXPECT_GT(c.failed, 0u);
  // 24 users rejected at once; each pauses 300 ms between tries: a few tries each in 800 ms.
  EXPECT_LE(c.failed, 24u * 4u);
  EXPECT_EQ(c.retries, 0u);
  EXPECT_EQ(c.rejected_attempts, c.failed);  // every failure here was a 429
  const auto loaded = result::load_report_file((out_ / "report.json").string());
  EXPECT_EQ(loaded.scenarios.at(0).steps.at(0).metrics.counts.rejected_attempts, c.rejected_attempts);
}

// The search against a mock whose capacity is known: 4 decode slots. Up to 4 users nobody waits
// (TTFT 20 ms, at most x1.5 by the load slowdown = 30 ms, under the 60 ms objective); with a 5th
// user one request in five waits a whole request (~200 ms) for a slot, so at most 80% meet the
// objective, below the 95% asked. The answer is 4 users, the first failure 5.
TEST_F(RunnerTest, SloSearchFindsTheCapacityTheMockImplies) {
  mock_ = mock::MockConfig::fixed_latency(20ms, 25ms, 6);
  mock_.port = 0;
  mock_.decode_slots = 4;
  mock_.load_slowdown = 1.5;
  ScenarioSpec s = scenario("capacity", harness::ExecutionModel::coroutine, Operation::stream);
  s.plan.requests = 10;
  s.slo.ttft_ms = 60;
  s.search.enabled = true;
  s.search.parameter = "concurrency";
  s.search.max = 64;
  s.sweep_parameter = "concurrency";
  s.sweep_values = {1, 64};
  const RunOutcome outcome = run_suite(suite_with({s}), options());
  ASSERT_EQ(outcome.report.scenarios.size(), 1u);
  const auto& result = outcome.report.scenarios[0];
  ASSERT_TRUE(result.search);
  EXPECT_EQ(result.search->answer, 4);
  EXPECT_EQ(result.search->upper, 5);
  EXPECT_TRUE(result.search->converged);
  // Every probe is an ordinary step of the report, in the order measured: 1 2 4 8 6 5.
  ASSERT_EQ(result.steps.size(), result.search->probes);
  std::vector<double> probed;
  for (const auto& step : result.steps) probed.push_back(step.sweep_value);
  EXPECT_EQ(probed, (std::vector<double>{1, 2, 4, 8, 6, 5}));
  // And it survives report.json.
  std::ifstream in(out_ / "report.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto read = result::report_from_json(text.str(), "report.json");
  EXPECT_EQ(read.scenarios[0].search, result.search);
}

// A ShareGPT dataset end to end: each request asks for its conversation's reply length and the
// mock (which would send 1000 tokens) stops there, so the output tokens are the dataset's.
TEST_F(RunnerTest, ShareGptOutputLengthsReachTheServer) {
  mock_ = mock::MockConfig::fixed_latency(1ms, 0ms, 1000);
  mock_.port = 0;
  fs::create_directories(out_);
  std::ofstream(out_ / "d.jsonl")
      << R"({"conversations": [{"from": "human", "value": "a b c"}, {"from": "gpt", "value": "one two three four five"}]})"
      << "\n"
      << R"({"conversations": [{"from": "human", "value": "d e"}, {"from": "gpt", "value": "six seven"}]})" << "\n";
  SuiteSpec suite = suite_with({});
  suite.prompts.kind = PromptSpec::Kind::sharegpt;
  suite.prompts.file = out_ / "d.jsonl";
  suite.prompts.dataset = std::make_shared<const std::vector<DatasetEntry>>(
      read_sharegpt(suite.prompts.file, nullptr, {}, &suite.prompts.dataset_summary));
  ScenarioSpec s = scenario("sharegpt", harness::ExecutionModel::coroutine, Operation::stream);
  s.plan.requests = 6;
  suite.scenarios = {s};
  const RunOutcome outcome = run_suite(suite, options());
  ASSERT_EQ(outcome.exit_code, kExitOk);
  const auto& step = outcome.report.scenarios[0].steps[0];
  EXPECT_EQ(step.metrics.counts.ok, 6u);
  EXPECT_EQ(step.metrics.counts.output_tokens, 3u * (5 + 2));
  EXPECT_FALSE(step.reference.e2e_ms);  // per-request lengths: no single reference latency
}

// A trace replayed end to end: every request is sent at its timestamp (here at twice real
// time) with its own output length, which the mock honours.
TEST_F(RunnerTest, TraceReplaySendsEachRequestAtItsTimestamp) {
  mock_ = mock::MockConfig::fixed_latency(1ms, 0ms, 1000);
  mock_.port = 0;
  fs::create_directories(out_);
  std::ofstream(out_ / "t.jsonl") << R"({"timestamp": 0, "input_length": 20, "output_length": 3})" << "\n"
                                  << R"({"timestamp": 200, "input_length": 40, "output_length": 5, "hash_ids": [1]})" << "\n"
                                  << R"({"timestamp": 400, "input_length": 60, "output_length": 7, "hash_ids": [1]})" << "\n";
  SuiteSpec suite = suite_with({});
  suite.prompts.kind = PromptSpec::Kind::trace;
  suite.prompts.trace = read_trace(out_ / "t.jsonl");
  ScenarioSpec s = scenario("replay", harness::ExecutionModel::coroutine, Operation::invoke);
  s.plan.model = LoadModel::open_loop;
  s.plan.concurrency = 0;
  s.plan.arrival = ArrivalKind::trace;
  s.plan.trace = suite.prompts.trace;
  s.plan.trace_speed = 2;
  s.plan.rate = trace_rate(*suite.prompts.trace, 2);
  s.plan.requests = 3;
  suite.scenarios = {s};
  const RunOutcome outcome = run_suite(suite, options());
  ASSERT_EQ(outcome.exit_code, kExitOk);
  const auto& scenario_result = outcome.report.scenarios[0];
  EXPECT_EQ(scenario_result.load_model, result::LoadPattern::trace);
  const auto& step = scenario_result.steps[0];
  EXPECT_EQ(step.metrics.counts.ok, 3u);
  EXPECT_EQ(step.metrics.counts.output_tokens, 3u + 5 + 7);
  // The last request was due at 400 ms / 2: the step lasts at least that long.
  EXPECT_GE(step.metrics.timing.duration_s, 0.2);
}

// Shared prefixes against the mock's prefix cache: every prompt opens with the same ~400-token
// document, whose prefill (100 us a token, about 40 ms) only the first request pays when the
// cache is on. TTFT is measured from the client; the cache cuts its median by far more than half.
TEST_F(RunnerTest, SharedPrefixesHitTheMockPrefixCache) {
  const auto median_ttft_ms = [&](bool cache) {
    mock_ = mock::MockConfig::fixed_latency(5ms, 1ms, 2);
    mock_.port = 0;
    mock_.prefill_per_prompt_token = 100us;
    mock_.prefix_cache_blocks = cache ? 1000 : 0;
    SuiteSpec suite = suite_with({});
    suite.prompts.synthetic.prompt_tokens.shape = parse_count_distribution("8");
    suite.prompts.synthetic.prefix_tokens = 400;  // words: ~1,600 characters, ~400 mock tokens
    ScenarioSpec s = scenario("prefix", harness::ExecutionModel::coroutine, Operation::stream);
    s.plan.requests = 12;
    suite.scenarios = {s};
    const RunOutcome outcome = run_suite(suite, options());
    EXPECT_EQ(outcome.exit_code, kExitOk);
    return outcome.report.scenarios[0].steps[0].metrics.distributions.ttft.percentile(50) / 1e6;
  };
  const double without = median_ttft_ms(false);
  const double with = median_ttft_ms(true);
  EXPECT_GT(without, 30.0);  // 5 ms + ~400 prompt tokens x 100 us
  EXPECT_LT(with, without / 2) << "with the cache " << with << " ms, without " << without << " ms";
}

}  // namespace
}  // namespace llmbench::load
