// The exit-code rule for failed runs (docs/cli.md): a step that issued requests and had no
// successful one makes `llmbench run` exit 1, with every report file written and one stderr
// line naming the step and its top error kind; partial failure is still exit 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

using RunExitCodeTest = CliTest;

TEST_F(RunExitCodeTest, EveryRequestFailingExitsOneWithAllReportsAndAOneLineReason) {
  const fs::path out = path("out");
  const ProcessResult r = llmbench(concat({"run", "-q", "--requests", "6", "--mock-fault", "500=1",
                                           "--format", "json,csv,md,html", "--out", out.string()},
                                          fast_mock()));
  EXPECT_EQ(r.exit_code, 1) << r.all();
  for (const char* file : {"report.json", "report.csv", "report.md", "report.html"}) {
    EXPECT_TRUE(fs::exists(out / file)) << file << " missing: " << r.all();
  }
  EXPECT_EQ(error_count(parse_json_file(out / "report.json"), "http_5xx"), 6);
  EXPECT_TRUE(contains(r.err,
                       "step 'adhoc [1/1]' had no successful request of 6 (top error: http_5xx x6: 500 The "
                       "server had an error"))
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line, even with -q:\n" << r.err;
}

TEST_F(RunExitCodeTest, OneFailedScenarioFailsTheRunButTheOthersStillRun) {
  write_text(path("suite.toml"), R"([target.mock]
ttft = "5ms"
itl = "1ms"
output_tokens = 4

[[scenario]]
name = "broken"
mode = "threaded"
concurrency = 2
requests = 4
headers = { "x-mock-fault" = "503" }

[[scenario]]
name = "healthy"
requests = 3
)");
  const fs::path out = path("out");
  const ProcessResult r = llmbench({"run", path("suite.toml").string(), "--out", out.string()});
  EXPECT_EQ(r.exit_code, 1) << r.all();
  EXPECT_TRUE(
      contains(r.err, "step 'broken [1/1]' had no successful request of 4 (top error: http_5xx x4: 503 "))
      << r.err;
  const boost::json::value report = parse_json_file(out / "report.json");
  const auto& scenarios = report.at("scenarios").as_array();
  ASSERT_EQ(scenarios.size(), 2u);
  EXPECT_EQ(scenarios.at(1).at("steps").at(0).at("counts").at("ok").to_number<std::int64_t>(), 3);
}

TEST_F(RunExitCodeTest, SomeFailuresAmongSuccessesExitZeroWithoutTheMessage) {
  const fs::path out = path("out");
  const ProcessResult r = llmbench(concat(
      {"run", "-q", "--requests", "20", "--mock-fault", "500=0.3", "--out", out.string()}, fast_mock()));
  const boost::json::value report = parse_json_file(out / "report.json");
  ASSERT_GT(count_field(report, "ok"), 0);
  ASSERT_GT(count_field(report, "failed"), 0);
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_FALSE(contains(r.err, "no successful request")) << r.err;
}

}  // namespace
}  // namespace llmbench::clitest
