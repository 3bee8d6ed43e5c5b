// Every mock fault at a seeded 30 % rate, through `llmbench run` as a child process, in every
// execution model: the run ends within its timeouts, every failure is counted under the fault's
// error kind and no other, the successful requests are still measured correctly, and the report
// is written. Docs: docs/mock.md (faults), docs/scenarios.md (timeouts, retries).
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "tests/cli/cli_fixture.h"
#include "tests/reliability/report_view.h"

namespace llmbench::reliability {
namespace {

using namespace std::chrono_literals;
using clitest::CliTest;
using clitest::concat;
using clitest::parse_json_file;
using clitest::ProcessResult;
namespace fs = std::filesystem;

constexpr int kRequests = 24;
constexpr int kOutputTokens = 8;
constexpr double kTtftMs = 20;  // configured; ITL 2 ms, so a healthy request takes ~34 ms
// A stall ends at the first-token timeout, a trickle (100 ms per token, ~720 ms in all) at
// the total timeout, while a healthy request is an order of magnitude inside both.
// clang-format off
const std::vector<std::string> kProfile = {
    "--mock-ttft", "20ms", "--mock-itl", "2ms", "--mock-output-tokens", std::to_string(kOutputTokens),
    "--set", "target.mock.trickle_itl=100ms",
    "--set", "scenario.first_token_timeout=300ms",
    "--set", "scenario.timeout=400ms"};
// clang-format on
// Worst case is sync (one request at a time): 24 x 400 ms if every request trickled.
constexpr auto kRunDeadline = 30s;

struct Fault {
  std::string kind;      // the mock's fault name (--mock-fault KIND=RATE)
  std::string op;        // stream | invoke
  std::string expected;  // the error kind every failure must be counted under
};

using Case = std::tuple<std::string, Fault>;  // execution model, fault

std::vector<std::string> mode_flags(const std::string& mode) {
  // sync runs one request at a time; the others keep four in flight.
  return {"--mode", mode, "--concurrency", mode == "sync" ? "1" : "4"};
}

class FaultMatrixTest : public CliTest, public ::testing::WithParamInterface<Case> {};

TEST_P(FaultMatrixTest, FailuresCountedUnderTheirKindAndSuccessesStillMeasured) {
  const auto& [mode, fault] = GetParam();
  const fs::path out = path("out");
  std::vector<std::string> args = {bin(),
                                   "run",
                                   "-q",
                                   "--op",
                                   fault.op,
                                   "--requests",
                                   std::to_string(kRequests),
                                   "--mock-fault",
                                   fault.kind + "=0.3",
                                   "--out",
                                   out.string()};
  args = concat(concat(args, mode_flags(mode)), kProfile);
  const ProcessResult r = clitest::run_process(args, {}, kRunDeadline);

  ASSERT_FALSE(r.timed_out) << "the run did not end within " << kRunDeadline.count() << " s:\n" << r.all();
  // Some requests succeed, so the run as a whole is not failed (docs/cli.md exit codes).
  EXPECT_EQ(r.exit_code, 0) << r.all();
  ASSERT_TRUE(fs::exists(out / "report.json")) << r.all();
  const StepView step = only_step(parse_json_file(out / "report.json"));

  EXPECT_EQ(step.total, kRequests);
  EXPECT_EQ(step.ok + step.failed, step.total);
  EXPECT_EQ(step.error_sum(), step.failed) << "every failure has exactly one kind";
  const std::int64_t expected_failures = step.errors.at(fault.expected);
  EXPECT_GT(expected_failures, 0) << fault.kind << " at 30 % should fail some of " << kRequests
                                  << " requests";
  EXPECT_LT(expected_failures, step.total) << "and not all of them";
  EXPECT_EQ(expected_failures, step.failed) << "unexpected kinds: " << step.nonzero_errors();

  // The successes are measured as if nothing had gone wrong around them.
  ASSERT_EQ(step.ttft_count, step.ok);
  EXPECT_GE(step.ttft_p50_ms, kTtftMs);
  EXPECT_LE(step.ttft_p50_ms, 10 * kTtftMs);
  EXPECT_EQ(step.output_tokens_min, kOutputTokens);
  EXPECT_EQ(step.output_tokens_max, kOutputTokens);
  EXPECT_EQ(step.output_tokens, step.ok * kOutputTokens);
}

const std::vector<Fault> kFaults = {
    {"429", "stream", "http_429"},    {"500", "stream", "http_5xx"},
    {"503", "stream", "http_5xx"},    {"stream_error", "stream", "stream_error"},
    {"drop", "stream", "truncated"},  {"stall", "stream", "timeout"},
    {"trickle", "stream", "timeout"}, {"429", "invoke", "http_429"},
    {"500", "invoke", "http_5xx"},    {"503", "invoke", "http_5xx"},
};

std::string case_name(const ::testing::TestParamInfo<Case>& p) {
  const auto& [mode, fault] = p.param;
  return mode + "_" + fault.op + "_" + fault.kind;
}

INSTANTIATE_TEST_SUITE_P(ModesAndFaults, FaultMatrixTest,
                         ::testing::Combine(::testing::Values("sync", "threaded", "coroutine"),
                                            ::testing::ValuesIn(kFaults)),
                         case_name);

// 429 with retry-after (the mock asks for 1 s) and retries on: the client waits, retries, and
// every request either succeeds or is counted as http_429 once its retries are exhausted.
class RetryAfterTest : public CliTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(RetryAfterTest, RetriesAreCountedAndRequestsEventuallySucceed) {
  const std::string& mode = GetParam();
  const fs::path out = path("out");
  constexpr int kRetryRequests = 12;
  std::vector<std::string> args = {bin(),
                                   "run",
                                   "-q",
                                   "--op",
                                   "stream",
                                   "--requests",
                                   std::to_string(kRetryRequests),
                                   "--mock-fault",
                                   "429=0.3",
                                   "--set",
                                   "scenario.retries=3",
                                   "--out",
                                   out.string()};
  args = concat(concat(args, mode_flags(mode)), kProfile);
  // Sync waits out every retry-after in turn: ~4 expected retries x 1 s, bounded by 12 x 3 s.
  const ProcessResult r = clitest::run_process(args, {}, 60s);

  ASSERT_FALSE(r.timed_out) << r.all();
  ASSERT_TRUE(fs::exists(out / "report.json")) << r.all();
  const StepView step = only_step(parse_json_file(out / "report.json"));
  EXPECT_EQ(step.total, kRetryRequests);
  EXPECT_GT(step.retries, 0) << "a 30 % 429 rate over " << kRetryRequests << " requests must cause retries";
  EXPECT_GT(step.ok, 0);
  EXPECT_EQ(step.ok + step.errors.at("http_429"), step.total)
      << "only exhausted retries may fail, as http_429; errors: " << step.nonzero_errors();
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_EQ(step.output_tokens, step.ok * kOutputTokens);
  EXPECT_GE(step.ttft_p50_ms, kTtftMs);
}

INSTANTIATE_TEST_SUITE_P(Modes, RetryAfterTest, ::testing::Values("sync", "threaded", "coroutine"));

}  // namespace
}  // namespace llmbench::reliability
