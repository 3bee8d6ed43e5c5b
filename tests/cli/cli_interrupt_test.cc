// SIGINT and SIGTERM during `llmbench run`: exit 130 and a partial report marked interrupted.
// The signal goes out once the run has shown it is under way (a line on stderr), never after a sleep.
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

using namespace std::chrono_literals;

class InterruptTest : public CliTest, public ::testing::WithParamInterface<int> {};

// A short scenario whose step log proves measuring has begun, then one that would run a minute.
TEST_P(InterruptTest, ScenarioRunWritesPartialReportMarkedInterrupted) {
  write_text(path("suite.toml"), R"([target.mock]
ttft = "5ms"
itl = "1ms"
output_tokens = 4

[[scenario]]
name = "first"
mode = "threaded"
concurrency = 2
requests = 4

[[scenario]]
name = "long"
mode = "coroutine"
concurrency = 2
duration = "60s"
)");
  const fs::path out = path("out");
  ChildProcess child({bin(), "run", path("suite.toml").string(), "--out", out.string()});
  ASSERT_TRUE(child.wait_for_stderr("first [1/1]:", 20s)) << "no step log on stderr:\n" << child.err();
  child.send_signal(GetParam());
  const ProcessResult r = child.wait(20s);
  ASSERT_FALSE(r.timed_out) << "the run did not stop on the signal:\n" << r.all();
  EXPECT_EQ(r.exit_code, 130) << r.all();
  EXPECT_TRUE(contains(r.out, "interrupted")) << r.out;

  ASSERT_TRUE(fs::exists(out / "report.json")) << r.all();
  const boost::json::value report = parse_json_file(out / "report.json");
  EXPECT_TRUE(report.at("interrupted").as_bool());
  const auto& scenarios = report.at("scenarios").as_array();
  ASSERT_GE(scenarios.size(), 1u);
  EXPECT_EQ(scenarios.at(0).at("name").as_string(), "first");
  EXPECT_EQ(scenarios.at(0).at("steps").at(0).at("counts").at("ok").to_number<std::int64_t>(), 4)
      << "what was measured before the signal must be kept";
  // The signal can land between the steps (then "long" never started) or during "long".
  if (scenarios.size() == 2) {
    const auto& step = scenarios.at(1).at("steps").at(0);
    EXPECT_EQ(step.at("stop_reason").as_string(), "interrupted");
    EXPECT_TRUE(step.at("interrupted").as_bool());
  }

  // The partial report is a valid report: it re-renders.
  const ProcessResult again = llmbench({"report", (out / "report.json").string(), "--format", "md"});
  EXPECT_EQ(again.exit_code, 0) << again.all();
}

TEST_P(InterruptTest, AdHocRunWritesReportMarkedInterrupted) {
  const fs::path out = path("out");
  ChildProcess child(concat({bin(), "run", "--mode", "coroutine", "--op", "stream", "--concurrency", "2",
                             "--duration", "60s", "--out", out.string()},
                            fast_mock()));
  ASSERT_TRUE(child.wait_for_stderr("== adhoc", 20s)) << "no start line on stderr:\n" << child.err();
  child.send_signal(GetParam());
  const ProcessResult r = child.wait(20s);
  ASSERT_FALSE(r.timed_out) << "the run did not stop on the signal:\n" << r.all();
  EXPECT_EQ(r.exit_code, 130) << r.all();
  ASSERT_TRUE(fs::exists(out / "report.json")) << r.all();
  const boost::json::value report = parse_json_file(out / "report.json");
  EXPECT_TRUE(report.at("interrupted").as_bool());
  for (const auto& scenario : report.at("scenarios").as_array()) {
    for (const auto& step : scenario.at("steps").as_array()) {
      EXPECT_EQ(step.at("stop_reason").as_string(), "interrupted");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Signals, InterruptTest, ::testing::Values(SIGINT, SIGTERM),
                         [](const ::testing::TestParamInfo<int>& p) {
                           return std::string(p.param == SIGINT ? "SIGINT" : "SIGTERM");
                         });

}  // namespace
}  // namespace llmbench::clitest
