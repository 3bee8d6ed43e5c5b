// `llmbench run --api` against the embedded mock for each further API (openai_completions,
// anthropic_messages, openai_responses), streamed and invoked: the report names the API and
// counts every request, token, reasoning token and TTFT as for chat completions; the mock's
// faults in each API's own error shape land in the same error kinds.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

using ApiOp = std::tuple<std::string, std::string>;

class RunApiTest : public CliTest, public ::testing::WithParamInterface<ApiOp> {};

constexpr int kRequests = 6;
constexpr int kAnswer = 4;  // fast_mock's output tokens
constexpr int kReasoning = 2;

TEST_P(RunApiTest, EveryRequestAndTokenIsCounted) {
  const auto& [api, op] = GetParam();
  const fs::path out = path("run");
  const ProcessResult r =
      llmbench(concat({"run", "--api", api, "--op", op, "--mode", "coroutine", "--concurrency", "2", "--requests",
                       std::to_string(kRequests), "--set", "target.mock.reasoning_tokens=" + std::to_string(kReasoning),
                       "--out", out.string()},
                      fast_mock()));
  ASSERT_EQ(r.exit_code, 0) << r.all();
  const boost::json::value report = parse_json_file(out / "report.json");
  EXPECT_EQ(report.at("config").at("target").at("api").as_string(), api);
  EXPECT_EQ(count_field(report, "ok"), kRequests) << r.all();
  EXPECT_EQ(count_field(report, "failed"), 0);
  // Legacy completions have no reasoning phase in the mock.
  const int reasoning = api == "openai_completions" ? 0 : kReasoning;
  EXPECT_EQ(count_field(report, "output_tokens"), kRequests * (kAnswer + reasoning));
  EXPECT_GT(count_field(report, "input_tokens"), 0);
  const auto& step = report.at("scenarios").at(0).at("steps").at(0);
  // Anthropic reports no reasoning count: a whole reply's thinking text is estimated.
  // (The report leaves a zero reasoning count out.)
  if (op == "stream" || api != "anthropic_messages") {
    const auto* counted = step.at("counts").as_object().if_contains("reasoning_tokens");
    EXPECT_EQ(counted != nullptr ? counted->to_number<int>() : 0, kRequests * reasoning);
  }
  const auto& summary = step.at("summary");
  EXPECT_EQ(summary.at("ttft_ms").at("count").to_number<int>(), kRequests);
  if (op == "stream") {
    // Every gap between two of a request's tokens.
    EXPECT_EQ(summary.at("itl_ms").at("count").to_number<int>(), kRequests * (kAnswer + reasoning - 1));
    if (reasoning > 0) {
      EXPECT_GT(summary.at("ttfo_ms").at("p50").to_number<double>(), summary.at("ttft_ms").at("p50").to_number<double>());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(ApisAndOps, RunApiTest,
                         ::testing::Combine(::testing::Values("openai_completions", "anthropic_messages",
                                                              "openai_responses"),
                                            ::testing::Values("stream", "invoke")),
                         [](const ::testing::TestParamInfo<ApiOp>& p) {
                           return std::get<0>(p.param) + "_" + std::get<1>(p.param);
                         });

TEST_F(CliTest, AnthropicOverloadAndRateLimitsAreCountedByKind) {
  const fs::path out = path("faults");
  const ProcessResult r = llmbench(concat({"run", "--api", "anthropic_messages", "--op", "stream", "--requests", "4",
                                           "--mock-fault", "503=1", "--out", out.string()},
                                          fast_mock()));
  ASSERT_TRUE(fs::exists(out / "report.json")) << r.all();
  const boost::json::value report = parse_json_file(out / "report.json");
  const auto& errors = report.at("scenarios").at(0).at("steps").at(0).at("counts").at("errors");
  EXPECT_EQ(errors.at("http_5xx").to_number<int>(), 4) << r.all();  // 529 overloaded_error
  EXPECT_TRUE(contains(r.all(), "529") || contains(read_text(out / "report.json"), "529")) << r.all();
}

}  // namespace
}  // namespace llmbench::clitest
