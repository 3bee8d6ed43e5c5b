// Servers that are not there: a refused port, and a mock SIGKILLed in the middle of a run. In
// every execution model the run ends within its timeouts, failures are counted as connect or
// truncated, what succeeded before is kept and measured, and the report is written. The killed
// mock runs each engine (asio, httplib): their sockets die differently mid-stream.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "tests/cli/cli_fixture.h"
#include "tests/reliability/loopback.h"
#include "tests/reliability/mock_child.h"
#include "tests/reliability/report_view.h"
#include "tests/reliability/run_command_line.h"
#include "tests/support/sanitizers.h"

namespace llmbench::reliability {
namespace {

using namespace std::chrono_literals;
using clitest::ChildProcess;
using clitest::CliTest;
using clitest::concat;
using clitest::contains;
using clitest::parse_json_file;
using clitest::ProcessResult;
namespace fs = std::filesystem;

// Small timeouts: nothing here may wait out the defaults (10 s connect, 600 s total).
const std::vector<std::string> kTimeouts = {"--set", "scenario.connect_timeout=1s",
                                            "--set", "scenario.first_token_timeout=1s",
                                            "--set", "scenario.timeout=2s"};

class RefusedTest : public CliTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(RefusedTest, EveryRequestCountedAsConnectAndTheRunFailsWithAReport) {
  const std::string& mode = GetParam();
  const std::uint16_t port = closed_loopback_port();
  ASSERT_NE(port, 0);
  const fs::path out = path("out");
  constexpr int kRequests = 8;
  const std::vector<std::string> target = {"--target", "http://127.0.0.1:" + std::to_string(port), "--model",
                                            "mock-model"};
  const std::vector<std::string> args = run_args(bin(), "stream", kRequests, out, mode, concat(target, kTimeouts));
  const ProcessResult r = clitest::run_process(args, {}, 30s);

  ASSERT_FALSE(r.timed_out) << r.all();
  // docs/cli.md: a step that issued requests and had no success fails the run.
  EXPECT_EQ(r.exit_code, 1) << r.all();
  EXPECT_TRUE(contains(r.err, "no successful request")) << r.err;
  EXPECT_TRUE(contains(r.err, "connect x" + std::to_string(kRequests))) << r.err;
  ASSERT_TRUE(fs::exists(out / "report.json")) << r.all();
  const StepView step = only_step(parse_json_file(out / "report.json"));
  EXPECT_EQ(step.total, kRequests);
  EXPECT_EQ(step.ok, 0);
  EXPECT_EQ(step.errors.at("connect"), kRequests) << step.nonzero_errors();
}

INSTANTIATE_TEST_SUITE_P(Modes, RefusedTest, ::testing::Values("sync", "threaded", "coroutine"));

struct KilledCase {
  std::string mode;    // sync | threaded | coroutine
  std::string engine;  // the killed mock's engine: asio | httplib
};

void PrintTo(const KilledCase& c, std::ostream* os) { *os << c.mode << "/" << c.engine; }

class KilledServerTest : public CliTest, public ::testing::WithParamInterface<KilledCase> {};

TEST_P(KilledServerTest, RunEndsKeepsTheSuccessesAndCountsTheRestAsConnectOrTruncated) {
  const auto& [mode, engine] = GetParam();
  constexpr int kOutputTokens = 16;
  MockChild mock = start_mock(bin(), {"--engine", engine, "--ttft", "20ms", "--itl", "5ms", "--output-tokens",
                                      std::to_string(kOutputTokens)});
  ASSERT_NE(mock.port, 0);

  // 400 requests of ~95 ms would take 10-40 s; the kill comes after a few, and the rest are
  // refused at once.
  constexpr int kRequests = 400;
  const fs::path out = path("out");
  const std::vector<std::string> target = {"--target", mock.url, "--model", "mock-model"};
  const std::vector<std::string> args = run_args(bin(), "stream", kRequests, out, mode, concat(target, kTimeouts));
  ChildProcess run(args);

  // Kill once the mock has finished some requests (its /metrics says so), never after a sleep.
  constexpr double kServedBeforeKill = 8;
  const std::string kStopSeries =
      R"(vllm:request_success_total{model_name="mock-model",finished_reason="stop"})";
  double served = 0;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (served < kServedBeforeKill && std::chrono::steady_clock::now() < deadline) {
    const auto metrics = http_get(mock.port, "/metrics", 2s);
    if (metrics) served = prometheus_value(*metrics, kStopSeries);
    if (served < kServedBeforeKill) ::poll(nullptr, 0, 20);  // poll interval, not synchronisation
  }
  ASSERT_GE(served, kServedBeforeKill) << "the mock never served requests:\n" << run.out() << run.err();
  mock.process->send_signal(SIGKILL);
  const ProcessResult killed = mock.process->wait(10s);
  EXPECT_EQ(killed.term_signal, SIGKILL);

  const ProcessResult r = run.wait(60s);
  ASSERT_FALSE(r.timed_out) << "the run did not end after the server died:\n" << r.all();
  EXPECT_EQ(r.exit_code, 0) << "some requests succeeded before the kill:\n" << r.all();
  ASSERT_TRUE(fs::exists(out / "report.json")) << r.all();
  const StepView step = only_step(parse_json_file(out / "report.json"));
  std::printf("%s/%s: served %.0f before SIGKILL; run: ok %lld, errors %s\n", mode.c_str(), engine.c_str(),
              served, static_cast<long long>(step.ok), step.nonzero_errors().c_str());
  EXPECT_EQ(step.total, kRequests);
  // The mock counts a request when it generates the last piece, so up to `concurrency` of those
  // may still have been on the wire when the kill came; every other one must be kept.
  EXPECT_GE(step.ok, static_cast<std::int64_t>(served) - concurrency_of(mode))
      << "requests served before the kill must be kept";
  EXPECT_LT(step.ok, kRequests);
  EXPECT_EQ(step.ok + step.failed, step.total);
  EXPECT_EQ(step.errors.at("connect") + step.errors.at("truncated"), step.failed)
      << "only connect/truncated expected: " << step.nonzero_errors();
  EXPECT_GT(step.errors.at("connect"), 0) << "requests after the kill are refused";
  // The successes are measured correctly.
  EXPECT_EQ(step.output_tokens, step.ok * kOutputTokens);
  EXPECT_EQ(step.output_tokens_min, kOutputTokens);
  EXPECT_GE(step.ttft_p50_ms, 20);
  EXPECT_LE(step.ttft_p50_ms, test_support::upper_bound_ms(20, 180));
}

std::vector<KilledCase> killed_cases() {
  std::vector<KilledCase> cases;
  for (const char* mode : {"sync", "threaded", "coroutine"})
    for (const char* engine : {"asio", "httplib"}) cases.push_back({mode, engine});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(ModesAndEngines, KilledServerTest, ::testing::ValuesIn(killed_cases()),
                         [](const ::testing::TestParamInfo<KilledCase>& p) {
                           return p.param.mode + "_" + p.param.engine;
                         });

}  // namespace
}  // namespace llmbench::reliability
